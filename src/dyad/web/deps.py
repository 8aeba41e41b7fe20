"""FastAPI dependencies: the per-request store borrowed from the app's pool."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request

from dyad.web.db import WebStore


def get_store(request: Request) -> Iterator[WebStore]:
    """A read-only store for this request, returned to the pool when the response is built."""
    with request.app.state.pool.borrow() as store:
        yield store
