import threading
import time


def slow_io():
    """Stands in for work done between reading and writing a count (e.g. a network call)."""
    time.sleep(0.001)


class Tally:
    """Counts events per key; safe to use from many threads at once."""

    def __init__(self):
        self._counts = {}
        self._lock = threading.RLock()

    def record(self, key):
        """Add 1 to the count of `key`."""
        with self._lock:
            current = self._counts.get(key, 0)
            slow_io()
            self._counts[key] = current + 1

    def record_many(self, keys):
        """Record every key in `keys` as one atomic step."""
        with self._lock:
            for key in keys:
                self.record(key)

    def snapshot(self):
        """Return a consistent copy of the counts as a dict."""
        with self._lock:
            return dict(self._counts)
