"""Issue a Switchboard identity token (HS256) from a Python backend with the
standard library alone. Sign it when your user signs in and pass it to the
widget: Switchboard.init({ identity: token }).

    SWITCHBOARD_IDENTITY_SECRET=<base64 secret> python3 issue.py u-1001 '{"vip": true}'

For ES256, use PyJWT: jwt.encode(claims, private_key_pem, algorithm="ES256",
headers={"kid": site}).
"""
import base64
import hashlib
import hmac
import json
import os
import sys
import time


def b64url(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def identity_token(user_id, secret, name=None, email=None, ext=None, ttl_seconds=600, site=None):
    """Sign what your site vouches for about a user: the user id (sub),
    name and email, and business fields (ext). Keep the lifetime short."""
    now = int(time.time())
    header = {"alg": "HS256", "typ": "JWT"}
    if site:
        header["kid"] = site
    claims = {"sub": user_id, "iat": now, "exp": now + ttl_seconds, "ext": ext or {}}
    if name:
        claims["name"] = name
    if email:
        claims["email"] = email
    signing_input = (
        b64url(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + b64url(json.dumps(claims, separators=(",", ":"), ensure_ascii=False).encode())
    )
    sig = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64url(sig)


if __name__ == "__main__":
    user_id = sys.argv[1]
    ext = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    secret = base64.b64decode(os.environ["SWITCHBOARD_IDENTITY_SECRET"])
    print(identity_token(user_id, secret, name=os.environ.get("USER_NAME"), ext=ext,
                         site=os.environ.get("SWITCHBOARD_SITE")))
