import pytest

from mathx import factorial


@pytest.mark.parametrize("n, expected", [(1, 1), (3, 6)])
def test_known_values(n, expected):
    """factorial(n) returns n! for small non-negative ints."""
    assert factorial(n) == expected


# TODO: add rows for 0 and a large n, and parametrized tests for
# negative numbers (ValueError) and non-int values (TypeError).
