class Store:
    def __init__(self):
        self.data = {}

    def save(self, key, value):
        self.data[key] = value

    def load(self, key):
        return self.data[key]


class ValidatingMixin:
    def save(self, key, value):
        if not isinstance(key, str) or not key:
            raise ValueError(f"bad key {key!r}")
        Store.save(self, key, value)  # TODO: cooperate instead of naming Store


class NormalizingMixin:
    # TODO: save and load with the key stripped and lowercased.
    pass


class EventsMixin:
    def __init__(self, events=None):
        # TODO: the rest of the chain's __init__ never runs this way.
        self.events = [] if events is None else events

    def save(self, key, value):
        self.events.append(f"saved {key}")
        return Store.save(self, key, value)


class ReprMixin:
    # TODO: ClassName(name=value, ...) of the public attributes, sorted by name.
    pass
