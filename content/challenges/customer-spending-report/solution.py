import sqlite3


def spending_report(conn, min_total=0):
    rows = conn.execute(
        """
        SELECT c.name,
               COUNT(o.id) AS paid_orders,
               ROUND(COALESCE(SUM(o.total), 0), 2) AS paid_total
        FROM customers AS c
        LEFT JOIN orders AS o
               ON o.customer_id = c.id AND o.status = 'paid'
        GROUP BY c.id
        HAVING paid_total >= ?
        ORDER BY paid_total DESC, c.name ASC
        """,
        (min_total,),
    )
    return [tuple(row) for row in rows]


def top_countries(conn, min_customers=1):
    rows = conn.execute(
        """
        SELECT c.country,
               COUNT(DISTINCT c.id) AS customers,
               ROUND(SUM(o.total), 2) AS revenue
        FROM orders AS o
        JOIN customers AS c ON c.id = o.customer_id
        WHERE o.status = 'paid'
        GROUP BY c.country
        HAVING COUNT(DISTINCT c.id) >= ?
        ORDER BY revenue DESC, c.country ASC
        """,
        (min_customers,),
    )
    return [tuple(row) for row in rows]
