def merge(sequences):
    """Merge the bases' linearizations and the list of bases with the C3 rule.

    Repeatedly take the first head (first element of a sequence) that does not appear in the
    tail (any later position) of any sequence, append it to the result and remove it from every
    sequence. Return None when every head appears in some tail.
    """
    raise NotImplementedError


def mro(bases, name):
    """Return the method resolution order of class `name` as a list of names ending in 'object'.

    `bases` maps each class name to the list of its base names, in declaration order; an empty
    list means the class inherits only from object. Raise TypeError("cannot linearize <class>")
    for the first class whose order cannot be built.
    """
    # A first attempt: depth-first, left to right, keeping the first occurrence of each class.
    # It gets simple chains right but visits a shared base too early in a diamond.
    order = []

    def visit(cls):
        if cls not in order:
            order.append(cls)
        for base in bases.get(cls, []):
            visit(base)

    visit(name)
    return order + ["object"]
