import sqlite3


def spending_report(conn, min_total=0):
    """One (name, paid_orders, paid_total) tuple per customer; see the statement.

    Only orders with status 'paid' count. Customers without paid orders appear
    with (name, 0, 0.0). Sorted by paid_total descending, then name.
    """
    rows = conn.execute(
        """
        SELECT c.name, COUNT(*), SUM(o.total)
        FROM customers AS c
        JOIN orders AS o ON o.customer_id = c.id
        GROUP BY c.id
        """
    )
    return [tuple(row) for row in rows]


def top_countries(conn, min_customers=1):
    """One (country, paying_customers, revenue) tuple per country; see the statement."""
    return []
