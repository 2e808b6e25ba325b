import threading
import time


def run_workers(jobs):
    """Run every (name, delay) job in its own thread, all at the same time.

    Each job's thread sleeps `delay` seconds, then records `name`.
    Return the names in the order the jobs finished, once every thread is done.
    """
    finished = []
    lock = threading.Lock()

    def work(name, delay):
        time.sleep(delay)
        with lock:
            finished.append(name)

    threads = [threading.Thread(target=work, args=(name, delay), name=name) for name, delay in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return finished
