import pytest

from durations import parse_duration


def test_hours_and_minutes():
    assert parse_duration("1h30m") == 5400


def test_unknown_unit_is_refused():
    with pytest.raises(ValueError):
        parse_duration("3d")


# TODO: a test for each rule of the contract: every unit and its factor, the order and repetition
# of units, zero amounts, the type of the result, surrounding spaces, text that is not a duration
# (empty, a number without a unit), and input that is not a str.
