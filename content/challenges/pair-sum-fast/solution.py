def find_pair(numbers, target):
    """Return (i, j) with i < j and numbers[i] + numbers[j] == target, or None.

    Among all pairs, pick the one with the smallest j; for that j, the smallest i.
    Runs in O(n): one pass, with a dict from value to the first index it appeared at.
    """
    first_index = {}
    for j, value in enumerate(numbers):
        partner = target - value
        if partner in first_index:
            return (first_index[partner], j)
        first_index.setdefault(value, j)
    return None
