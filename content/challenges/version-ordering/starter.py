class Version:
    """A MAJOR.MINOR.PATCH version number that compares numerically."""

    def __init__(self, text):
        """Parse '1', '1.2' or '1.2.3'; raise ValueError("invalid version: '...'") otherwise."""
        parts = text.split(".")
        self.major = int(parts[0])
        self.minor = int(parts[1]) if len(parts) > 1 else 0
        self.patch = int(parts[2]) if len(parts) > 2 else 0

    def __repr__(self):
        return f"Version('{self.major}.{self.minor}.{self.patch}')"

    def __str__(self):
        """'1.2.3'"""
        raise NotImplementedError

    def __iter__(self):
        """Yield major, minor, patch."""
        raise NotImplementedError

    def __eq__(self, other):
        """Equal when all three numbers match; NotImplemented for non-Versions."""
        raise NotImplementedError

    def __hash__(self):
        """Consistent with __eq__."""
        raise NotImplementedError

    def __lt__(self, other):
        """Order by (major, minor, patch); NotImplemented for non-Versions."""
        raise NotImplementedError

    # __le__, __gt__, __ge__: write them, or look at functools.total_ordering
