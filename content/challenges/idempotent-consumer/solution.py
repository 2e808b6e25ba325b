from collections import deque


class Consumer:
    """Processes queue messages at least once, but performs each one's work at most once."""

    def __init__(self, handler, max_attempts=3):
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self.handler = handler
        self.max_attempts = max_attempts
        self.results = {}        # message id -> handler's return value
        self.dead_letters = []   # ids that failed max_attempts times, in order
        self._failures = {}      # message id -> failed attempts so far

    def deliver(self, message):
        message_id = message["id"]
        if message_id in self.results:
            return "duplicate"
        if message_id in self.dead_letters:
            return "dead"
        try:
            result = self.handler(message["payload"])
        except Exception:
            failures = self._failures.get(message_id, 0) + 1
            self._failures[message_id] = failures
            if failures >= self.max_attempts:
                self.dead_letters.append(message_id)
                return "dead"
            return "retry"
        self.results[message_id] = result
        return "done"


def drain(consumer, messages):
    """Deliver messages in order, putting each "retry" back at the end of the queue."""
    pending = deque(messages)
    log = []
    while pending:
        message = pending.popleft()
        outcome = consumer.deliver(message)
        log.append(f"{message['id']}:{outcome}")
        if outcome == "retry":
            pending.append(message)
    return log
