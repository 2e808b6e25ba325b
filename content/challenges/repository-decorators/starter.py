class InMemoryRepository:
    """The concrete component: a key-value store that counts reads. (Complete; do not change.)"""

    def __init__(self, data=None, name="memory"):
        self._data = dict(data or {})
        self.name = name
        self.reads = 0

    def get(self, key):
        self.reads += 1
        return self._data.get(key)

    def put(self, key, value):
        self._data[key] = value

    def delete(self, key):
        self._data.pop(key, None)


class RepositoryDecorator:
    """Wraps a repository, keeps its interface and forwards everything by default.

    Any attribute it does not define itself (name, reads, cache_info, ...) must be looked up
    on the wrapped object.
    """

    def __init__(self, inner):
        self.inner = inner

    def get(self, key):
        return self.inner.get(key)

    def put(self, key, value):
        self.inner.put(key, value)

    def delete(self, key):
        self.inner.delete(key)


class CachingRepository(RepositoryDecorator):
    """Caches values returned by get (never None); put and delete keep the cache in sync."""

    def __init__(self, inner):
        super().__init__(inner)
        self._cache = {}

    def cache_info(self):
        """(hits, misses) counted over calls to get."""
        raise NotImplementedError


class LoggingRepository(RepositoryDecorator):
    """Appends 'get <key> -> found|missing', 'put <key>', 'delete <key>' to the log list."""

    def __init__(self, inner, log):
        super().__init__(inner)
        self.log = log


class ReadOnlyRepository(RepositoryDecorator):
    """put and delete raise PermissionError('read-only repository')."""


def unwrap(repo):
    """Return the innermost repository under any number of decorators."""
    raise NotImplementedError
