import uuid


class JobQueue:
    """A job queue in one SQLite table, shared by workers that each hold their own connection."""

    def __init__(self, connect, visibility_timeout, max_attempts=3):
        # Autocommit: each statement below is its own transaction, so nothing holds a lock between
        # two calls.
        self.db = connect()
        self.db.isolation_level = None
        self.timeout = visibility_timeout
        self.max_attempts = max_attempts
        self.db.execute(
            """CREATE TABLE IF NOT EXISTS jobs (
                   id INTEGER PRIMARY KEY AUTOINCREMENT,
                   body TEXT NOT NULL,
                   visible_at REAL NOT NULL DEFAULT 0,
                   attempts INTEGER NOT NULL DEFAULT 0,
                   receipt TEXT)"""
        )

    def enqueue(self, body):
        return self.db.execute("INSERT INTO jobs (body) VALUES (?)", (body,)).lastrowid

    def claim(self, now):
        # Choosing the job and hiding it is one UPDATE statement, so two workers can never both
        # take the job they both saw as visible.
        row = self.db.execute(
            """UPDATE jobs SET visible_at = ?, attempts = attempts + 1, receipt = ?
               WHERE id = (SELECT id FROM jobs WHERE visible_at <= ? AND attempts < ?
                           ORDER BY id LIMIT 1)
               RETURNING id, body, receipt""",
            (now + self.timeout, uuid.uuid4().hex, now, self.max_attempts),
        ).fetchone()
        return tuple(row) if row else None

    def ack(self, job_id, receipt):
        cur = self.db.execute("DELETE FROM jobs WHERE id = ? AND receipt = ?", (job_id, receipt))
        return cur.rowcount == 1

    def dead_letters(self, now):
        return [
            tuple(r)
            for r in self.db.execute(
                "SELECT id, body FROM jobs WHERE attempts >= ? AND visible_at <= ? ORDER BY id",
                (self.max_attempts, now),
            )
        ]
