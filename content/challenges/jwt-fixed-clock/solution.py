import jwt

SECRET = "unit-test-secret-0123456789abcdef"
ALGORITHM = "HS256"
REQUIRED = ("sub", "role", "iat", "exp")


class TokenError(Exception):
    """Raised by verify_token; str(error) is the reason."""


def issue_token(user_id, role, now, ttl=900):
    claims = {"sub": user_id, "role": role, "iat": now, "exp": now + ttl}
    return jwt.encode(claims, SECRET, algorithm=ALGORITHM)


def verify_token(token, now):
    try:
        claims = jwt.decode(
            token,
            SECRET,
            algorithms=[ALGORITHM],
            options={"verify_exp": False, "verify_iat": False, "verify_nbf": False},
        )
    except (jwt.InvalidSignatureError, jwt.InvalidAlgorithmError):
        raise TokenError("bad signature") from None
    except jwt.InvalidTokenError:
        raise TokenError("malformed") from None
    if any(name not in claims for name in REQUIRED):
        raise TokenError("missing claim")
    if now < claims["iat"]:
        raise TokenError("not yet valid")
    if now >= claims["exp"]:
        raise TokenError("expired")
    return {"sub": claims["sub"], "role": claims["role"]}
