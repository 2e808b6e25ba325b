class DuplicateEmail(Exception):
    """Raised by FakeUserRepo.add when the email is already registered."""


class FakeUserRepo:
    """In-memory stand-in for the users table: a fake with real behaviour."""

    def __init__(self):
        self._rows = {}      # id -> row
        self._by_email = {}  # lower-cased email -> id
        self._next_id = 1

    def add(self, email, name):
        key = email.lower()
        if key in self._by_email:
            raise DuplicateEmail(email)
        user_id = self._next_id
        self._next_id += 1
        self._rows[user_id] = {"id": user_id, "email": email, "name": name}
        self._by_email[key] = user_id
        return user_id

    def get(self, user_id):
        row = self._rows.get(user_id)
        return dict(row) if row is not None else None

    def find_by_email(self, email):
        user_id = self._by_email.get(email.lower())
        return self.get(user_id) if user_id is not None else None

    def count(self):
        return len(self._rows)


class SpyMailer:
    """Records every email instead of sending it."""

    def __init__(self):
        self.sent = []

    def send(self, to, subject, body):
        self.sent.append((to, subject, body))

    def sent_to(self, to):
        return [subject for address, subject, _ in self.sent if address == to]


def register(repo, mailer, email, name):
    """Create a user and send a welcome email; return the new id, or None if the email is taken."""
    try:
        user_id = repo.add(email, name)
    except DuplicateEmail:
        return None
    mailer.send(email, "Welcome", f"Hi {name}")
    return user_id
