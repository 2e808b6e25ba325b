_MISSING = object()


class Field:
    """Base descriptor: stores values in the instance __dict__ under the attribute's name."""

    def __init__(self, *, default=_MISSING):
        self.default = default
        self.name = None

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        try:
            return obj.__dict__[self.name]
        except KeyError:
            if self.default is _MISSING:
                raise AttributeError(f"{self.name} is not set") from None
            return self.default

    def __set__(self, obj, value):
        obj.__dict__[self.name] = self.validate(value)

    def validate(self, value):
        return value


class Integer(Field):
    def __init__(self, min_value=None, max_value=None, *, default=_MISSING):
        super().__init__(default=default)
        self.min_value = min_value
        self.max_value = max_value

    def validate(self, value):
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"{self.name} must be an int, got {type(value).__name__}")
        if self.min_value is not None and value < self.min_value:
            raise ValueError(f"{self.name} must be >= {self.min_value}, got {value}")
        if self.max_value is not None and value > self.max_value:
            raise ValueError(f"{self.name} must be <= {self.max_value}, got {value}")
        return value


class String(Field):
    def __init__(self, min_length=0, max_length=None, *, default=_MISSING):
        super().__init__(default=default)
        self.min_length = min_length
        self.max_length = max_length

    def validate(self, value):
        if not isinstance(value, str):
            raise TypeError(f"{self.name} must be a str, got {type(value).__name__}")
        value = value.strip()
        if len(value) < self.min_length:
            raise ValueError(f"{self.name} must have at least {self.min_length} characters")
        if self.max_length is not None and len(value) > self.max_length:
            raise ValueError(f"{self.name} must have at most {self.max_length} characters")
        return value


class OneOf(Field):
    def __init__(self, *choices, default=_MISSING):
        super().__init__(default=default)
        self.choices = choices

    def validate(self, value):
        if value not in self.choices:
            allowed = ", ".join(repr(c) for c in self.choices)
            raise ValueError(f"{self.name} must be one of {allowed}, got {value!r}")
        return value
