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


def test_new_inventory_is_empty(empty):
    assert empty.skus() == []
    assert empty.count("pen") == 0


def test_add_increases_count(empty):
    empty.add("pen", 2)
    assert empty.count("pen") == 2


def test_add_accumulates(empty):
    empty.add("pen", 2)
    empty.add("pen", 3)
    assert empty.count("pen") == 5


@pytest.mark.parametrize("qty", [0, -1])
def test_add_rejects_non_positive(empty, qty):
    with pytest.raises(ValueError):
        empty.add("pen", qty)
    assert empty.count("pen") == 0


def test_remove_decreases_count(stocked):
    stocked.remove("pen", 1)
    assert stocked.count("pen") == 2


def test_remove_everything_drops_the_sku(stocked):
    stocked.remove("pen", 3)
    assert stocked.count("pen") == 0
    assert stocked.skus() == ["pad"]


def test_cannot_remove_more_than_stock(stocked):
    with pytest.raises(OutOfStock):
        stocked.remove("pen", 4)
    assert stocked.count("pen") == 3
    assert stocked.skus() == ["pad", "pen"]


def test_cannot_remove_unknown_sku(stocked):
    with pytest.raises(OutOfStock):
        stocked.remove("ink", 1)
    assert stocked.count("ink") == 0
    assert "ink" not in stocked.skus()


@pytest.mark.parametrize("qty", [0, -2])
def test_remove_rejects_non_positive(stocked, qty):
    with pytest.raises(ValueError):
        stocked.remove("pen", qty)
    assert stocked.count("pen") == 3


def test_skus_are_sorted(empty):
    for sku in ["zip", "bag", "mug"]:
        empty.add(sku, 1)
    assert empty.skus() == ["bag", "mug", "zip"]


def test_inventories_are_independent():
    first = Inventory()
    first.add("lamp", 1)
    second = Inventory()
    assert second.count("lamp") == 0
    assert second.skus() == []
