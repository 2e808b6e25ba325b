def walk(node):
    """Yield node names in pre-order; a truthy value sent after a name skips that node's children.

    Returns the number of names yielded.
    """
    prune = yield node["name"]
    count = 1
    if not prune:
        for child in node.get("children", ()):
            # yield from forwards the consumer's send() to the child's walk, and gives back the
            # count that walk returns.
            count += yield from walk(child)
    return count


def collect(tree, skip):
    """Drive walk(tree), sending True after each name in skip. Return (names, count)."""
    gen = walk(tree)
    names = []
    try:
        name = next(gen)
        while True:
            names.append(name)
            name = gen.send(name in skip)
    except StopIteration as finished:
        return names, finished.value
