class EventBus:
    """Publish/subscribe: handlers are called as handler(event, payload)."""

    WILDCARD = "*"

    def __init__(self):
        self._handlers = {}          # event -> list of [handler, once]
        self.errors = []

    def subscribe(self, event, handler, *, once=False):
        entries = self._handlers.setdefault(event, [])
        if not any(entry[0] == handler for entry in entries):
            entries.append([handler, once])

        def unsubscribe():
            current = self._handlers.get(event, [])
            self._handlers[event] = [entry for entry in current if entry[0] != handler]

        return unsubscribe

    def subscriber_count(self, event):
        return len(self._handlers.get(event, []))

    def publish(self, event, payload=None):
        keys = [event] if event == self.WILDCARD else [event, self.WILDCARD]
        snapshot = [(key, handler, once) for key in keys for handler, once in self._handlers.get(key, [])]
        called = 0
        for key, handler, once in snapshot:
            if once:
                self._handlers[key] = [e for e in self._handlers.get(key, []) if e[0] != handler]
            called += 1
            try:
                handler(event, payload)
            except Exception as exc:
                self.errors.append((event, repr(exc)))
        return called
