import json
from unittest import mock

import pytest

import weather
from weather import WeatherError, current_temp


def body(**fields):
    """Build a JSON response body such as the API would send."""
    return json.dumps(fields)


def test_returns_the_temperature(monkeypatch):
    monkeypatch.setattr(weather, "http_get", lambda url, timeout: body(city="Oslo", temp_c=4.0))
    assert current_temp("Oslo") == 4.0


# TODO: check the URL and timeout http_get receives (and that it is called once),
# the rounding, and that network errors and bad bodies become WeatherError.
