class Point:
    """A 2D point stored in slots: no per-instance __dict__, weak references allowed."""

    __slots__ = ("x", "y", "__weakref__")

    def __init__(self, x, y):
        self.x = x
        self.y = y

    def as_tuple(self):
        """Return (x, y)."""
        return (self.x, self.y)

    def __repr__(self):
        return f"Point({self.x!r}, {self.y!r})"


class Point3D(Point):
    """A 3D point: a Point plus z, still without an instance __dict__."""

    __slots__ = ("z",)

    def __init__(self, x, y, z):
        super().__init__(x, y)
        self.z = z

    def as_tuple(self):
        """Return (x, y, z)."""
        return (self.x, self.y, self.z)

    def __repr__(self):
        return f"Point3D({self.x!r}, {self.y!r}, {self.z!r})"
