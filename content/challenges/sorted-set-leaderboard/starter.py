class SortedSet:
    """A dict-backed stand-in for one Redis sorted set. See the statement for each method."""

    def __init__(self):
        self._scores = {}

    def zadd(self, member, score):
        """Set member's score; return 1 if the member is new, else 0."""
        self._scores[member] = score
        return 1

    def zincrby(self, member, amount):
        """Add amount to member's score (missing members start at 0); return the new score."""
        raise NotImplementedError

    def zscore(self, member):
        """Return member's score, or None."""
        return self._scores.get(member)

    def zrem(self, member):
        """Remove member; return 1 if it existed, else 0."""
        raise NotImplementedError

    def zcard(self):
        """Return the number of members."""
        return len(self._scores)

    def zrank(self, member):
        """0-based position in ascending order, or None."""
        raise NotImplementedError

    def zrevrank(self, member):
        """0-based position in descending order, or None."""
        raise NotImplementedError

    def zrange(self, start, stop, withscores=False):
        """Members from start to stop INCLUSIVE in ascending order (Redis index rules)."""
        ordered = sorted(self._scores, key=self._scores.get)
        return ordered[start:stop]

    def zrevrange(self, start, stop, withscores=False):
        """Like zrange, in descending order."""
        raise NotImplementedError

    def zrangebyscore(self, low, high):
        """Members with low <= score <= high, ascending."""
        raise NotImplementedError


def leaderboard_page(zset, page, per_page):
    """[(position, member, score), ...] for a 1-based page, best first."""
    raise NotImplementedError
