import jwt

SECRET = "unit-test-secret-0123456789abcdef"
ALGORITHM = "HS256"


class TokenError(Exception):
    """Raised by verify_token; str(error) is the reason."""


def issue_token(user_id, role, now, ttl=900):
    """Return an HS256 token signed with SECRET.

    Claims: sub=user_id, role=role, iat=now, exp=now + ttl (integers, seconds).
    """
    return jwt.encode({"sub": user_id, "role": role}, SECRET, algorithm=ALGORITHM)


def verify_token(token, now):
    """Return {"sub": ..., "role": ...} for a valid token at time `now`.

    Raise TokenError("malformed" | "bad signature" | "missing claim" |
    "not yet valid" | "expired") otherwise. Use `now`, never the real clock.
    """
    claims = jwt.decode(token, SECRET, algorithms=[ALGORITHM])
    return {"sub": claims["sub"], "role": claims["role"]}
