def customer_documents(db):
    """One dict per customer (sorted by id) with their orders and items embedded.

    {"id", "name", "orders": [{"id", "placed", "total", "items": [{"sku", "qty", "price"}]}]}
    Orders sorted by id, items in insertion order, total = sum of qty * price.
    """
    docs = {}
    for cid, name in db.execute("SELECT id, name FROM customers ORDER BY id"):
        docs[cid] = {"id": cid, "name": name, "orders": []}

    orders = {}
    for oid, cid, placed in db.execute("SELECT id, customer_id, placed FROM orders ORDER BY id"):
        order = {"id": oid, "placed": placed, "total": 0, "items": []}
        orders[oid] = order
        docs[cid]["orders"].append(order)

    for oid, sku, qty, price in db.execute(
        "SELECT order_id, sku, qty, price FROM order_items ORDER BY rowid"
    ):
        order = orders[oid]
        order["items"].append({"sku": sku, "qty": qty, "price": price})
        order["total"] += qty * price

    return list(docs.values())
