import sqlite3


def transfer(conn, src, dst, amount):
    """Move `amount` from account `src` to account `dst` atomically.

    Validate the arguments (see the statement), update both balances and log the
    transfer in one transaction, and return (new_src_balance, new_dst_balance).
    On any error nothing may change and no transaction may be left open.
    """
    if amount <= 0:
        raise ValueError("amount must be a positive integer")
    conn.execute("UPDATE accounts SET balance = balance - ? WHERE name = ?", (amount, src))
    conn.commit()
    conn.execute("UPDATE accounts SET balance = balance + ? WHERE name = ?", (amount, dst))
    conn.commit()
    conn.execute("INSERT INTO transfers (src, dst, amount) VALUES (?, ?, ?)", (src, dst, amount))
    conn.commit()
    src_balance = conn.execute("SELECT balance FROM accounts WHERE name = ?", (src,)).fetchone()[0]
    dst_balance = conn.execute("SELECT balance FROM accounts WHERE name = ?", (dst,)).fetchone()[0]
    return src_balance, dst_balance
