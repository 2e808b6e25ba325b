import pytest

from inventory import Inventory, OutOfStock


@pytest.fixture
def empty():
    """A brand-new inventory."""
    return Inventory()


@pytest.fixture
def stocked(empty):
    """An inventory holding 3 pens and 5 pads."""
    empty.add("pen", 3)
    empty.add("pad", 5)
    return empty


def test_add_increases_count(empty):
    empty.add("pen", 2)
    assert empty.count("pen") == 2


def test_remove_decreases_count(stocked):
    stocked.remove("pen", 1)
    assert stocked.count("pen") == 2


# TODO: cover every rule of the contract in the statement:
# accumulation, invalid quantities, removing everything, OutOfStock,
# unknown SKUs, sorted skus(), and separate inventories.
