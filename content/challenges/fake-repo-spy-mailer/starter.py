class DuplicateEmail(Exception):
    """Raised by FakeUserRepo.add when the email is already registered."""


class FakeUserRepo:
    """In-memory stand-in for the users table: a fake with real behaviour."""

    def __init__(self):
        self._rows = {}

    def add(self, email, name):
        """Store a user and return its id (1, 2, 3, ...).

        Emails are unique ignoring case: raise DuplicateEmail for a taken one
        (a refused add does not use up an id).
        """
        user_id = len(self._rows) + 1
        self._rows[user_id] = {"id": user_id, "email": email, "name": name}
        return user_id

    def get(self, user_id):
        """Return a copy of the user's dict, or None for an unknown id."""
        raise NotImplementedError

    def find_by_email(self, email):
        """Return a copy of the user with this email (ignoring case), or None."""
        raise NotImplementedError

    def count(self):
        """Return how many users are stored."""
        return len(self._rows)


class SpyMailer:
    """Records every email instead of sending it."""

    def __init__(self):
        self.sent = []

    def send(self, to, subject, body):
        """Record the email as a (to, subject, body) tuple."""
        raise NotImplementedError

    def sent_to(self, to):
        """Return the subjects sent to exactly this address, in order."""
        raise NotImplementedError


def register(repo, mailer, email, name):
    """Create a user and send a welcome email; return the new id, or None if the email is taken.

    This is the code under test: leave it as it is.
    """
    try:
        user_id = repo.add(email, name)
    except DuplicateEmail:
        return None
    mailer.send(email, "Welcome", f"Hi {name}")
    return user_id
