from abc import ABC, abstractmethod


def subtotal(lines):
    """Sum of unit_price * quantity over (sku, unit_price, quantity) lines, in cents."""
    return sum(price * qty for _sku, price, qty in lines)


class Rule(ABC):
    """A promotion: given the cart lines, how many cents to take off."""

    label = ""

    @abstractmethod
    def discount(self, lines):
        """Return the discount in cents (an int >= 0) for these lines."""


class PercentOff(Rule):
    def __init__(self, percent, sku=None):
        self.percent = percent
        self.sku = sku
        self.label = f"{percent}% off" + (f" {sku}" if sku else "")

    def discount(self, lines):
        base = subtotal([line for line in lines if self.sku is None or line[0] == self.sku])
        return base * self.percent // 100


class BuyXGetYFree(Rule):
    def __init__(self, sku, x, y):
        self.sku, self.x, self.y = sku, x, y
        self.label = f"buy {x} get {y} free on {sku}"

    def discount(self, lines):
        matching = [line for line in lines if line[0] == self.sku]
        if not matching:
            return 0
        quantity = sum(qty for _sku, _price, qty in matching)
        free = quantity // (self.x + self.y) * self.y
        return free * matching[0][1]


class FixedOffOver(Rule):
    def __init__(self, threshold, amount):
        self.threshold, self.amount = threshold, amount
        self.label = f"{amount} off orders of {threshold} or more"

    def discount(self, lines):
        return self.amount if subtotal(lines) >= self.threshold else 0


class Checkout:
    def __init__(self, rules):
        rules = list(rules)
        if not all(isinstance(rule, Rule) for rule in rules):
            raise TypeError("rules must be Rule instances")
        self.rules = rules

    def breakdown(self, lines):
        applied = []
        for rule in self.rules:
            amount = rule.discount(lines)
            if amount > 0:
                applied.append((rule.label, amount))
        return applied

    def total(self, lines):
        return max(0, subtotal(lines) - sum(amount for _label, amount in self.breakdown(lines)))
