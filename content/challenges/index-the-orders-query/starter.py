import sqlite3

QUERY = (
    "SELECT id, total FROM orders "
    "WHERE customer_id = ? AND status = ? "
    "ORDER BY created_at DESC LIMIT 10"
)


def query_plan(conn, sql, params=()):
    """Return the `detail` text of each EXPLAIN QUERY PLAN row, in order."""
    return conn.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()


def add_index(conn):
    """Create ONE index on orders that lets QUERY run as a single covering-index search.

    Return the index's name.
    """
    conn.execute("CREATE INDEX idx_orders_customer ON orders (customer_id)")
    return "idx_orders_customer"
