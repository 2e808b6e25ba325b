def factorial(n):
    """Return n! computed recursively.

    factorial(0) == factorial(1) == 1 (base case, no further call);
    for n >= 2, return n * factorial(n - 1).

    Raises TypeError("n must be an int") if n is not an int (bool included),
    and ValueError("n must be non-negative") if n < 0.
    """
    if n <= 1:
        return 1
    # TODO: validate n first, then write the recursive case
