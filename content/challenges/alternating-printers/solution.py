import threading


def print_alternately(first, second):
    """Print the characters of `first` and `second` from two threads, strictly taking turns.

    The thread named "first" prints the characters of `first`, the thread named "second" those of
    `second`, one per line, starting with "first". When one runs out, the other prints the rest.
    Returns once both threads have finished.
    """
    cond = threading.Condition()
    state = {"turn": "first", "first": len(first), "second": len(second)}

    def printer(me, other, text):
        for ch in text:
            with cond:
                cond.wait_for(lambda: state["turn"] == me or state[other] == 0)
                print(ch)
                state[me] -= 1
                state["turn"] = other
                cond.notify_all()

    threads = [
        threading.Thread(target=printer, args=("first", "second", first), name="first"),
        threading.Thread(target=printer, args=("second", "first", second), name="second"),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
