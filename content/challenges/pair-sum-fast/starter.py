def find_pair(numbers, target):
    """Return (i, j) with i < j and numbers[i] + numbers[j] == target, or None.

    Among all pairs, pick the one with the smallest j; for that j, the smallest i.

    This version is correct but O(n^2). Rewrite it to run in O(n).
    """
    for j in range(len(numbers)):
        for i in range(j):
            if numbers[i] + numbers[j] == target:
                return (i, j)
    return None
