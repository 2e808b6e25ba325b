class InMemoryRepository:
    """The concrete component: a key-value store that counts reads."""

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
    """Wraps a repository, keeps its interface and forwards everything by default."""

    def __init__(self, inner):
        self.inner = inner

    def get(self, key):
        return self.inner.get(key)

    def put(self, key, value):
        self.inner.put(key, value)

    def delete(self, key):
        self.inner.delete(key)

    def __getattr__(self, name):
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)


class CachingRepository(RepositoryDecorator):
    def __init__(self, inner):
        super().__init__(inner)
        self._cache = {}
        self._hits = 0
        self._misses = 0

    def get(self, key):
        if key in self._cache:
            self._hits += 1
            return self._cache[key]
        self._misses += 1
        value = super().get(key)
        if value is not None:
            self._cache[key] = value
        return value

    def put(self, key, value):
        super().put(key, value)
        self._cache[key] = value

    def delete(self, key):
        super().delete(key)
        self._cache.pop(key, None)

    def cache_info(self):
        return (self._hits, self._misses)


class LoggingRepository(RepositoryDecorator):
    def __init__(self, inner, log):
        super().__init__(inner)
        self.log = log

    def get(self, key):
        value = super().get(key)
        self.log.append(f"get {key} -> {'missing' if value is None else 'found'}")
        return value

    def put(self, key, value):
        self.log.append(f"put {key}")
        super().put(key, value)

    def delete(self, key):
        self.log.append(f"delete {key}")
        super().delete(key)


class ReadOnlyRepository(RepositoryDecorator):
    def put(self, key, value):
        raise PermissionError("read-only repository")

    def delete(self, key):
        raise PermissionError("read-only repository")


def unwrap(repo):
    """Return the innermost repository under any number of decorators."""
    while isinstance(repo, RepositoryDecorator):
        repo = repo.inner
    return repo
