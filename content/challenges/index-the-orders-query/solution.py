import sqlite3

QUERY = (
    "SELECT id, total FROM orders "
    "WHERE customer_id = ? AND status = ? "
    "ORDER BY created_at DESC LIMIT 10"
)


def query_plan(conn, sql, params=()):
    rows = conn.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall()
    return [row[3] for row in rows]


def add_index(conn):
    name = "idx_orders_customer_status_created"
    conn.execute(
        f"CREATE INDEX {name} ON orders (customer_id, status, created_at, total)"
    )
    return name
