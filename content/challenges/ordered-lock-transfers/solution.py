import threading


class Account:
    def __init__(self, number, balance):
        self.number = number
        self.balance = balance
        self.lock = threading.Lock()


def transfer(src, dst, amount):
    """Move `amount` from `src` to `dst` while holding both accounts' locks.

    Locks are always taken lower account number first, so concurrent transfers cannot deadlock.
    Raises ValueError("amount must be positive"), ValueError("same account") or
    ValueError("insufficient funds"); balances are unchanged when it raises.
    """
    if amount <= 0:
        raise ValueError("amount must be positive")
    if src is dst:
        raise ValueError("same account")
    first, second = sorted((src, dst), key=lambda acc: acc.number)
    with first.lock:
        with second.lock:
            if src.balance < amount:
                raise ValueError("insufficient funds")
            src.balance -= amount
            dst.balance += amount
