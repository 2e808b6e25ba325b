from hypothesis import example, given, settings, strategies as st

from rle import decode, encode


def build(runs):
    """Turn [('a', 3), ('b', 1)] into 'aaab'."""
    return "".join(ch * n for ch, n in runs)


# Plain random text rarely has long runs, so also build strings from runs.
run_lists = st.lists(st.tuples(st.sampled_from("abc"), st.integers(min_value=1, max_value=15)))
texts = st.one_of(st.text(), st.text(alphabet="ab"), run_lists.map(build))


@settings(deadline=None)
@given(texts)
@example("a" * 12)
@example("")
def test_decode_reverses_encode(text):
    assert decode(encode(text)) == text


@settings(deadline=None)
@given(texts)
@example("a" * 12 + "b")
@example("")
def test_encoding_is_canonical(text):
    pairs = encode(text)
    assert sum(count for _, count in pairs) == len(text)
    for ch, count in pairs:
        assert len(ch) == 1
        assert count >= 1
    for (left, _), (right, _) in zip(pairs, pairs[1:]):
        assert left != right


def test_empty_string():
    assert encode("") == []
    assert decode([]) == ""


def test_known_example():
    assert encode("aaabccd") == [("a", 3), ("b", 1), ("c", 2), ("d", 1)]
