import multiprocessing as mp
from collections import Counter

PUNCTUATION = ".,!?;:\"'()"


def normalize(word):
    """Lower-case `word` and strip punctuation from both ends."""
    return word.strip(PUNCTUATION).lower()


def count_chunk(lines):
    """Map step: count the normalized, non-empty words in `lines`."""
    counts = Counter()
    for line in lines:
        for word in line.split():
            word = normalize(word)
            if word:
                counts[word] += 1
    return counts


def count_words(lines, workers=2, top=None):
    """Count words with `workers` processes (map) and merge their counts (reduce).

    Returns (word, count) pairs sorted by count (highest first), then word; only the first `top`
    pairs when `top` is given.
    """
    # TODO: give each of `workers` processes a share of the lines; each runs count_chunk on its
    # share and sends the Counter back through a multiprocessing.Queue. Merge them here.
    total = count_chunk(lines)
    ranked = sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))
    return ranked if top is None else ranked[:top]
