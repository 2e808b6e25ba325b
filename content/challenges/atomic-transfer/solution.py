import sqlite3


def _balance(conn, name):
    row = conn.execute("SELECT balance FROM accounts WHERE name = ?", (name,)).fetchone()
    if row is None:
        raise ValueError(f"unknown account: {name}")
    return row[0]


def transfer(conn, src, dst, amount):
    if not isinstance(amount, int) or isinstance(amount, bool) or amount <= 0:
        raise ValueError("amount must be a positive integer")
    if src == dst:
        raise ValueError("same account")
    # sqlite3 opens a transaction only before the first write, so the balance check would run
    # outside it: take the write lock first, so nobody can change the balance between the check
    # and the UPDATE.
    conn.execute("BEGIN IMMEDIATE")
    with conn:  # commit on success, roll back on any exception
        src_balance = _balance(conn, src)
        dst_balance = _balance(conn, dst)
        if src_balance < amount:
            raise ValueError("insufficient funds")
        conn.execute("UPDATE accounts SET balance = balance - ? WHERE name = ?", (amount, src))
        conn.execute("UPDATE accounts SET balance = balance + ? WHERE name = ?", (amount, dst))
        conn.execute(
            "INSERT INTO transfers (src, dst, amount) VALUES (?, ?, ?)", (src, dst, amount)
        )
    return src_balance - amount, dst_balance + amount
