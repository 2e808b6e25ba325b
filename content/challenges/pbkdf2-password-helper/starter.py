import hashlib
import hmac
import secrets

ALGORITHM = "pbkdf2_sha256"
DEFAULT_ITERATIONS = 600_000


def hash_password(password, salt=None, iterations=DEFAULT_ITERATIONS):
    """Return "pbkdf2_sha256$<iterations>$<salt hex>$<hash hex>".

    Use a fresh 16-byte random salt when none is given.
    """
    if salt is None:
        salt = secrets.token_bytes(16)
    # TODO: a single SHA-256 is far too fast for passwords; use PBKDF2.
    digest = hashlib.sha256(salt + password.encode("utf-8")).digest()
    return f"{ALGORITHM}${iterations}${salt.hex()}${digest.hex()}"


def verify_password(password, encoded):
    """Return True if `password` matches `encoded`; False otherwise, also for malformed input."""
    algorithm, iterations, salt_hex, hash_hex = encoded.split("$")
    return hash_password(password, bytes.fromhex(salt_hex), int(iterations)) == encoded


def needs_rehash(encoded, iterations=DEFAULT_ITERATIONS):
    """Return True when `encoded` should be re-hashed with the current settings."""
    raise NotImplementedError
