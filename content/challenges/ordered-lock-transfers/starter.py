import threading


class Account:
    def __init__(self, number, balance):
        self.number = number
        self.balance = balance
        self.lock = threading.Lock()


def transfer(src, dst, amount):
    """Move `amount` from `src` to `dst` while holding both accounts' locks.

    Locks must always be taken lower account number first, so concurrent transfers cannot deadlock.
    Raises ValueError("amount must be positive"), ValueError("same account") or
    ValueError("insufficient funds"); balances are unchanged when it raises.
    """
    if amount <= 0:
        raise ValueError("amount must be positive")
    # TODO: reject a transfer to the same account, and fix the lock order below
    with src.lock:
        with dst.lock:
            if src.balance < amount:
                raise ValueError("insufficient funds")
            src.balance -= amount
            dst.balance += amount
