"""How many sentences hold a word (the N and df of question answering's IDF), on both backends."""

from __future__ import annotations

import shutil

import dyad.store.ask_queries as ask_queries
from dyad.store import Store
from dyad.store.transfer import copy_store


def test_common_words_come_from_statistics_on_postgresql(corpus_store_path, pg_server, tmp_path):
    source = str(tmp_path / "source.db")
    shutil.copyfile(corpus_store_path, source)
    server = pg_server.new_database()
    copy_store(source, server)  # ends with ANALYZE: the statistics hold the common lexemes
    with Store(source) as lite, Store(server) as pg:
        stats = ask_queries._pg_common_lexemes(pg)
        assert "said" in stats.freqs and stats.rows > 0
        exact = lite.ask_document_frequency("said")
        assert abs(pg.ask_document_frequency("said") - exact) <= max(2, exact // 10)
        # Rare words and phrases are counted.
        for term in ("belt and road", "siberia", "zzzunheardof"):
            assert pg.ask_document_frequency(term) == lite.ask_document_frequency(term), term
        assert lite.ask_sentence_total() >= lite.conn.execute("SELECT COUNT(*) FROM sentences").fetchone()[0]


def _pg_copy(corpus_store_path, pg_server, tmp_path):
    source = str(tmp_path / "source.db")
    shutil.copyfile(corpus_store_path, source)
    server = pg_server.new_database()
    copy_store(source, server)
    return source, server


def test_postgresql_full_text_window_is_the_same_whichever_scan_reads_it(corpus_store_path, pg_server, tmp_path,
                                                                          monkeypatch):
    _, server = _pg_copy(corpus_store_path, pg_server, tmp_path)
    with Store(server) as pg:
        queries = [(["china", "russia"], False), (["china", "russia"], True), (["gas", "pipeline"], True),
                   (["xi jinping", "putin"], False)]
        found = {}
        for few in (True, False):
            monkeypatch.setattr(ask_queries.AskQueries, "_pg_few_matches", lambda self, *a, _few=few: _few)
            found[few] = [pg.ask_fts(terms, None, 10, 5, every=every) for terms, every in queries]
        assert found[True] == found[False] and all(found[True])


def test_postgresql_estimates_few_matches_from_lexeme_statistics(corpus_store_path, pg_server, tmp_path):
    _, server = _pg_copy(corpus_store_path, pg_server, tmp_path)
    with Store(server) as pg:
        assert pg._pg_lexemes("Belt and Road") == ("belt", "road")
        # A rare word makes an every-word query few; any word among common ones is not.
        assert pg._pg_few_matches(["said", "zzzunheardof"], True, 300)
        assert not pg._pg_few_matches(["said", "china"], False, 1)


def test_postgresql_full_text_statements_are_never_prepared(corpus_store_path, pg_server, tmp_path):
    _, server = _pg_copy(corpus_store_path, pg_server, tmp_path)
    with Store(server) as pg:
        for _ in range(8):  # psycopg prepares a statement from its fifth run
            pg.ask_fts(["china", "russia"], None, 10, 50)
            pg.ask_sentence_total()
        prepared = [r[0] for r in pg.conn.execute("SELECT statement FROM pg_prepared_statements")]
        assert prepared and not [s for s in prepared if "to_tsquery" in s]
