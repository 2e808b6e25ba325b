class Unavailable(Exception):
    """Every server of the matching route is marked down."""


class Gateway:
    def __init__(self, routes):
        """routes: {prefix: [(server, weight), ...]}"""
        self.routes = routes
        self.down = set()
        self.turn = 0

    def mark_down(self, server):
        self.down.add(server)

    def mark_up(self, server):
        self.down.discard(server)

    def route(self, target):
        """(server, upstream_target) for a request target such as "/api/users?page=2", or None."""
        # TODO: whole-segment prefixes, the longest one, the prefix stripped, smooth weighted
        # round robin over the healthy servers, Unavailable when none is healthy.
        for prefix, servers in self.routes.items():
            if target.startswith(prefix):
                server = servers[self.turn % len(servers)][0]
                self.turn += 1
                return server, target
        return None
