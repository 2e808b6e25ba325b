import json
import urllib.error
from unittest import mock

import pytest

import weather
from weather import WeatherError, current_temp


def body(**fields):
    """Build a JSON response body such as the API would send."""
    return json.dumps(fields)


@pytest.fixture
def fake_get():
    """Replace weather.http_get for one test; configure return_value or side_effect."""
    with mock.patch("weather.http_get") as fake:
        fake.return_value = body(city="Oslo", temp_c=4.0)
        yield fake


def test_returns_the_temperature(fake_get):
    assert current_temp("Oslo") == 4.0


def test_calls_the_api_once_with_url_and_timeout(fake_get):
    current_temp("Oslo")
    fake_get.assert_called_once_with(weather.API_URL + "?city=Oslo", timeout=2.0)


def test_city_is_url_encoded(fake_get):
    current_temp("New York")
    fake_get.assert_called_once_with(
        "https://weather.example.com/v1/current?city=New%20York", timeout=2.0
    )


@pytest.mark.parametrize("raw, expected", [(21.46, 21.5), (-3.04, -3.0), (18, 18.0)])
def test_rounds_to_one_decimal(fake_get, raw, expected):
    fake_get.return_value = body(city="Oslo", temp_c=raw)
    result = current_temp("Oslo")
    assert result == expected
    assert isinstance(result, float)


@pytest.mark.parametrize(
    "error",
    [ConnectionError("refused"), TimeoutError("slow"), urllib.error.URLError("dns"), OSError("io")],
)
def test_network_errors_become_weather_error(fake_get, error):
    fake_get.side_effect = error
    with pytest.raises(WeatherError):
        current_temp("Oslo")


@pytest.mark.parametrize("raw", ['{"city": "Oslo"}', "<html>oops</html>", ""])
def test_bad_bodies_become_weather_error(fake_get, raw):
    fake_get.return_value = raw
    with pytest.raises(WeatherError):
        current_temp("Oslo")
