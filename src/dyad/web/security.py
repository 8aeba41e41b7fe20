"""Request guards and response headers for the web app (a pure ASGI middleware).

Every response carries a strict Content-Security-Policy (scripts and styles only
from this server, no inline script, no framing), ``nosniff`` and a no-referrer
policy.  When a token is configured every request must carry it; without one,
only loopback Host headers are accepted, so a web page elsewhere cannot reach the
API through DNS rebinding.  Bodies and query strings are size-bounded.
"""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Awaitable, Callable, Iterable
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl

CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
SECURITY_HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
TOKEN_COOKIE = "dyad_token"
MAX_BODY_BYTES = 16 * 1024
MAX_QUERY_BYTES = 4 * 1024
_COOKIE_SAFE = re.compile(r"[A-Za-z0-9._~+/=-]{1,512}")

Scope = dict
Message = dict
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def _host_name(headers: dict[bytes, bytes]) -> str:
    host = headers.get(b"host", b"").decode("latin-1").strip().lower()
    if host.startswith("["):  # [::1]:8000
        return host[: host.find("]") + 1] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class SecurityMiddleware:
    """Token check, Host check, size limits and security headers around an ASGI app."""

    def __init__(self, app: ASGIApp, token: str | None = None, allowed_hosts: Iterable[str] | None = None) -> None:
        self.app = app
        self.token = token
        # With a token the token is the guard; without one, only loopback names.
        hosts = allowed_hosts if allowed_hosts is not None else (None if token else LOOPBACK_HOSTS)
        self.allowed_hosts = frozenset(h.lower() for h in hosts) if hosts is not None else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        refusal = self._refuse(scope, headers)
        if refusal:
            await _send_plain(send, *refusal)
            return
        # Only a cookie-safe token goes into a cookie; any other still works by header or query.
        set_cookie = (self.token is not None and self._token_from_query(scope) is not None
                      and _COOKIE_SAFE.fullmatch(self.token) is not None)
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                extra = list(SECURITY_HEADERS)
                if set_cookie:
                    # A browser that opened ?token=… keeps working on the links it follows.
                    extra.append((b"set-cookie", f"{TOKEN_COOKIE}={self.token}; HttpOnly; SameSite=Strict; "
                                                 "Path=/".encode()))
                names = {k for k, _ in extra}
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": kept + extra}
            await send(message)

        try:
            await self.app(scope, _bounded(receive), send_with_headers)
        except BodyTooLarge:
            if not started:
                await _send_plain(send, 413, "request body too large")
        except Exception:
            # An unhandled error still answers with the security headers.
            if not started:
                await _send_plain(send, 500, "internal error")
            raise

    def _refuse(self, scope: Scope, headers: dict[bytes, bytes]) -> tuple[int, str, list] | None:
        if self.allowed_hosts is not None and _host_name(headers) not in self.allowed_hosts:
            return 400, "host not allowed (the server answers loopback names only)", []
        if len(scope.get("query_string", b"")) > MAX_QUERY_BYTES:
            return 414, "query string too long", []
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            return 413, "request body too large", []
        if self.token is not None and not self._authorised(scope, headers):
            return 401, "a token is required: Authorization: Bearer <token> or ?token=<token>", [
                (b"www-authenticate", b'Bearer realm="dyad"')]
        return None

    def _authorised(self, scope: Scope, headers: dict[bytes, bytes]) -> bool:
        assert self.token is not None
        candidates = []
        auth = headers.get(b"authorization", b"").decode("latin-1")
        if auth[:7].lower() == "bearer ":
            candidates.append(auth[7:].strip())
        query_token = self._token_from_query(scope)
        if query_token is not None:
            candidates.append(query_token)
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get(b"cookie", b"").decode("latin-1"))
        except Exception:  # a malformed cookie header is simply no token
            pass
        if TOKEN_COOKIE in cookie:
            candidates.append(cookie[TOKEN_COOKIE].value)
        want = self.token.encode()
        return any(hmac.compare_digest(c.encode(), want) for c in candidates)

    @staticmethod
    def _token_from_query(scope: Scope) -> str | None:
        for key, value in parse_qsl(scope.get("query_string", b"").decode("latin-1")):
            if key == "token":
                return value
        return None


def _bounded(receive: Receive) -> Receive:
    """A receive channel that fails once a (chunked) body passes the size limit."""
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > MAX_BODY_BYTES:
                raise BodyTooLarge()
        return message

    return wrapped


class BodyTooLarge(Exception):
    """A streamed request body passed :data:`MAX_BODY_BYTES`."""


async def _send_plain(send: Send, status: int, text: str, extra: list | None = None) -> None:
    body = json.dumps({"error": text, "status": status}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
               *SECURITY_HEADERS, *(extra or [])]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
