import threading


def print_alternately(first, second):
    """Print the characters of `first` and `second` from two threads, strictly taking turns.

    The thread named "first" prints the characters of `first`, the thread named "second" those of
    `second`, one per line, starting with "first". When one runs out, the other prints the rest.
    Returns once both threads have finished.
    """

    def printer(text):
        for ch in text:
            # TODO: wait for this thread's turn, print, then hand the turn over
            print(ch)

    threads = [
        threading.Thread(target=printer, args=(first,), name="first"),
        threading.Thread(target=printer, args=(second,), name="second"),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
