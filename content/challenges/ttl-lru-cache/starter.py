class TTLCache:
    """An in-process cache with a TTL per entry and least-recently-used eviction.

    `clock` is a function returning the current time in seconds; never read the real clock.
    """

    def __init__(self, maxsize, ttl, clock):
        self.maxsize = maxsize
        self.ttl = ttl
        self.clock = clock
        self._items = {}  # key -> (value, expires_at)

    def get(self, key, default=None):
        """Return the live value for key (marking it recently used), else default."""
        if key in self._items:
            return self._items[key][0]
        return default

    def set(self, key, value, ttl=None):
        """Store value for ttl seconds (self.ttl when None); evict if over maxsize."""
        self._items[key] = (value, self.clock() + (ttl or self.ttl))

    def delete(self, key):
        """Remove key; return True if a live entry was removed."""
        raise NotImplementedError

    def get_or_load(self, key, loader):
        """Cache-aside: return the cached value, or call loader(key), cache and return it."""
        raise NotImplementedError

    def stats(self):
        """Return {"hits": ..., "misses": ..., "evictions": ...}."""
        raise NotImplementedError

    def __len__(self):
        """Number of live (unexpired) entries."""
        return len(self._items)
