from multiprocessing import Pool


def split(numbers, parts):
    """Split `numbers` into at most `parts` contiguous, non-empty sublists of near-equal size.

    The first len(numbers) % parts sublists get one extra element.
    """
    parts = min(parts, len(numbers))
    if parts == 0:
        return []
    size, extra = divmod(len(numbers), parts)
    chunks, start = [], 0
    for i in range(parts):
        end = start + size + (1 if i < extra else 0)
        chunks.append(numbers[start:end])
        start = end
    return chunks


def sum_of_squares(chunk):
    """Return the sum of the squares of the numbers in `chunk`."""
    return sum(n * n for n in chunk)


def parallel_sum_of_squares(numbers, parts=4):
    """Split `numbers` with split(), square-sum each chunk in a Pool of 2 processes.

    Returns (partials, total): the per-chunk sums in chunk order, and their total.
    """
    chunks = split(numbers, parts)
    with Pool(processes=2) as pool:
        partials = pool.map(sum_of_squares, chunks)
    return partials, sum(partials)
