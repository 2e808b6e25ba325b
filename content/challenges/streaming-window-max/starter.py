def window_max(stream, k):
    """Yield the maximum of each window of k consecutive values of stream.

    Lazy, about O(1) work per value on average and O(k) memory.
    This version reads everything first and scans every window: fix both.
    """
    values = list(stream)
    for end in range(k, len(values) + 1):
        yield max(values[end - k:end])
