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


def _worker(lines, results):
    results.put(count_chunk(lines))


def count_words(lines, workers=2, top=None):
    """Count words with `workers` processes (map) and merge their counts (reduce).

    Returns (word, count) pairs sorted by count (highest first), then word; only the first `top`
    pairs when `top` is given.
    """
    k = min(workers, len(lines))
    size, extra = divmod(len(lines), k) if k else (0, 0)
    shares, start = [], 0
    for i in range(k):
        end = start + size + (1 if i < extra else 0)
        shares.append(lines[start:end])
        start = end

    results = mp.Queue()
    procs = [mp.Process(target=_worker, args=(share, results)) for share in shares]
    for p in procs:
        p.start()
    partials = [results.get() for _ in procs]   # drain first...
    for p in procs:
        p.join()                                # ...then join

    total = Counter()
    for partial in partials:
        total.update(partial)
    ranked = sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))
    return ranked if top is None else ranked[:top]
