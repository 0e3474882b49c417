"""Login, refresh rotation (body and HttpOnly cookie), reuse detection, logout, expired and
forged tokens, stream tickets — against a real API process, PostgreSQL and Redis."""
from __future__ import annotations

import time

import jwt

from api_fixtures import PASSWORD, ApiProcess, auth


def test_login_issues_tokens_and_httponly_cookie(api: ApiProcess) -> None:
    with api.client() as c:
        r = c.post("/api/auth/login", data={"username": "test-viewer", "password": PASSWORD})
        assert r.status_code == 200
        body = r.json()
        assert body["token_type"] == "bearer" and body["expires_in"] == 900
        assert body["refresh_expires_in"] == 7 * 24 * 3600 and body["user"]["role"] == "viewer"
        cookie = r.headers["set-cookie"]
        assert "vs_refresh=" in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
        assert "Path=/api/auth" in cookie
        claims = jwt.decode(body["access_token"], options={"verify_signature": False})
        assert claims["exp"] - claims["iat"] == 900 and claims["typ"] == "access"
        assert c.get("/api/auth/me", headers=auth(body["access_token"])).json()["username"] == "test-viewer"


def test_bad_credentials_are_401_with_one_message(api: ApiProcess) -> None:
    with api.client() as c:
        wrong = c.post("/api/auth/login", data={"username": "test-viewer", "password": "nope-nope"})
        unknown = c.post("/api/auth/login", data={"username": "nobody", "password": "nope-nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()  # no user enumeration
    assert wrong.json()["error"]["code"] == "unauthorized"


def test_refresh_rotates_and_reuse_revokes_the_family(api: ApiProcess) -> None:
    first = api.login("test-clinician")
    with api.client() as c:
        r1 = c.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]})
        assert r1.status_code == 200
        second = r1.json()
        assert second["refresh_token"] != first["refresh_token"]
        assert c.get("/api/auth/me", headers=auth(second["access_token"])).status_code == 200
        # The spent token again: a replay. The whole family dies, including the new tokens.
        replay = c.post("/api/auth/refresh", json={"refresh_token": first["refresh_token"]})
        assert replay.status_code == 401 and "reuse" in replay.json()["error"]["message"]
        assert c.post("/api/auth/refresh", json={"refresh_token": second["refresh_token"]}).status_code == 401
        assert c.get("/api/auth/me", headers=auth(second["access_token"])).status_code == 401
        assert c.get("/api/auth/me", headers=auth(first["access_token"])).status_code == 401
    # Another login of the same user is a different family and unaffected.
    other = api.login("test-clinician")
    with api.client() as c:
        assert c.get("/api/auth/me", headers=auth(other["access_token"])).status_code == 200


def test_refresh_from_cookie(api: ApiProcess) -> None:
    with api.client() as c:  # httpx keeps the cookie like a browser (Path=/api/auth)
        login = c.post("/api/auth/login", data={"username": "test-viewer", "password": PASSWORD})
        old_cookie = c.cookies.get("vs_refresh")
        r = c.post("/api/auth/refresh")
        assert r.status_code == 200, r.text
        assert c.cookies.get("vs_refresh") not in (None, old_cookie)
        assert r.json()["access_token"] != login.json()["access_token"]
    with api.client() as c:
        assert c.post("/api/auth/refresh").status_code == 401  # no cookie, no body


def test_logout_revokes_access_and_refresh(api: ApiProcess) -> None:
    tok = api.login("test-viewer")
    with api.client() as c:
        assert c.post("/api/auth/logout", headers=auth(tok["access_token"])).status_code == 204
        assert c.get("/api/patients", headers=auth(tok["access_token"])).status_code == 401
        assert c.post("/api/auth/refresh", json={"refresh_token": tok["refresh_token"]}).status_code == 401


def _forge(secret: str, **claims: object) -> str:
    now = int(time.time())
    base = {"sub": "1", "role": "admin", "jti": "x", "typ": "access", "fam": "f", "iat": now,
            "exp": now + 600, "iss": "vitalstream"}
    base.update(claims)
    return jwt.encode(base, secret, algorithm="HS256")


def test_expired_forged_and_wrong_type_tokens_are_401(api: ApiProcess) -> None:
    secret = api.env["VITALSTREAM_JWT_SECRET"]
    real = api.login("test-admin")
    claims = jwt.decode(real["access_token"], options={"verify_signature": False})
    expired = _forge(secret, sub=claims["sub"], jti=claims["jti"], fam=claims["fam"],
                     iat=int(time.time()) - 2000, exp=int(time.time()) - 1000)
    forged = _forge("another-secret-of-sufficient-length-123456", sub=claims["sub"], jti=claims["jti"],
                    fam=claims["fam"])
    none_alg = jwt.encode({**claims}, None, algorithm="none")  # type: ignore[arg-type]
    with api.client() as c:
        for token in (expired, forged, none_alg, real["refresh_token"], "garbage"):
            r = c.get("/api/patients", headers=auth(token))
            assert r.status_code == 401, (token[:20], r.text)
            assert r.headers["www-authenticate"] == "Bearer"
        assert c.get("/api/patients", headers=auth(real["access_token"])).status_code == 200


def test_deactivated_user_loses_access_immediately(api: ApiProcess, tokens: dict[str, str]) -> None:
    with api.client() as c:
        created = c.post("/api/users", headers=auth(tokens["admin"]),
                         json={"username": "temp-user", "password": PASSWORD, "role": "viewer"})
        assert created.status_code == 201
        tok = api.login("temp-user")["access_token"]
        assert c.get("/api/patients", headers=auth(tok)).status_code == 200
        assert c.delete(f"/api/users/{created.json()['id']}", headers=auth(tokens["admin"])).status_code == 204
        assert c.get("/api/patients", headers=auth(tok)).status_code == 401


def test_stream_ticket_is_single_use(api: ApiProcess, tokens: dict[str, str]) -> None:
    with api.client() as c:
        ticket = c.post("/api/auth/stream-ticket", headers=auth(tokens["viewer"])).json()["ticket"]
        with c.stream("GET", f"/sse/events?ticket={ticket}") as r:
            assert r.status_code == 200
            assert r.headers["content-type"].startswith("text/event-stream")
            first = next(r.iter_lines())
            assert first.startswith("retry:")
        assert c.get(f"/sse/events?ticket={ticket}").status_code == 401
        assert c.get("/sse/events").status_code == 401


def test_security_headers(api: ApiProcess, tokens: dict[str, str]) -> None:
    with api.client() as c:
        r = c.get("/api/auth/me", headers=auth(tokens["viewer"]))
    h = r.headers
    assert "frame-ancestors 'none'" in h["content-security-policy"]
    assert h["strict-transport-security"].startswith("max-age=")
    assert h["x-content-type-options"] == "nosniff" and h["x-frame-options"] == "DENY"
    assert h["cache-control"] == "no-store"


def test_cors_is_strict(api: ApiProcess) -> None:
    with api.client() as c:
        r = c.options("/api/patients", headers={"Origin": "https://evil.example",
                                                 "Access-Control-Request-Method": "GET"})
    assert "access-control-allow-origin" not in r.headers
