from hypothesis import given, settings, strategies as st

from rle import decode, encode


@settings(deadline=None)
@given(st.text())
def test_decode_reverses_encode(text):
    """Decoding an encoding gives back the original text."""
    assert decode(encode(text)) == text


# TODO: a property that the encoding is canonical (counts add up to len(text),
# every count >= 1, no two neighbouring pairs share a character), a strategy
# that produces long runs, and the empty string.
