from functools import total_ordering


@total_ordering
class Version:
    """A MAJOR.MINOR.PATCH version number that compares numerically."""

    def __init__(self, text):
        parts = text.split(".")
        valid = 1 <= len(parts) <= 3 and all(p.isascii() and p.isdigit() for p in parts)
        if not valid:
            raise ValueError(f"invalid version: {text!r}")
        numbers = [int(p) for p in parts] + [0] * (3 - len(parts))
        self.major, self.minor, self.patch = numbers

    def _key(self):
        return (self.major, self.minor, self.patch)

    def __repr__(self):
        return f"Version('{self}')"

    def __str__(self):
        return f"{self.major}.{self.minor}.{self.patch}"

    def __iter__(self):
        return iter(self._key())

    def __eq__(self, other):
        if not isinstance(other, Version):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self):
        return hash(self._key())

    def __lt__(self, other):
        if not isinstance(other, Version):
            return NotImplemented
        return self._key() < other._key()
