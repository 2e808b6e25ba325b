class Store:
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.data = {}

    def save(self, key, value):
        self.data[key] = value

    def load(self, key):
        return self.data[key]


class ValidatingMixin:
    def save(self, key, value):
        if not isinstance(key, str) or not key:
            raise ValueError(f"bad key {key!r}")
        return super().save(key, value)


class NormalizingMixin:
    @staticmethod
    def _normal(key):
        return key.strip().lower() if isinstance(key, str) else key

    def save(self, key, value):
        return super().save(self._normal(key), value)

    def load(self, key):
        return super().load(self._normal(key))


class EventsMixin:
    def __init__(self, *, events=None, **kwargs):
        super().__init__(**kwargs)
        self.events = [] if events is None else events

    def save(self, key, value):
        result = super().save(key, value)
        # Only reached when every later class in the MRO accepted the save.
        self.events.append(f"saved {key}")
        return result


class ReprMixin:
    def __repr__(self):
        public = sorted((k, v) for k, v in vars(self).items() if not k.startswith("_"))
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in public)})"
