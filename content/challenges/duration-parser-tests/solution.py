import pytest

from durations import parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1h30m", 5400),
        ("2h", 7200),
        ("90m", 5400),
        ("45s", 45),
        ("1h5s", 3605),
        ("1h2m3s", 3723),
        ("0s", 0),
        ("0h0m0s", 0),
        ("120s", 120),
    ],
)
def test_valid_durations(text, seconds):
    assert parse_duration(text) == seconds


def test_result_is_an_int():
    assert type(parse_duration("1m")) is int


def test_surrounding_spaces_are_ignored():
    assert parse_duration(" 5m ") == 300
    assert parse_duration("\t1h\n") == 3600


@pytest.mark.parametrize(
    "text",
    ["", "   ", "3d", "10", "1h30", "5m1h", "1s1m", "1m1m", "2h2h", "-5m", "+5m", "1h 30m", "h", "1.5h", "m5"],
)
def test_invalid_durations(text):
    with pytest.raises(ValueError):
        parse_duration(text)


@pytest.mark.parametrize("value", [None, 90, 1.5, b"1h", ["1h"]])
def test_non_text_is_a_type_error(value):
    with pytest.raises(TypeError):
        parse_duration(value)
