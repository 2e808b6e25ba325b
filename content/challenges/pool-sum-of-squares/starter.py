from multiprocessing import Pool


def split(numbers, parts):
    """Split `numbers` into at most `parts` contiguous, non-empty sublists of near-equal size.

    The first len(numbers) % parts sublists get one extra element.

    >>> split([1, 2, 3, 4, 5, 6, 7], 3)
    [[1, 2, 3], [4, 5], [6, 7]]
    """
    raise NotImplementedError


def sum_of_squares(chunk):
    """Return the sum of the squares of the numbers in `chunk`."""
    return sum(n * n for n in chunk)


def parallel_sum_of_squares(numbers, parts=4):
    """Split `numbers` with split(), square-sum each chunk in a Pool of 2 processes.

    Returns (partials, total): the per-chunk sums in chunk order, and their total.
    """
    chunks = split(numbers, parts)
    # TODO: compute the partial sums in a multiprocessing.Pool(processes=2) instead of here
    partials = [sum_of_squares(chunk) for chunk in chunks]
    return partials, sum(partials)
