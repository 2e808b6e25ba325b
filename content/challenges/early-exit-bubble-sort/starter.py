def bubble_sort(items):
    """Sort a copy of items with bubble sort and count the passes.

    Returns (sorted_list, passes). The argument is not modified.
    Passes continue until one makes no swap; that final quiet pass is counted,
    so a list that is already sorted (even an empty one) takes exactly 1 pass.

    This version always makes len(items) - 1 passes. Add the early exit.
    """
    data = list(items)
    passes = 0
    n = len(data)
    for end in range(n - 1, 0, -1):
        passes += 1
        for i in range(end):
            if data[i] > data[i + 1]:
                data[i], data[i + 1] = data[i + 1], data[i]
    return data, passes
