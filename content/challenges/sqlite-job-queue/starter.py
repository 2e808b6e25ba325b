class JobQueue:
    """A job queue in one SQLite table, shared by workers that each hold their own connection."""

    def __init__(self, connect, visibility_timeout, max_attempts=3):
        self.db = connect()
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
        self.db.commit()

    def enqueue(self, body):
        """Add a job; returns its id."""
        job_id = self.db.execute("INSERT INTO jobs (body) VALUES (?)", (body,)).lastrowid
        self.db.commit()
        return job_id

    def claim(self, now):
        """(job_id, body, receipt) of the oldest visible job, hidden until now + timeout; or None."""
        # TODO: not atomic (two workers can take the same job), no receipts, no attempt limit.
        row = self.db.execute(
            "SELECT id, body FROM jobs WHERE visible_at <= ? ORDER BY id LIMIT 1", (now,)
        ).fetchone()
        if row is None:
            return None
        self.db.execute(
            "UPDATE jobs SET visible_at = ?, attempts = attempts + 1 WHERE id = ?",
            (now + self.timeout, row[0]),
        )
        self.db.commit()
        return row[0], row[1], None

    def ack(self, job_id, receipt):
        """Remove the job if receipt is from its latest claim; True if removed."""
        self.db.execute("DELETE FROM jobs WHERE id = ?", (job_id,))
        self.db.commit()
        return True

    def dead_letters(self, now):
        """[(job_id, body)] of the jobs that used up their attempts, by id."""
        return []
