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
