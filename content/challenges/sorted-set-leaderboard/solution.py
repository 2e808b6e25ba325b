class SortedSet:
    """A dict-backed stand-in for one Redis sorted set."""

    def __init__(self):
        self._scores = {}

    def _ordered(self):
        return sorted(self._scores.items(), key=lambda item: (item[1], item[0]))

    @staticmethod
    def _slice(items, start, stop):
        n = len(items)
        if start < 0:
            start = max(n + start, 0)
        if stop < 0:
            stop = n + stop
        if start > stop or start >= n:
            return []
        return items[start:stop + 1]

    @staticmethod
    def _shape(items, withscores):
        return list(items) if withscores else [member for member, _ in items]

    def zadd(self, member, score):
        is_new = member not in self._scores
        self._scores[member] = score
        return int(is_new)

    def zincrby(self, member, amount):
        self._scores[member] = self._scores.get(member, 0) + amount
        return self._scores[member]

    def zscore(self, member):
        return self._scores.get(member)

    def zrem(self, member):
        return int(self._scores.pop(member, None) is not None)

    def zcard(self):
        return len(self._scores)

    def zrank(self, member):
        if member not in self._scores:
            return None
        return [m for m, _ in self._ordered()].index(member)

    def zrevrank(self, member):
        rank = self.zrank(member)
        return None if rank is None else len(self._scores) - 1 - rank

    def zrange(self, start, stop, withscores=False):
        return self._shape(self._slice(self._ordered(), start, stop), withscores)

    def zrevrange(self, start, stop, withscores=False):
        return self._shape(self._slice(self._ordered()[::-1], start, stop), withscores)

    def zrangebyscore(self, low, high):
        return [m for m, s in self._ordered() if low <= s <= high]


def leaderboard_page(zset, page, per_page):
    start = (page - 1) * per_page
    rows = zset.zrevrange(start, start + per_page - 1, withscores=True)
    return [(start + i + 1, member, score) for i, (member, score) in enumerate(rows)]
