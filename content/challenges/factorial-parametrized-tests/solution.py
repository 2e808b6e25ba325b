import pytest

from mathx import factorial


@pytest.mark.parametrize(
    "n, expected",
    [
        (0, 1),
        (1, 1),
        (2, 2),
        (5, 120),
        (10, 3628800),
        pytest.param(25, 15511210043330985984000000, id="big-is-exact"),
    ],
)
def test_known_values(n, expected):
    result = factorial(n)
    assert result == expected
    assert type(result) is int


@pytest.mark.parametrize("n", [-1, -5, -100])
def test_negative_raises_value_error(n):
    with pytest.raises(ValueError):
        factorial(n)


@pytest.mark.parametrize("value", [3.0, 2.5, "4", None])
def test_non_int_raises_type_error(value):
    with pytest.raises(TypeError):
        factorial(value)
