"""Security of the web app: headers, token, Host check, size and time bounds, read-only access, binding."""

from __future__ import annotations

import sqlite3

import pytest

from dyad.web import create_app
from dyad.web.db import QueryTimeout, StorePool
from dyad.web.server import UnsafeBind, check_bind, is_loopback, run
from tests.web.conftest import ASGIClient

TOKEN = "s3cret-token"


def assert_secure_headers(r) -> None:
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
    assert "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"


@pytest.mark.parametrize("url", ["/", "/index.json", "/doc/nope", "/doc/nope.json", "/documents.json?limit=0",
                                 "/static/dyad.js", "/openapi.json", "/docs", "/no/such/page"])
def test_every_response_carries_security_headers(api, url):
    assert_secure_headers(api.get(url))


@pytest.fixture(scope="module")
def locked(corpus_store_path):
    client = ASGIClient(create_app(corpus_store_path, token=TOKEN), base_url="http://192.0.2.10:8000")
    yield client
    client.close()


def test_token_is_required_everywhere(locked):
    for url in ("/", "/index.json", "/static/dyad.css", "/docs", "/openapi.json", "/search.json?q=trade"):
        r = locked.get(url)
        assert r.status_code == 401, url
        assert r.headers["www-authenticate"].startswith("Bearer")
        assert_secure_headers(r)
    assert locked.get("/index.json", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert locked.get("/index.json?token=wrong").status_code == 401
    assert locked.get("/index.json", headers={"Cookie": "dyad_token=wrong"}).status_code == 401


def test_token_by_header_query_or_cookie(locked):
    assert locked.get("/index.json", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    r = locked.get(f"/documents?token={TOKEN}")
    assert r.status_code == 200
    cookie = r.headers["set-cookie"]
    assert f"dyad_token={TOKEN}" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    # Links inside the page never carry the token.
    assert TOKEN not in r.text
    assert locked.get("/static/dyad.css", headers={"Cookie": f"dyad_token={TOKEN}"}).status_code == 200


def test_without_a_token_only_loopback_hosts(corpus_store_path):
    client = ASGIClient(create_app(corpus_store_path), base_url="http://evil.example")
    try:
        r = client.get("/index.json")
        assert r.status_code == 400 and "host" in r.json()["error"]
        assert client.get("/index.json", headers={"Host": "localhost:8000"}).status_code == 200
        assert client.get("/index.json", headers={"Host": "[::1]:8000"}).status_code == 200
    finally:
        client.close()


def test_request_size_and_method_bounds(api):
    assert api.request("POST", "/index.json", content=b"x" * 100).status_code == 405
    r = api.request("POST", "/index.json", content=b"x" * 100_000)
    assert r.status_code == 413
    assert_secure_headers(r)
    assert api.get("/search.json?q=" + "a" * 5000).status_code == 414
    assert api.get("/search.json?q=" + "a" * 400).status_code == 422


def test_concurrent_requests_share_the_pool_safely(api):
    urls = ["/index.json", "/entity/China.json", "/search.json?q=trade", "/figures.json", "/documents.json"] * 6
    responses = api.gather(urls)
    assert [r.status_code for r in responses] == [200] * len(urls)
    first = {u: r.json() for u, r in zip(urls[:5], responses[:5])}
    assert all(r.json() == first[u] for u, r in zip(urls, responses))


def test_connections_are_read_only(corpus_store_path):
    pool = StorePool(corpus_store_path, size=1)
    try:
        with pool.borrow() as store, pytest.raises(sqlite3.OperationalError, match="readonly|read-only|query_only"):
            store.conn.execute("DELETE FROM documents")
    finally:
        pool.close()


SLOW = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT COUNT(*) FROM c"


def test_a_slow_query_is_interrupted(corpus_store_path):
    pool = StorePool(corpus_store_path, size=1, timeout_ms=100)
    try:
        with pytest.raises(QueryTimeout), pool.borrow() as store:
            store.conn.execute(SLOW).fetchone()
        with pool.borrow() as store:  # the connection is usable afterwards
            assert store.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 5
    finally:
        pool.close()


def test_a_slow_request_answers_503(corpus_store_path, monkeypatch):
    from dyad.store.queries import Queries

    import dyad.web.views as views

    monkeypatch.setattr(Queries, "facet_outlets", lambda self: self.conn.execute(SLOW).fetchall())
    monkeypatch.setattr(views, "_facets", {})  # facets other tests counted are kept a while
    client = ASGIClient(create_app(corpus_store_path, query_timeout_ms=100))
    try:
        r = client.get("/index.json")
        assert r.status_code == 503 and "too long" in r.json()["error"]
        assert_secure_headers(r)
        assert client.get("/documents").status_code == 503
    finally:
        client.close()


def test_missing_store_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError):
        create_app(tmp_path / "absent.db")


@pytest.mark.parametrize("host,ok", [("127.0.0.1", True), ("localhost", True), ("::1", True), ("127.0.0.2", True),
                                     ("0.0.0.0", False), ("192.168.1.5", False), ("::", False), ("example.com", False)])
def test_binding_beyond_loopback_needs_a_token(host, ok):
    assert is_loopback(host) is ok
    if ok:
        check_bind(host, None)
    else:
        with pytest.raises(UnsafeBind, match="--token"):
            check_bind(host, None)
        check_bind(host, TOKEN)


def test_run_refuses_before_listening(corpus_store_path, capsys):
    with pytest.raises(SystemExit) as exc:
        run(corpus_store_path, host="0.0.0.0", port=8765, token=None)
    assert exc.value.code == 2
    assert "refusing to bind 0.0.0.0" in capsys.readouterr().err


def test_cli_serve_refuses_a_public_host_without_token(corpus_store_path, monkeypatch):
    from typer.testing import CliRunner

    from dyad.cli import app

    monkeypatch.delenv("DYAD_TOKEN", raising=False)
    result = CliRunner().invoke(app, ["serve", "--db", str(corpus_store_path), "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "--token" in result.output + (result.stderr if hasattr(result, "stderr") else "")


def test_run_refuses_a_missing_store_or_an_unreachable_server(tmp_path, capsys):
    for db in (tmp_path / "absent.db", "postgresql://dyad:secret@127.0.0.1:1/dyad"):
        with pytest.raises(SystemExit) as exc:
            run(db, host="127.0.0.1", port=8765)
        assert exc.value.code == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and "secret" not in err
