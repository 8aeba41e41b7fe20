"""Reads beside the caller's: a second connection, another thread, the same results."""

import sqlite3
import threading

import pytest

from dyad.store import Store
from dyad.web.db import StorePool


def _thread_and_count(store: Store) -> tuple[str, int]:
    return threading.current_thread().name, store.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]


def test_a_read_runs_on_a_second_connection_in_another_thread(corpus_store):
    with corpus_store.beside() as beside:
        assert beside.parallel
        later = beside.submit(_thread_and_count)
        here = _thread_and_count(corpus_store)
        there = later()
    assert there[0] != here[0] and there[1] == here[1] == 5
    side = corpus_store.__dict__["_side"]
    assert side.conn is not corpus_store.conn
    with pytest.raises(sqlite3.OperationalError, match="readonly|read-only|query_only"):
        side.conn.execute("DELETE FROM documents")


def test_the_side_connection_is_opened_once_and_closed_with_the_store(corpus_store_path):
    store = Store(corpus_store_path)
    for _ in range(3):
        with store.beside() as beside:
            beside.submit(_thread_and_count)()
    side = store.__dict__["_side"]
    store.close()
    with pytest.raises(sqlite3.ProgrammingError):
        side.conn.execute("SELECT 1")


def test_inside_a_write_transaction_reads_run_on_the_store_itself(corpus_store):
    with corpus_store.transaction(), corpus_store.beside() as beside:
        assert not beside.parallel
        corpus_store.conn.execute("DELETE FROM errors")  # an uncommitted write the side could not see
        assert beside.submit(_thread_and_count)()[0] == threading.current_thread().name


def test_an_in_memory_store_has_no_second_connection():
    with Store(":memory:") as store, store.beside() as beside:
        assert not beside.parallel
        assert beside.submit(_thread_and_count)() == (threading.current_thread().name, 0)


def test_a_failed_read_raises_where_its_result_is_asked_for(corpus_store):
    with corpus_store.beside() as beside:
        later = beside.submit(lambda s: s.conn.execute("SELECT * FROM no_such_table").fetchall())
        with pytest.raises(sqlite3.OperationalError, match="no_such_table"):
            later()


def test_reads_submitted_together_take_turns_on_the_side_connection(corpus_store):
    inside = []

    def read(store: Store) -> int:
        inside.append(1)
        assert len(inside) == 1  # never two at once on one connection
        n = store.conn.execute("SELECT COUNT(*) FROM sentences").fetchone()[0]
        inside.pop()
        return n

    with corpus_store.beside() as beside:
        results = [later() for later in [beside.submit(read) for _ in range(6)]]
    assert len(set(results)) == 1 and results[0] > 0


def test_a_web_request_borrows_an_idle_connection_and_gives_it_back(corpus_store_path):
    pool = StorePool(corpus_store_path, size=2)
    try:
        with pool.borrow() as store:
            with store.beside() as beside:
                assert beside.parallel and pool._idle.qsize() == 0
                assert beside.submit(_thread_and_count)()[1] == 5
            assert pool._idle.qsize() == 1
        assert pool._idle.qsize() == 2
    finally:
        pool.close()


def test_when_every_pooled_connection_is_busy_reads_run_on_the_request_s_own(corpus_store_path):
    pool = StorePool(corpus_store_path, size=1)
    try:
        with pool.borrow() as store, store.beside() as beside:
            assert not beside.parallel
            assert beside.submit(_thread_and_count)() == (threading.current_thread().name, 5)
    finally:
        pool.close()


def test_on_postgresql_too(pg_server):
    location = pg_server.new_database()
    with Store(location) as store:
        with store.beside() as beside:
            assert beside.parallel
            assert beside.submit(_thread_and_count)()[1] == 0
        with store.transaction(), store.beside() as beside:
            assert not beside.parallel
