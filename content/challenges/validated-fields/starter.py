_MISSING = object()


class Field:
    """Base descriptor for validated attributes.

    Values live in the instance's __dict__ under the attribute's own name. Subclasses override
    validate(value), which returns the value to store or raises TypeError / ValueError.
    """

    def __init__(self, *, default=_MISSING):
        self.default = default
        self.name = None

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, obj, objtype=None):
        """Class access returns the field itself; unset values fall back to the default
        or raise AttributeError("<name> is not set")."""
        return obj.__dict__[self.name]

    def __set__(self, obj, value):
        obj.__dict__[self.name] = value

    def validate(self, value):
        return value


class Integer(Field):
    """An int (bools rejected) within optional inclusive bounds."""

    def __init__(self, min_value=None, max_value=None, *, default=_MISSING):
        super().__init__(default=default)
        self.min_value = min_value
        self.max_value = max_value

    def validate(self, value):
        raise NotImplementedError


class String(Field):
    """A str, stored stripped of surrounding whitespace, with length limits."""

    def __init__(self, min_length=0, max_length=None, *, default=_MISSING):
        super().__init__(default=default)
        self.min_length = min_length
        self.max_length = max_length

    def validate(self, value):
        raise NotImplementedError


class OneOf(Field):
    """One of a fixed set of choices."""

    def __init__(self, *choices, default=_MISSING):
        super().__init__(default=default)
        self.choices = choices

    def validate(self, value):
        raise NotImplementedError
