class Unavailable(Exception):
    """Every server of the matching route is marked down."""


class Gateway:
    def __init__(self, routes):
        # prefix -> [(server, weight), ...]; "current" holds the smooth round-robin state.
        self.routes = {prefix: list(servers) for prefix, servers in routes.items()}
        self.current = {prefix: {server: 0 for server, _ in servers} for prefix, servers in routes.items()}
        self.down = set()

    def mark_down(self, server):
        self.down.add(server)

    def mark_up(self, server):
        self.down.discard(server)

    def _match(self, path):
        best = None
        for prefix in self.routes:
            # A prefix matches whole segments only: /api matches /api and /api/x, not /apix.
            if prefix == "/" or path == prefix or path.startswith(prefix + "/"):
                if best is None or len(prefix) > len(best):
                    best = prefix
        return best

    def route(self, target):
        path, sep, query = target.partition("?")
        prefix = self._match(path)
        if prefix is None:
            return None
        healthy = [(s, w) for s, w in self.routes[prefix] if s not in self.down]
        if not healthy:
            raise Unavailable(prefix)
        current = self.current[prefix]
        for server, weight in healthy:
            current[server] += weight
        chosen = max(healthy, key=lambda sw: current[sw[0]])[0]  # max() keeps the first on ties
        current[chosen] -= sum(w for _, w in healthy)
        rest = path if prefix == "/" else path[len(prefix):]
        return chosen, (rest or "/") + sep + query
