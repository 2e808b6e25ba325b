class EventBus:
    """Publish/subscribe: handlers are called as handler(event, payload)."""

    WILDCARD = "*"

    def __init__(self):
        self._handlers = {}          # event -> list of handlers
        self.errors = []             # (event, repr(exception)) for handlers that raised

    def subscribe(self, event, handler, *, once=False):
        """Register handler for event ("*" = every event); return a function that unsubscribes it.

        Subscribing the same handler to the same event twice has no effect.
        once=True: the handler is removed the first time it is called.
        """
        self._handlers.setdefault(event, []).append(handler)

    def subscriber_count(self, event):
        """How many handlers are subscribed to exactly this event."""
        return len(self._handlers.get(event, []))

    def publish(self, event, payload=None):
        """Call the event's handlers, then the wildcard handlers; return how many were called.

        The handler lists are fixed when publish starts; an exception in one handler is
        recorded in self.errors and does not stop the others.
        """
        for handler in self._handlers.get(event, []):
            handler(event, payload)
