"""``dyad serve``: run the web app with uvicorn, loopback-only unless a token is given."""

from __future__ import annotations

import ipaddress
import sys
from pathlib import Path

from dyad.web.app import create_app


class UnsafeBind(ValueError):
    """Binding to a non-loopback address without a token."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` is a loopback address or ``localhost``."""
    if host.strip().lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, token: str | None) -> None:
    """Refuse to serve the store beyond this machine without a token."""
    if not is_loopback(host) and not token:
        raise UnsafeBind(
            f"refusing to bind {host}: anything but 127.0.0.1/localhost exposes the store to the network. "
            "Pass --token TOKEN (or set DYAD_TOKEN); every request must then carry it as "
            "'Authorization: Bearer TOKEN' or '?token=TOKEN'."
        )


def run(db: str | Path, host: str = "127.0.0.1", port: int = 8000, token: str | None = None) -> None:
    """Serve the web app over the store ``db`` until interrupted.

    Exits with status 2 and a one-line reason when ``host`` is not loopback and no
    token is given, when ``db`` is a SQLite path with no store, or when the server cannot be reached.
    """
    import uvicorn

    try:
        check_bind(host, token)
        app = create_app(db, token=token, allowed_hosts=None)
    except (UnsafeBind, ValueError, FileNotFoundError, ConnectionError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    shown = f"[{host}]" if ":" in host else host
    print(f"dyad: serving {db} at http://{shown}:{port}/" + ("  (token required)" if token else ""),
          file=sys.stderr)
    # Bounded concurrency and header size: one slow client cannot take the server.
    uvicorn.run(app, host=host, port=port, log_level="info", limit_concurrency=64, timeout_keep_alive=5,
                h11_max_incomplete_event_size=16 * 1024, server_header=False)
