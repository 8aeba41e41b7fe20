import sqlite3

from dyad.store import Store, migrations


def test_fresh_store_is_fully_migrated(store_location):
    with Store(store_location) as store:
        assert migrations.pending(store.conn) == []
        assert migrations.applied(store.conn) == [name for name, _ in migrations.available(store.dialect)]


def test_both_backends_have_the_same_migrations():
    assert [n for n, _ in migrations.available("sqlite")] == [n for n, _ in migrations.available("postgresql")]


def test_migrate_is_idempotent(tmp_path):
    conn = sqlite3.connect(tmp_path / "s.db", isolation_level=None)
    assert migrations.migrate(conn) != []
    assert migrations.migrate(conn) == []


def test_store_is_in_wal_mode_with_fts(tmp_path):
    with Store(tmp_path / "s.db") as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        names = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master")}
        assert {"documents", "sentences", "sentences_fts", "mentions", "errors", "sources"} <= names
