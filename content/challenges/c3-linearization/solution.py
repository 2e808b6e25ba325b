def merge(sequences):
    """Merge linearizations with the C3 rule; return None when no consistent order exists."""
    sequences = [list(seq) for seq in sequences if seq]
    result = []
    while sequences:
        for seq in sequences:
            head = seq[0]
            if not any(head in other[1:] for other in sequences):
                break
        else:
            return None
        result.append(head)
        sequences = [[c for c in seq if c != head] for seq in sequences]
        sequences = [seq for seq in sequences if seq]
    return result


def mro(bases, name):
    """Return the C3 method resolution order of class `name`, ending with 'object'."""
    cache = {}

    def linearize(cls):
        if cls == "object":
            return ["object"]
        if cls in cache:
            return cache[cls]
        parents = bases[cls] or ["object"]
        merged = merge([linearize(p) for p in parents] + [list(parents)])
        if merged is None:
            raise TypeError(f"cannot linearize {cls}")
        cache[cls] = [cls] + merged
        return cache[cls]

    return linearize(name)
