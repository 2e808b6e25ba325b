from collections import OrderedDict


class TTLCache:
    """An in-process cache with a TTL per entry and least-recently-used eviction."""

    def __init__(self, maxsize, ttl, clock):
        self.maxsize = maxsize
        self.ttl = ttl
        self.clock = clock
        self._items = OrderedDict()  # key -> (value, expires_at); last = most recently used
        self._stats = {"hits": 0, "misses": 0, "evictions": 0}

    def _live(self, key):
        entry = self._items.get(key)
        if entry is None:
            return False
        if self.clock() >= entry[1]:
            del self._items[key]
            return False
        return True

    def _purge_expired(self):
        now = self.clock()
        for key in [k for k, (_, expires_at) in self._items.items() if now >= expires_at]:
            del self._items[key]

    def get(self, key, default=None):
        if self._live(key):
            self._items.move_to_end(key)
            self._stats["hits"] += 1
            return self._items[key][0]
        self._stats["misses"] += 1
        return default

    def set(self, key, value, ttl=None):
        lifetime = self.ttl if ttl is None else ttl
        self._items[key] = (value, self.clock() + lifetime)
        self._items.move_to_end(key)
        if len(self._items) > self.maxsize:
            self._purge_expired()
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)
                self._stats["evictions"] += 1

    def delete(self, key):
        present = self._live(key)
        self._items.pop(key, None)
        return present

    def get_or_load(self, key, loader):
        if self._live(key):
            self._items.move_to_end(key)
            self._stats["hits"] += 1
            return self._items[key][0]
        self._stats["misses"] += 1
        value = loader(key)
        self.set(key, value)
        return value

    def stats(self):
        return dict(self._stats)

    def __len__(self):
        self._purge_expired()
        return len(self._items)
