def bubble_sort(items):
    """Sort a copy of items with bubble sort and count the passes.

    Returns (sorted_list, passes). The argument is not modified.
    Passes continue until one makes no swap; that final quiet pass is counted,
    so a list that is already sorted (even an empty one) takes exactly 1 pass.
    """
    data = list(items)
    passes = 0
    end = len(data) - 1
    while True:
        passes += 1
        swapped = False
        for i in range(end):
            if data[i] > data[i + 1]:
                data[i], data[i + 1] = data[i + 1], data[i]
                swapped = True
        if not swapped:
            return data, passes
        end -= 1
