from collections import deque


def window_max(stream, k):
    """Yield the maximum of each window of k consecutive values of stream.

    Lazy, about O(1) work per value on average and O(k) memory.
    """
    if k < 1:
        raise ValueError(f"window size must be at least 1, got {k}")
    # (position, value) pairs whose values decrease from front to back: a value with a larger or
    # equal one after it can never be a window's maximum again, so it is dropped at once.
    candidates = deque()
    for i, value in enumerate(stream):
        while candidates and candidates[-1][1] <= value:
            candidates.pop()
        candidates.append((i, value))
        if candidates[0][0] <= i - k:
            candidates.popleft()
        if i >= k - 1:
            yield candidates[0][1]
