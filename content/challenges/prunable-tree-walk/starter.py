def walk(node):
    """Yield node names in pre-order; a truthy value sent after a name skips that node's children.

    Returns the number of names yielded.
    """
    yield node["name"]
    for child in node.get("children", ()):
        for name in walk(child):
            yield name


def collect(tree, skip):
    """Drive walk(tree), sending True after each name in skip. Return (names, count)."""
    names = list(walk(tree))
    return names, len(names)
