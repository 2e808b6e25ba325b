from collections import deque


class Consumer:
    """Processes queue messages at least once, but performs each one's work at most once."""

    def __init__(self, handler, max_attempts=3):
        self.handler = handler
        self.max_attempts = max_attempts
        self.results = {}        # message id -> handler's return value
        self.dead_letters = []   # ids that failed max_attempts times, in order

    def deliver(self, message):
        """Handle one delivery of {"id": ..., "payload": ...}.

        Return "done", "duplicate", "retry" or "dead" as the statement describes.
        """
        result = self.handler(message["payload"])
        self.results[message["id"]] = result
        return "done"


def drain(consumer, messages):
    """Deliver messages in order, putting each "retry" back at the end of the queue.

    Return the log as a list of "id:outcome" strings.
    """
    raise NotImplementedError
