import threading
import time


def run_workers(jobs):
    """Run every (name, delay) job in its own thread, all at the same time.

    Each job's thread sleeps `delay` seconds, then records `name`.
    Return the names in the order the jobs finished, once every thread is done.

    >>> run_workers([("slow", 0.8), ("fast", 0.1), ("medium", 0.45)])
    ['fast', 'medium', 'slow']
    """
    finished = []

    def work(name, delay):
        time.sleep(delay)
        finished.append(name)

    # TODO: this runs the jobs one after another. Start one threading.Thread per job,
    # start them all, then wait for all of them with join().
    for name, delay in jobs:
        work(name, delay)
    return finished
