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
        raise NotImplementedError


class BuyXGetYFree(Rule):
    def __init__(self, sku, x, y):
        self.sku, self.x, self.y = sku, x, y
        self.label = f"buy {x} get {y} free on {sku}"

    def discount(self, lines):
        raise NotImplementedError


class FixedOffOver(Rule):
    def __init__(self, threshold, amount):
        self.threshold, self.amount = threshold, amount
        self.label = f"{amount} off orders of {threshold} or more"

    def discount(self, lines):
        raise NotImplementedError


class Checkout:
    """Applies any Rule objects it is given. It must not need to know the concrete rule classes."""

    def __init__(self, rules):
        self.rules = list(rules)

    def breakdown(self, lines):
        """[(label, cents)] for each rule whose discount is > 0, in the rules' order."""
        applied = []
        for rule in self.rules:
            # This version knows about percentages only: every new rule means editing it.
            if isinstance(rule, PercentOff):
                amount = subtotal(lines) * rule.percent // 100
                if amount > 0:
                    applied.append((rule.label, amount))
        return applied

    def total(self, lines):
        """Subtotal minus all discounts, never below 0."""
        return subtotal(lines) - sum(amount for _label, amount in self.breakdown(lines))
