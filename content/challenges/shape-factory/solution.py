import math
from abc import ABC, abstractmethod

_SHAPES = {}


class Shape(ABC):
    """Base class of every shape the factory can build."""

    kind = "shape"

    @abstractmethod
    def area(self):
        """Return the area."""

    @abstractmethod
    def perimeter(self):
        """Return the perimeter."""

    def describe(self):
        return f"{self.kind} area={self.area():.2f} perimeter={self.perimeter():.2f}"


def _positive(name, value):
    if not isinstance(value, (int, float)) or value <= 0:
        raise ValueError(f"{name} must be positive")
    return value


def register_shape(name):
    """Class decorator: make a Shape subclass available to create_shape under `name`."""
    key = name.strip().lower()

    def register(cls):
        if not (isinstance(cls, type) and issubclass(cls, Shape)):
            raise TypeError("only Shape subclasses can be registered")
        if key in _SHAPES:
            raise ValueError(f"shape already registered: {key}")
        cls.kind = key
        _SHAPES[key] = cls
        return cls

    return register


def create_shape(name, **params):
    """Build the shape registered under `name` (case and surrounding spaces ignored)."""
    try:
        cls = _SHAPES[name.strip().lower()]
    except KeyError:
        raise ValueError(f"unknown shape: {name!r}") from None
    return cls(**params)


def available_shapes():
    return sorted(_SHAPES)


@register_shape("circle")
class Circle(Shape):
    def __init__(self, radius):
        self.radius = _positive("radius", radius)

    def area(self):
        return math.pi * self.radius ** 2

    def perimeter(self):
        return 2 * math.pi * self.radius


@register_shape("square")
class Square(Shape):
    def __init__(self, side):
        self.side = _positive("side", side)

    def area(self):
        return self.side ** 2

    def perimeter(self):
        return 4 * self.side


@register_shape("rectangle")
class Rectangle(Shape):
    def __init__(self, width, height):
        self.width = _positive("width", width)
        self.height = _positive("height", height)

    def area(self):
        return self.width * self.height

    def perimeter(self):
        return 2 * (self.width + self.height)
