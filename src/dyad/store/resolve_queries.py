"""Cross-document tables: canonical entities, duplicates, stories, merged events, figure groups.

Mixed into :class:`dyad.store.Store`; every statement goes through ``self.conn``
and is parameterised.  Method names start with ``resolve_`` (reads for the
resolve stage), ``write_`` (its writes) or ``x`` (reads for the CLI and web), so
they never shadow a method of the Store or of another mixin.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator

_JSON = ("authors", "roles", "aliases", "forms", "source_actor", "target_actor", "entities", "keywords", "evidence",
         "counts")


def _clear_dirty(c, kind: str, ids) -> None:
    """Forget that some rewritten rows lost members (their rewrite marked them, too)."""
    c.execute("DELETE FROM resolve_dirty WHERE kind = ? AND id IN (SELECT value FROM json_each(?))",
              (kind, json.dumps(sorted(set(ids)))))


def _row(r: sqlite3.Row) -> dict:
    out = dict(r)
    for key in _JSON:
        if isinstance(out.get(key), str):
            out[key] = json.loads(out[key])
    return out


_NO_LIMIT = 2**62  # "no limit" that both SQLite and PostgreSQL accept


class ResolveQueries:
    """Cross-document tables: canonical entities, duplicates, stories, merged events, figure groups."""

    conn: sqlite3.Connection

    # ------------------------------------------------------------ inputs
    def resolve_documents(self, doc_ids: list[str] | None = None) -> list[dict]:
        """Document metadata the resolve stage uses (no text), with the first stem, ordered by id."""
        sql = ("SELECT d.id, d.title, d.publisher, d.authors, d.published, d.published_how, d.n_words, "
               "(SELECT MIN(stem) FROM sources s WHERE s.doc_id = d.id) AS stem FROM documents d")
        if doc_ids is not None:
            return [_row(r) for r in self.conn.execute(
                sql + " WHERE d.id IN (SELECT value FROM json_each(?)) ORDER BY d.id", (json.dumps(doc_ids),))]
        return [_row(r) for r in self.conn.execute(sql + " ORDER BY d.id")]

    def resolve_texts(self, doc_ids: list[str] | None = None) -> Iterator[tuple[str, str, str]]:
        """``(doc id, title, clean text)`` of every (or the given) document, by id."""
        sql = "SELECT id, COALESCE(title, ''), clean_text FROM documents"
        if doc_ids is not None:
            yield from self.conn.execute(sql + " WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
                                         (json.dumps(doc_ids),))
        else:
            yield from self.conn.execute(sql + " ORDER BY id")

    def _of_docs(self, sql: str, column: str, order: str | None, doc_ids: list[str] | None):
        """Rows of ``sql``: all of them (``doc_ids`` None), or those whose ``column`` is one of ``doc_ids``."""
        args: tuple = ()
        if doc_ids is not None:
            sql += (" AND " if " WHERE " in sql else " WHERE ") + f"{column} IN (SELECT value FROM json_each(?))"
            args = (json.dumps(doc_ids),)
        return self.conn.execute(sql + (f" ORDER BY {order}" if order else ""), args)

    def resolve_entity_rows(self, doc_ids: list[str] | None = None) -> list[dict]:
        """Every per-document entity (roles decoded), or those of some documents, by document and id."""
        sql = "SELECT doc_id, id, canonical, label, roles, body FROM entities"
        return [_row(r) for r in self._of_docs(sql, "doc_id", "doc_id, id", doc_ids)]

    def resolve_mention_texts(self, doc_ids: list[str] | None = None) -> Iterator[tuple[str, int, str]]:
        """``(doc id, entity id, text)`` of every entity mention (or some documents'), in text order."""
        yield from self._of_docs("SELECT doc_id, entity_id, text FROM entity_mentions", "doc_id",
                                 "doc_id, entity_id, start", doc_ids)

    def resolve_events(self, doc_ids: list[str] | None = None) -> list[dict]:
        """Every event row (actors decoded), or those of some documents, by document and idx."""
        return [_row(r) for r in self._of_docs("SELECT * FROM events", "doc_id", "doc_id, idx", doc_ids)]

    def resolve_figures(self, doc_ids: list[str] | None = None) -> list[dict]:
        """Every figure row (or some documents') with its evidence sentence, by document and idx."""
        sql = ("SELECT f.*, s.text AS sentence_text FROM figures f LEFT JOIN sentences s "
               "ON s.doc_id = f.doc_id AND s.idx = f.sentence")
        return [dict(r) for r in self._of_docs(sql, "f.doc_id", "f.doc_id, f.idx", doc_ids)]

    def resolve_date_mentions(self, doc_ids: list[str] | None = None) -> list[dict]:
        """Every date expression (or some documents') with the text of its sentence, by document and offset."""
        sql = ('SELECT d.doc_id, d.start, d.text, d.value, d.precision, s.text AS sentence FROM dates d '
               'LEFT JOIN sentences s ON s.doc_id = d.doc_id AND d.start >= s.start AND d.start < s."end"')
        return [dict(r) for r in self._of_docs(sql, "d.doc_id", "d.doc_id, d.start", doc_ids)]

    def resolve_member_map(self, doc_ids: list[str] | None = None) -> dict[tuple[str, int], str]:
        """``{(doc id, entity id): xentity id}`` for every resolved per-document entity (or some documents')."""
        sql = "SELECT doc_id, ref, xentity_id FROM xentity_members WHERE kind = 'entity'"
        return {(d, r): x for d, r, x in self._of_docs(sql, "doc_id", None, doc_ids)}

    def resolve_member_forms(self, doc_ids: list[str] | None = None) -> Iterator[tuple[str, str, str, list[str]]]:
        """``(doc id, xentity id, name, forms)`` of every resolved member (or some documents'), by document."""
        sql = "SELECT doc_id, xentity_id, name, forms FROM xentity_members"
        rows = self._of_docs(sql, "doc_id", "doc_id, kind, ref", doc_ids)
        for doc_id, xid, name, forms in rows:
            yield doc_id, xid, name, json.loads(forms)

    def resolve_xentity_rows(self, ids: list[str]) -> dict[str, dict]:
        """``{id: row}`` of some cross-document entities, with the columns of :meth:`xentity_list`."""
        return {r["id"]: _row(r) for r in self.conn.execute(
            "SELECT id, canonical, label, key, state, relation, n_docs, n_mentions, aliases FROM xentities "
            "WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(sorted(set(ids))),))}

    def resolve_xentity_sentences(self, labels: tuple[str, ...], doc_ids: list[str] | None = None) -> list[dict]:
        """Sentences naming each cross-document entity of the given labels: xentity, doc, idx, text.

        With ``doc_ids``, only the sentences of those documents.
        """
        sql = ("SELECT DISTINCT x.id AS xentity_id, x.canonical, s.doc_id, s.idx, s.text FROM xentities x "
               "JOIN xentity_members m ON m.xentity_id = x.id AND m.kind = 'entity' "
               "JOIN entity_mentions em ON em.doc_id = m.doc_id AND em.entity_id = m.ref "
               'JOIN sentences s ON s.doc_id = em.doc_id AND em.start >= s.start AND em.start < s."end" '
               "WHERE x.label IN (SELECT value FROM json_each(?))")
        args = [json.dumps(list(labels))]
        if doc_ids is not None:
            sql += " AND m.doc_id IN (SELECT value FROM json_each(?))"
            args.append(json.dumps(doc_ids))
        return [dict(r) for r in self.conn.execute(sql + " ORDER BY x.id, s.doc_id, s.idx", args)]

    def resolve_minhashes(self) -> dict[str, bytes]:
        """``{doc id: signature}`` of every stored MinHash signature."""
        return {d: s for d, s in self.conn.execute("SELECT doc_id, signature FROM doc_minhash")}

    def resolve_document_count(self) -> int:
        """Number of stored documents."""
        return self.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]

    def resolve_unresolved_doc_ids(self) -> list[str]:
        """Documents that have no story yet (new since the last resolve run)."""
        return [r[0] for r in self.conn.execute(
            "SELECT id FROM documents WHERE id NOT IN (SELECT doc_id FROM story_documents) ORDER BY id")]

    # ------------------------------------------------------------ writes
    def write_xentities(self, rows: list[dict], members: list[dict], keys: list[tuple[str, str]]) -> None:
        """Replace every cross-document entity, member and key in one transaction."""
        with self.transaction() as c:
            c.execute("DELETE FROM xentity_keys")
            c.execute("DELETE FROM xentity_members")
            c.execute("DELETE FROM xentities")
            c.executemany(
                "INSERT INTO xentities (id, canonical, label, key, state, relation, aliases, roles, n_docs, "
                "n_mentions) VALUES (:id, :canonical, :label, :key, :state, :relation, :aliases, :roles, "
                ":n_docs, :n_mentions)",
                [r | {"aliases": json.dumps(r["aliases"], ensure_ascii=False),
                      "roles": json.dumps(r["roles"], ensure_ascii=False)} for r in rows])
            c.executemany(
                "INSERT INTO xentity_members (xentity_id, doc_id, kind, ref, name, forms, how) "
                "VALUES (:xentity_id, :doc_id, :kind, :ref, :name, :forms, :how)",
                [m | {"forms": json.dumps(m["forms"], ensure_ascii=False)} for m in members])
            c.executemany("INSERT OR IGNORE INTO xentity_keys (key, xentity_id) VALUES (?, ?)", keys)

    def write_xentity_additions(self, rows: list[dict], members: list[dict], keys: list[tuple[str, str]]) -> None:
        """Insert or update some cross-document entities and add members and keys (incremental runs)."""
        with self.transaction() as c:
            c.executemany(
                "INSERT INTO xentities (id, canonical, label, key, state, relation, aliases, roles, n_docs, "
                "n_mentions) VALUES (:id, :canonical, :label, :key, :state, :relation, :aliases, :roles, "
                ":n_docs, :n_mentions) ON CONFLICT(id) DO UPDATE SET aliases = excluded.aliases, "
                "roles = excluded.roles, n_docs = excluded.n_docs, n_mentions = excluded.n_mentions",
                [r | {"aliases": json.dumps(r["aliases"], ensure_ascii=False),
                      "roles": json.dumps(r["roles"], ensure_ascii=False)} for r in rows])
            c.executemany(
                "INSERT INTO xentity_members (xentity_id, doc_id, kind, ref, name, forms, how) "
                "VALUES (:xentity_id, :doc_id, :kind, :ref, :name, :forms, :how) "
                "ON CONFLICT(doc_id, kind, ref) DO UPDATE SET xentity_id = excluded.xentity_id, "
                "name = excluded.name, forms = excluded.forms, how = excluded.how",
                [m | {"forms": json.dumps(m["forms"], ensure_ascii=False)} for m in members])
            c.executemany("INSERT OR IGNORE INTO xentity_keys (key, xentity_id) VALUES (?, ?)", keys)

    def resolve_xentity_doc_count(self, xentity_id: str) -> int:
        """Documents a cross-document entity is named in, as stored."""
        return self.conn.execute("SELECT COUNT(DISTINCT doc_id) FROM xentity_members WHERE xentity_id = ?",
                                 (xentity_id,)).fetchone()[0]

    def write_minhashes(self, rows: list[tuple[str, int, bytes]]) -> None:
        """Store MinHash signatures ``(doc id, num_perm, signature)`` (replacing older ones)."""
        with self.transaction() as c:
            c.executemany("INSERT INTO doc_minhash (doc_id, num_perm, signature) VALUES (?, ?, ?) ON CONFLICT(doc_id) "
                          "DO UPDATE SET num_perm = excluded.num_perm, signature = excluded.signature", rows)

    def write_duplicates(self, rows: list[tuple[str, str, float]]) -> None:
        """Replace the duplicate groups with ``(doc id, group id, similarity)`` rows."""
        with self.transaction() as c:
            c.execute("DELETE FROM duplicate_groups")
            c.executemany("INSERT INTO duplicate_groups (doc_id, group_id, similarity) VALUES (?, ?, ?)", rows)
            c.execute("DELETE FROM resolve_dirty WHERE kind = 'duplicate_group'")

    def write_stories(self, stories: list[dict], members: list[tuple[str, str, float, str]],
                      refined: list[tuple[str, str, str]]) -> None:
        """Replace stories, their documents ``(story, doc, score, how)`` and refined dates."""
        with self.transaction() as c:
            c.execute("DELETE FROM story_documents")
            c.execute("DELETE FROM stories")
            c.execute("DELETE FROM refined_dates")
            c.executemany(
                "INSERT INTO stories (id, label, date_from, date_to, n_docs, entities, keywords) "
                "VALUES (:id, :label, :date_from, :date_to, :n_docs, :entities, :keywords)",
                [s | {"entities": json.dumps(s["entities"]), "keywords": json.dumps(s["keywords"])}
                 for s in stories])
            c.executemany("INSERT INTO story_documents (story_id, doc_id, score, how) VALUES (?, ?, ?, ?)",
                          members)
            c.executemany("INSERT INTO refined_dates (doc_id, published, reason) VALUES (?, ?, ?)", refined)
            c.execute("DELETE FROM resolve_dirty WHERE kind = 'story'")

    def write_event_clusters(self, clusters: list[dict], members: list[tuple[str, str, int]]) -> None:
        """Replace the merged timeline: clusters and ``(cluster, doc, idx)`` members."""
        with self.transaction() as c:
            c.execute("DELETE FROM event_cluster_members")
            c.execute("DELETE FROM event_clusters")
            c.executemany(
                "INSERT INTO event_clusters (id, story_id, type, subtype, status, source_actor, target_actor, "
                "location, date, n_docs, n_independent) VALUES (:id, :story_id, :type, :subtype, :status, "
                ":source_actor, :target_actor, :location, :date, :n_docs, :n_independent)",
                [e | {"source_actor": json.dumps(e["source_actor"], ensure_ascii=False),
                      "target_actor": json.dumps(e["target_actor"], ensure_ascii=False)} for e in clusters])
            c.executemany("INSERT INTO event_cluster_members (cluster_id, doc_id, idx) VALUES (?, ?, ?)", members)
            c.execute("DELETE FROM resolve_dirty WHERE kind = 'event_cluster'")

    def write_figure_groups(self, groups: list[dict], members: list[tuple[str, str, int]]) -> None:
        """Replace the figure groups and their ``(group, doc, idx)`` members."""
        with self.transaction() as c:
            c.execute("DELETE FROM figure_group_members")
            c.execute("DELETE FROM figure_groups")
            c.executemany(
                "INSERT INTO figure_groups (id, measure, unit, scope, verdict, note, n_sources, value_min, "
                "value_max) VALUES (:id, :measure, :unit, :scope, :verdict, :note, :n_sources, :value_min, "
                ":value_max)", groups)
            c.executemany("INSERT INTO figure_group_members (group_id, doc_id, idx) VALUES (?, ?, ?)", members)
            c.execute("DELETE FROM resolve_dirty WHERE kind = 'figure_group'")

    def write_project_status(self, rows: list[dict]) -> None:
        """Replace every project status row."""
        with self.transaction() as c:
            c.execute("DELETE FROM project_status")
            c.executemany(
                "INSERT INTO project_status (xentity_id, story_id, status, date, summary, evidence) "
                "VALUES (:xentity_id, :story_id, :status, :date, :summary, :evidence)",
                [r | {"evidence": json.dumps(r["evidence"], ensure_ascii=False)} for r in rows])

    def start_resolve_run(self, started_at: str, mode: str) -> int:
        """Record that a resolve run began (unfinished until :meth:`finish_resolve_run`); return its id."""
        with self.transaction() as c:
            row = c.execute("INSERT INTO resolve_runs (started_at, mode) VALUES (?, ?) RETURNING id",
                            (started_at, mode)).fetchone()
            return int(row[0])

    def finish_resolve_run(self, run_id: int, finished_at: str, counts: dict, n_docs: int) -> None:
        """Record a resolve run's end and what it did."""
        with self.transaction() as c:
            c.execute("UPDATE resolve_runs SET finished_at = ?, counts = ?, n_docs = ? WHERE id = ?",
                      (finished_at, json.dumps(counts), n_docs, run_id))

    def resolve_interrupted(self) -> bool:
        """Whether the latest resolve run never finished (killed between or inside its steps)."""
        row = self.conn.execute("SELECT finished_at FROM resolve_runs ORDER BY id DESC LIMIT 1").fetchone()
        return row is not None and row[0] is None

    # ------------------------------------------------------------ state kept for incremental runs
    # (migration 0007): what resolve_new reads instead of recomputing the store.
    def resolve_incremental_ready(self) -> bool:
        """Whether the stored stories come with the state ``resolve_new`` needs (profiles of a full run)."""
        stories = self.conn.execute("SELECT 1 FROM story_documents LIMIT 1").fetchone()
        profiles = self.conn.execute("SELECT 1 FROM doc_profiles LIMIT 1").fetchone()
        return stories is not None and profiles is not None

    def resolve_profile_encodings(self) -> dict[str, tuple[str, str, int | None, int | None]]:
        """``{doc id: (features, xentities, lo, hi)}`` of every stored profile, JSON undecoded."""
        return {d: (f, x, lo, hi) for d, f, x, lo, hi in self.conn.execute(
            "SELECT doc_id, features, xentities, lo, hi FROM doc_profiles")}

    def write_profiles(self, rows: list[tuple[str, str, str, int | None, int | None]],
                       terms: list[tuple[str, str, int | None, int | None]], df: dict[str, int],
                       gone: list[str] = (), old_terms: list[tuple[str, str]] | None = None) -> None:
        """Replace the profiles ``(doc id, features, xentities, lo, hi)`` of some documents and
        their index terms ``(term, doc id, lo, hi)``; drop the profiles of ``gone``.

        A dropped or replaced profile's features stop counting in ``profile_df``
        and its terms leave the index (the delete trigger), and ``df`` (the
        features of ``rows``, counted) is added.  With ``old_terms`` (the
        ``(term, doc id)`` the replaced profiles had), profiles are updated in
        place instead and ``df`` holds the new count of every feature that
        changes: a full run rewriting many profiles spares the trigger.
        """
        with self.transaction() as c:
            c.execute("DELETE FROM doc_profiles WHERE doc_id IN (SELECT value FROM json_each(?))",
                      (json.dumps(sorted(gone)),))
            if old_terms is None:
                c.execute("DELETE FROM doc_profiles WHERE doc_id IN (SELECT value FROM json_each(?))",
                          (json.dumps(sorted({r[0] for r in rows})),))
            else:
                c.executemany("DELETE FROM profile_terms WHERE term = ? AND doc_id = ?", sorted(old_terms))
            c.executemany(
                "INSERT INTO doc_profiles (doc_id, features, xentities, lo, hi) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(doc_id) DO UPDATE SET features = excluded.features, xentities = excluded.xentities, "
                "lo = excluded.lo, hi = excluded.hi", rows)
            c.executemany("INSERT OR IGNORE INTO profile_terms (term, doc_id, lo, hi) VALUES (?, ?, ?, ?)",
                          sorted(terms))
            c.executemany("INSERT INTO profile_df (feature, df) VALUES (?, ?) ON CONFLICT(feature) DO UPDATE SET "
                          + ("df = profile_df.df + excluded.df" if old_terms is None else "df = excluded.df"),
                          sorted(df.items()))

    def resolve_profiles(self, doc_ids: list[str]) -> list[dict]:
        """Stored profiles of some documents (features and xentities decoded), by id."""
        return [{"doc_id": d, "features": json.loads(f), "xentities": json.loads(x), "lo": lo, "hi": hi}
                for d, f, x, lo, hi in self.conn.execute(
                    "SELECT doc_id, features, xentities, lo, hi FROM doc_profiles "
                    "WHERE doc_id IN (SELECT value FROM json_each(?)) ORDER BY doc_id", (json.dumps(doc_ids),))]

    def resolve_profile_df(self, features: list[str]) -> dict[str, int]:
        """``{feature: number of stored profiles holding it}`` for the given features (absent: 0)."""
        return {f: n for f, n in self.conn.execute(
            "SELECT feature, df FROM profile_df WHERE feature IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(set(features)), ensure_ascii=False),))}

    def resolve_profile_count(self) -> int:
        """Number of stored profiles."""
        return self.conn.execute("SELECT COUNT(*) FROM doc_profiles").fetchone()[0]

    def resolve_term_postings(self, terms: list[str], lo: int | None = None, hi: int | None = None,
                              limit: int | None = None) -> list[tuple[str, int]]:
        """``(doc id, shared terms)`` of the profiles holding any of ``terms`` (with ``lo`` and
        ``hi``: undated, or dated within ``[lo, hi]``), most shared first."""
        sql = "SELECT doc_id, COUNT(*) AS n FROM profile_terms WHERE term IN (SELECT value FROM json_each(?))"
        args: list = [json.dumps(terms, ensure_ascii=False)]
        if lo is not None:
            sql += " AND (lo IS NULL OR (lo <= ? AND hi >= ?))"
            args += [hi, lo]
        args.append(_NO_LIMIT if limit is None else limit)
        return [(d, n) for d, n in self.conn.execute(sql + " GROUP BY doc_id ORDER BY n DESC, doc_id LIMIT ?", args)]

    def resolve_minhashes_of(self, doc_ids: list[str]) -> dict[str, bytes]:
        """``{doc id: signature}`` of some documents' stored MinHash signatures."""
        return {d: s for d, s in self.conn.execute(
            "SELECT doc_id, signature FROM doc_minhash WHERE doc_id IN (SELECT value FROM json_each(?))",
            (json.dumps(doc_ids),))}

    def resolve_banded_doc_ids(self) -> set[str]:
        """Documents whose LSH band keys are stored."""
        return {r[0] for r in self.conn.execute("SELECT DISTINCT doc_id FROM minhash_bands")}

    def write_minhash_bands(self, rows: list[tuple[int, str]], keep: list[str] | None = None) -> None:
        """Store the LSH band keys ``(key, doc id)`` of the documents named (replacing theirs);
        with ``keep``, drop those of every document not in it."""
        with self.transaction() as c:
            if keep is not None:
                c.execute("DELETE FROM minhash_bands WHERE doc_id NOT IN (SELECT value FROM json_each(?))",
                          (json.dumps(sorted(keep)),))
            c.execute("DELETE FROM minhash_bands WHERE doc_id IN (SELECT value FROM json_each(?))",
                      (json.dumps(sorted({d for _, d in rows})),))
            c.executemany("INSERT OR IGNORE INTO minhash_bands (key, doc_id) VALUES (?, ?)", rows)

    def resolve_band_matches(self, keys: list[int]) -> list[tuple[int, str]]:
        """``(key, doc id)`` of the stored band keys among ``keys``."""
        return [(k, d) for k, d in self.conn.execute(
            "SELECT key, doc_id FROM minhash_bands WHERE key IN (SELECT CAST(value AS BIGINT) FROM json_each(?))",
            (json.dumps(keys),))]

    def resolve_duplicate_rows(self, doc_ids: list[str], group_ids: list[str] = ()) -> list[tuple[str, str, float]]:
        """``(doc id, group id, similarity)`` of some documents and of every member of some groups."""
        return [tuple(r) for r in self.conn.execute(
            "SELECT doc_id, group_id, similarity FROM duplicate_groups WHERE doc_id IN (SELECT value FROM json_each(?)) "
            "OR group_id IN (SELECT value FROM json_each(?)) ORDER BY doc_id",
            (json.dumps(doc_ids), json.dumps(list(group_ids))))]

    def write_duplicate_updates(self, rows: list[tuple[str, str, float]], regrouped: list[str] = ()) -> None:
        """Set the duplicate group of some documents ``(doc id, group id, similarity)``; the
        groups ``regrouped`` are whole again."""
        with self.transaction() as c:
            c.executemany("INSERT INTO duplicate_groups (doc_id, group_id, similarity) VALUES (?, ?, ?) "
                          "ON CONFLICT(doc_id) DO UPDATE SET group_id = excluded.group_id, "
                          "similarity = excluded.similarity", rows)
            _clear_dirty(c, "duplicate_group", regrouped)

    def resolve_story_map(self, doc_ids: list[str]) -> dict[str, str]:
        """``{doc id: story id}`` of some documents."""
        return {d: s for d, s in self.conn.execute(
            "SELECT doc_id, story_id FROM story_documents WHERE doc_id IN (SELECT value FROM json_each(?))",
            (json.dumps(doc_ids),))}

    def resolve_story_docs(self, story_ids: list[str]) -> dict[str, list[str]]:
        """``{story id: [doc ids]}`` of some stories."""
        out: dict[str, list[str]] = {}
        for s, d in self.conn.execute(
                "SELECT story_id, doc_id FROM story_documents WHERE story_id IN (SELECT value FROM json_each(?)) "
                "ORDER BY story_id, doc_id", (json.dumps(sorted(set(story_ids))),)):
            out.setdefault(s, []).append(d)
        return out

    def resolve_dirty(self, kind: str) -> list[str]:
        """Ids of the stories, merged events, figure groups or duplicate groups (``kind``) that lost a
        member since the resolve stage wrote them (a document was deleted)."""
        return [r[0] for r in self.conn.execute("SELECT id FROM resolve_dirty WHERE kind = ? ORDER BY id", (kind,))]

    def resolve_story_rows(self, story_ids: list[str]) -> dict[str, dict]:
        """``{id: story row}`` of some stories."""
        return {r["id"]: _row(r) for r in self.conn.execute(
            "SELECT * FROM stories WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(sorted(set(story_ids))),))}

    def resolve_existing_ids(self, table: str, ids: list[str]) -> set[str]:
        """Which of ``ids`` a cross-document table (stories, event_clusters, figure_groups) holds."""
        if table not in ("stories", "event_clusters", "figure_groups"):
            raise ValueError(f"not a table with ids: {table}")
        return {r[0] for r in self.conn.execute(
            f"SELECT id FROM {table} WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(sorted(set(ids))),))}

    def write_story_updates(self, removed: list[str], stories: list[dict], members: list[tuple[str, str, float, str]],
                            refined: list[tuple[str, str, str]], doc_ids: list[str]) -> None:
        """Replace some stories: drop ``removed`` and the story rows and refined dates of ``doc_ids``,
        then add ``stories`` with their documents and refined dates (incremental runs)."""
        gone, docs = json.dumps(sorted(set(removed))), json.dumps(sorted(set(doc_ids)))
        with self.transaction() as c:
            c.execute("DELETE FROM story_documents WHERE story_id IN (SELECT value FROM json_each(?))", (gone,))
            c.execute("DELETE FROM story_documents WHERE doc_id IN (SELECT value FROM json_each(?))", (docs,))
            c.execute("DELETE FROM stories WHERE id IN (SELECT value FROM json_each(?))", (gone,))
            c.execute("DELETE FROM refined_dates WHERE doc_id IN (SELECT value FROM json_each(?))", (docs,))
            c.executemany(
                "INSERT INTO stories (id, label, date_from, date_to, n_docs, entities, keywords) "
                "VALUES (:id, :label, :date_from, :date_to, :n_docs, :entities, :keywords)",
                [s | {"entities": json.dumps(s["entities"]), "keywords": json.dumps(s["keywords"])}
                 for s in stories])
            c.executemany("INSERT INTO story_documents (story_id, doc_id, score, how) VALUES (?, ?, ?, ?)",
                          members)
            c.executemany("INSERT INTO refined_dates (doc_id, published, reason) VALUES (?, ?, ?)", refined)
            _clear_dirty(c, "story", removed)

    def resolve_refined_dates(self, doc_ids: list[str]) -> list[dict]:
        """Narrowed publication dates of some documents (``doc_id, published``)."""
        return [dict(r) for r in self.conn.execute(
            "SELECT doc_id, published FROM refined_dates WHERE doc_id IN (SELECT value FROM json_each(?)) "
            "ORDER BY doc_id", (json.dumps(doc_ids),))]

    def write_event_keys(self, rows: list[tuple], doc_ids: list[str] | None = None) -> None:
        """Store timeline blocking keys ``(doc, idx, type, actor, lo, hi, story)``: every event's
        (``doc_ids`` None) or those of the documents named."""
        with self.transaction() as c:
            _clear_docs(c, "event_keys", doc_ids)
            c.executemany("INSERT OR IGNORE INTO event_keys (doc_id, idx, type, actor, lo, hi, story_id) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def resolve_event_neighbours(self, type_: str, actor: str, lo: int | None, hi: int | None,
                                 story_id: str | None, slack: int, longest: int) -> list[tuple[str, int]]:
        """``(doc, idx)`` of stored events under one blocking key that may be the same happening:
        dated within ``slack`` days of ``[lo, hi]`` (their own intervals no longer than
        ``longest`` days), or of the same story."""
        out: list[tuple[str, int]] = []
        if lo is not None:
            out += [tuple(r) for r in self.conn.execute(
                "SELECT doc_id, idx FROM event_keys WHERE type = ? AND actor = ? AND lo >= ? AND lo <= ? AND hi >= ?",
                (type_, actor, lo - slack - longest, hi + slack, lo - slack))]
        if story_id is not None:
            out += [tuple(r) for r in self.conn.execute(
                "SELECT doc_id, idx FROM event_keys WHERE story_id = ? AND type = ? AND actor = ?",
                (story_id, type_, actor))]
        return out

    def resolve_member_docs(self, kind: str, ids: list[str]) -> list[str]:
        """Documents with a member in some merged events (``event_cluster``) or figure groups
        (``figure_group``)."""
        table, column = {"event_cluster": ("event_cluster_members", "cluster_id"),
                         "figure_group": ("figure_group_members", "group_id")}[kind]
        return [r[0] for r in self.conn.execute(
            f"SELECT DISTINCT doc_id FROM {table} WHERE {column} IN (SELECT value FROM json_each(?)) ORDER BY doc_id",
            (json.dumps(sorted(set(ids))),))]

    def resolve_event_cluster_of(self, doc_ids: list[str]) -> dict[tuple[str, int], str]:
        """``{(doc, idx): cluster id}`` of the clustered events of some documents."""
        return {(d, i): c for c, d, i in self.conn.execute(
            "SELECT cluster_id, doc_id, idx FROM event_cluster_members WHERE doc_id IN (SELECT value FROM json_each(?))",
            (json.dumps(doc_ids),))}

    def resolve_event_cluster_members(self, cluster_ids: list[str]) -> dict[str, list[tuple[str, int]]]:
        """``{cluster id: [(doc, idx)]}`` of some merged events."""
        out: dict[str, list[tuple[str, int]]] = {}
        for c, d, i in self.conn.execute(
                "SELECT cluster_id, doc_id, idx FROM event_cluster_members "
                "WHERE cluster_id IN (SELECT value FROM json_each(?)) ORDER BY cluster_id, doc_id, idx",
                (json.dumps(sorted(set(cluster_ids))),)):
            out.setdefault(c, []).append((d, i))
        return out

    def write_event_cluster_updates(self, removed: list[str], clusters: list[dict],
                                    members: list[tuple[str, str, int]]) -> None:
        """Replace some merged events: drop ``removed``, add ``clusters`` and their members (incremental runs)."""
        with self.transaction() as c:
            c.execute("DELETE FROM event_clusters WHERE id IN (SELECT value FROM json_each(?))",
                      (json.dumps(sorted(set(removed))),))
            c.executemany(
                "INSERT INTO event_clusters (id, story_id, type, subtype, status, source_actor, target_actor, "
                "location, date, n_docs, n_independent) VALUES (:id, :story_id, :type, :subtype, :status, "
                ":source_actor, :target_actor, :location, :date, :n_docs, :n_independent)",
                [e | {"source_actor": json.dumps(e["source_actor"], ensure_ascii=False),
                      "target_actor": json.dumps(e["target_actor"], ensure_ascii=False)} for e in clusters])
            c.executemany("INSERT INTO event_cluster_members (cluster_id, doc_id, idx) VALUES (?, ?, ?) "
                          "ON CONFLICT(doc_id, idx) DO UPDATE SET cluster_id = excluded.cluster_id", members)
            _clear_dirty(c, "event_cluster", removed)

    def write_figure_keys(self, rows: list[tuple], doc_ids: list[str] | None = None) -> None:
        """Store figure grouping keys ``(doc, idx, family, anchor, concept, root)``: every figure's
        (``doc_ids`` None) or those of the documents named."""
        with self.transaction() as c:
            _clear_docs(c, "figure_keys", doc_ids)
            c.executemany("INSERT INTO figure_keys (doc_id, idx, family, anchor, concept, root) "
                          "VALUES (?, ?, ?, ?, ?, ?)", rows)

    def resolve_figure_keys(self, doc_ids: list[str]) -> list[tuple[str, int, str, str, str, str]]:
        """``(doc, idx, family, anchor, concept, root)`` of some documents' figures."""
        return [tuple(r) for r in self.conn.execute(
            "SELECT doc_id, idx, family, anchor, concept, root FROM figure_keys "
            "WHERE doc_id IN (SELECT value FROM json_each(?)) ORDER BY doc_id, idx", (json.dumps(doc_ids),))]

    def resolve_figure_block(self, family: str, anchor: str) -> dict[str, str]:
        """``{concept: root}`` of every key of one (unit family, anchor) block."""
        return {c: r for c, r in self.conn.execute(
            "SELECT DISTINCT concept, root FROM figure_keys WHERE family = ? AND anchor = ?", (family, anchor))}

    def resolve_figures_under(self, family: str, anchor: str, roots: list[str]) -> list[tuple[str, int]]:
        """``(doc, idx)`` of the figures of one block grouped under one of ``roots``."""
        return [tuple(r) for r in self.conn.execute(
            "SELECT doc_id, idx FROM figure_keys WHERE family = ? AND anchor = ? AND "
            "root IN (SELECT value FROM json_each(?))", (family, anchor, json.dumps(sorted(set(roots)),
                                                                                    ensure_ascii=False)))]

    def write_figure_roots(self, rows: list[tuple[str, str, str, str]]) -> None:
        """Set the root of keys given as ``(root, family, anchor, concept)``."""
        if rows:
            with self.transaction() as c:
                c.executemany("UPDATE figure_keys SET root = ? WHERE family = ? AND anchor = ? AND concept = ?", rows)

    def resolve_figure_group_of(self, doc_ids: list[str]) -> dict[tuple[str, int], str]:
        """``{(doc, idx): figure group id}`` of the grouped figures of some documents."""
        return {(d, i): g for g, d, i in self.conn.execute(
            "SELECT group_id, doc_id, idx FROM figure_group_members WHERE doc_id IN (SELECT value FROM json_each(?))",
            (json.dumps(doc_ids),))}

    def write_figure_group_updates(self, removed: list[str], groups: list[dict],
                                   members: list[tuple[str, str, int]]) -> None:
        """Replace some figure groups: drop ``removed``, add ``groups`` and their members (incremental runs)."""
        with self.transaction() as c:
            c.execute("DELETE FROM figure_groups WHERE id IN (SELECT value FROM json_each(?))",
                      (json.dumps(sorted(set(removed))),))
            c.executemany(
                "INSERT INTO figure_groups (id, measure, unit, scope, verdict, note, n_sources, value_min, "
                "value_max) VALUES (:id, :measure, :unit, :scope, :verdict, :note, :n_sources, :value_min, "
                ":value_max)", groups)
            c.executemany("INSERT INTO figure_group_members (group_id, doc_id, idx) VALUES (?, ?, ?) "
                          "ON CONFLICT(doc_id, idx) DO UPDATE SET group_id = excluded.group_id", members)
            _clear_dirty(c, "figure_group", removed)

    def write_project_status_updates(self, story_ids: list[str], rows: list[dict]) -> None:
        """Replace the project status rows of some stories."""
        with self.transaction() as c:
            c.execute("DELETE FROM project_status WHERE story_id IN (SELECT value FROM json_each(?))",
                      (json.dumps(sorted(set(story_ids))),))
            c.executemany(
                "INSERT INTO project_status (xentity_id, story_id, status, date, summary, evidence) "
                "VALUES (:xentity_id, :story_id, :status, :date, :summary, :evidence)",
                [r | {"evidence": json.dumps(r["evidence"], ensure_ascii=False)} for r in rows])

    # ------------------------------------------------------------ reads for the CLI and web
    def xentity_list(self, label: str | None = None, min_docs: int = 1, limit: int | None = 100) -> list[dict]:
        """Cross-document entities, most documents first (``limit=None``: all of them)."""
        sql = ("SELECT id, canonical, label, key, state, relation, n_docs, n_mentions, aliases FROM xentities "
               "WHERE n_docs >= ? AND (? IS NULL OR label = ?) ORDER BY n_docs DESC, n_mentions DESC, canonical "
               "LIMIT ?")
        return [_row(r) for r in self.conn.execute(sql, (min_docs, label, label, _NO_LIMIT if limit is None else limit))]

    def xentity_find(self, name: str) -> list[dict]:
        """Cross-document entities whose canonical name or one of whose members' names is ``name``."""
        sql = ("SELECT DISTINCT x.* FROM xentities x LEFT JOIN xentity_members m ON m.xentity_id = x.id "
               "WHERE x.id = ? OR x.canonical = ? COLLATE NOCASE OR m.name = ? COLLATE NOCASE "
               "ORDER BY x.n_docs DESC, x.canonical")
        return [_row(r) for r in self.conn.execute(sql, (name, name, name))]

    def xentity_find_by_key(self, key: str) -> list[dict]:
        """Cross-document entities holding the given key (name key, acronym or block)."""
        return [_row(r) for r in self.conn.execute(
            "SELECT x.* FROM xentity_keys k JOIN xentities x ON x.id = k.xentity_id WHERE k.key = ? "
            "ORDER BY x.n_docs DESC, x.id", (key,))]

    def xentity_members(self, xentity_id: str) -> list[dict]:
        """Members of one cross-document entity with their document's stem, date and title."""
        return [_row(r) for r in self.conn.execute(
            "SELECT m.doc_id, m.kind, m.ref, m.name, m.forms, m.how, d.published, d.title, "
            "(SELECT MIN(stem) FROM sources s WHERE s.doc_id = m.doc_id) AS stem "
            "FROM xentity_members m JOIN documents d ON d.id = m.doc_id WHERE m.xentity_id = ? "
            "ORDER BY d.published, m.doc_id, m.kind, m.ref", (xentity_id,))]

    def xentity_linked(self, iso3: str) -> list[dict]:
        """Entities that stand for a state: its capital, demonym, seats of government."""
        return [_row(r) for r in self.conn.execute(
            "SELECT id, canonical, label, relation, n_docs FROM xentities WHERE state = ? AND relation != 'state' "
            "ORDER BY relation, canonical", (iso3,))]

    def xentity_clusters(self, min_docs: int = 2) -> list[dict]:
        """Cross-document entities spanning at least ``min_docs`` documents, with their members' stems and forms."""
        rows = [_row(r) for r in self.conn.execute(
            "SELECT id, canonical, label, state, relation FROM xentities WHERE n_docs >= ? "
            "ORDER BY n_docs DESC, canonical, id",
            (min_docs,))]
        members: dict[str, list[dict]] = {}
        for r in self.conn.execute(
                "SELECT m.xentity_id, m.forms, (SELECT MIN(stem) FROM sources s WHERE s.doc_id = m.doc_id) AS stem "
                "FROM xentity_members m JOIN xentities x ON x.id = m.xentity_id WHERE x.n_docs >= ? "
                "ORDER BY stem, m.kind, m.ref", (min_docs,)):
            members.setdefault(r["xentity_id"], []).append({"doc": r["stem"], "forms": json.loads(r["forms"])})
        for row in rows:
            row["members"] = members.get(row["id"], [])
        return rows

    def xduplicates(self) -> list[dict]:
        """Duplicate groups with more than one member: group id, doc ids, stems, similarities."""
        return [dict(r) for r in self.conn.execute(
            "SELECT g.group_id, g.doc_id, g.similarity, d.publisher, d.published, "
            "(SELECT MIN(stem) FROM sources s WHERE s.doc_id = g.doc_id) AS stem FROM duplicate_groups g "
            "JOIN documents d ON d.id = g.doc_id WHERE g.group_id IN "
            "(SELECT group_id FROM duplicate_groups GROUP BY group_id HAVING COUNT(*) > 1) "
            "ORDER BY g.group_id, g.similarity DESC, g.doc_id")]

    def xduplicate_map(self) -> dict[str, str]:
        """``{doc id: duplicate group id}`` for every document with a group."""
        return {d: g for d, g in self.conn.execute("SELECT doc_id, group_id FROM duplicate_groups")}

    def xstory_list(self, min_docs: int = 1, limit: int | None = None) -> list[dict]:
        """Stories with their documents' stems, largest first."""
        rows = [_row(r) for r in self.conn.execute(
            "SELECT * FROM stories WHERE n_docs >= ? ORDER BY n_docs DESC, date_from, id LIMIT ?",
            (min_docs, _NO_LIMIT if limit is None else limit))]
        docs: dict[str, list[dict]] = {}
        for r in self.conn.execute(
                "SELECT sd.story_id, sd.doc_id, sd.score, sd.how, d.title, d.published, d.publisher, "
                "r.published AS refined, (SELECT MIN(stem) FROM sources s WHERE s.doc_id = sd.doc_id) AS stem "
                "FROM story_documents sd JOIN documents d ON d.id = sd.doc_id "
                "LEFT JOIN refined_dates r ON r.doc_id = sd.doc_id ORDER BY d.published, stem"):
            docs.setdefault(r["story_id"], []).append(dict(r))
        for row in rows:
            row["docs"] = docs.get(row["id"], [])
        return rows

    def xstory(self, ref: str) -> dict | None:
        """One story by id, or the story of a document (id or stem)."""
        row = self.conn.execute(
            "SELECT story_id FROM story_documents WHERE story_id = ? OR doc_id = ? OR doc_id IN "
            "(SELECT doc_id FROM sources WHERE stem = ?) LIMIT 1", (ref, ref, ref)).fetchone()
        if row is None:
            return None
        story = next((s for s in self.xstory_list() if s["id"] == row[0]), None)
        return story

    def xstory_of(self, doc_id: str) -> str | None:
        """The story id of one document, or None (unresolved store or unknown document)."""
        row = self.conn.execute("SELECT story_id FROM story_documents WHERE doc_id = ?", (doc_id,)).fetchone()
        return row[0] if row else None

    def xstory_map(self) -> dict[str, str]:
        """``{doc id: story id}``."""
        return {d: s for d, s in self.conn.execute("SELECT doc_id, story_id FROM story_documents")}

    def xrefined_dates(self) -> list[dict]:
        """Publication dates narrowed by the resolve stage, beside the original ones."""
        return [dict(r) for r in self.conn.execute(
            "SELECT r.doc_id, d.published AS original, r.published, r.reason, "
            "(SELECT MIN(stem) FROM sources s WHERE s.doc_id = r.doc_id) AS stem "
            "FROM refined_dates r JOIN documents d ON d.id = r.doc_id ORDER BY stem")]

    def xevent_clusters(self, story_id: str | None = None, xentity: str | None = None) -> list[dict]:
        """Merged events, optionally of one story or with one actor (canonical name), by date."""
        sql = "SELECT * FROM event_clusters WHERE (? IS NULL OR story_id = ?)"
        args: list = [story_id, story_id]
        if xentity is not None:
            sql += (" AND (EXISTS (SELECT 1 FROM json_each(source_actor) WHERE value = ?) "
                    "OR EXISTS (SELECT 1 FROM json_each(target_actor) WHERE value = ?))")
            args += [xentity, xentity]
        rows = [_row(r) for r in self.conn.execute(sql + " ORDER BY date IS NULL, date, id", args)]
        evidence: dict[str, list[dict]] = {}
        ids = json.dumps([r["id"] for r in rows])
        for r in self.conn.execute(
                "SELECT m.cluster_id, m.doc_id, m.idx, e.status, e.date, e.date_text, s.text AS sentence, "
                "(SELECT MIN(stem) FROM sources x WHERE x.doc_id = m.doc_id) AS stem "
                "FROM event_cluster_members m JOIN events e ON e.doc_id = m.doc_id AND e.idx = m.idx "
                "LEFT JOIN sentences s ON s.doc_id = e.doc_id AND s.idx = e.sentence "
                "WHERE m.cluster_id IN (SELECT value FROM json_each(?)) ORDER BY stem, m.idx", (ids,)):
            evidence.setdefault(r["cluster_id"], []).append(dict(r))
        for row in rows:
            row["evidence"] = evidence.get(row["id"], [])
        return rows

    def xfigure_groups(self, verdicts: tuple[str, ...] | None = None) -> list[dict]:
        """Figure groups (optionally only some verdicts) with every member figure and its sentence."""
        rows = [dict(r) for r in self.conn.execute("SELECT * FROM figure_groups ORDER BY measure, unit, id")]
        if verdicts:
            rows = [r for r in rows if r["verdict"] in verdicts]
        members: dict[str, list[dict]] = {}
        for r in self.conn.execute(
                "SELECT m.group_id, f.doc_id, f.idx, f.value, f.unit, f.surface, f.period, f.attributed_to, "
                "f.status, f.qualifier, s.text AS sentence, d.published, "
                "(SELECT MIN(stem) FROM sources x WHERE x.doc_id = f.doc_id) AS stem "
                "FROM figure_group_members m JOIN figures f ON f.doc_id = m.doc_id AND f.idx = m.idx "
                "JOIN documents d ON d.id = f.doc_id "
                "LEFT JOIN sentences s ON s.doc_id = f.doc_id AND s.idx = f.sentence ORDER BY stem, f.idx"):
            members.setdefault(r["group_id"], []).append(dict(r))
        for row in rows:
            row["figures"] = members.get(row["id"], [])
        return rows

    def xproject_status(self, xentity_id: str | None = None, story_id: str | None = None) -> list[dict]:
        """Project status rows with the project's and the story's names (of one project, of one story)."""
        where, args = [], []
        for column, value in (("p.xentity_id", xentity_id), ("p.story_id", story_id)):
            if value is not None:
                # One condition per given value, so each can use its index.
                where.append(f"{column} = ?")
                args.append(value)
        return [_row(r) for r in self.conn.execute(
            "SELECT p.*, x.canonical AS project, s.label AS story FROM project_status p "
            "JOIN xentities x ON x.id = p.xentity_id LEFT JOIN stories s ON s.id = p.story_id"
            f"{' WHERE ' + ' AND '.join(where) if where else ''} ORDER BY x.canonical, p.date, p.story_id", args)]

    def xresolve_runs(self, limit: int = 5) -> list[dict]:
        """The latest resolve runs."""
        return [_row(r) for r in self.conn.execute(
            "SELECT * FROM resolve_runs ORDER BY id DESC LIMIT ?", (limit,))]

    def xevents_to_redate(self, doc_id: str) -> list[dict]:
        """A document's events with their date expression, date and status."""
        return [dict(r) for r in self.conn.execute(
            "SELECT idx, date, date_text, date_precision, status FROM events WHERE doc_id = ? ORDER BY idx",
            (doc_id,))]

    def write_event_dates(self, rows: list[tuple[str, str | None, str, int]]) -> None:
        """Set ``(date, precision)`` of events given as ``(date, precision, doc id, idx)``."""
        if rows:
            with self.transaction() as c:
                c.executemany("UPDATE events SET date = ?, date_precision = ? WHERE doc_id = ? AND idx = ?", rows)

    def xrefined_date(self, doc_id: str) -> dict | None:
        """The narrowed publication date of one document and why, or None."""
        row = self.conn.execute("SELECT published, reason FROM refined_dates WHERE doc_id = ?", (doc_id,)).fetchone()
        return dict(row) if row else None

    def xfigures_without_period(self, doc_id: str) -> list[int]:
        """Indexes of a document's actual (not forecast) figures that have no period."""
        return [r[0] for r in self.conn.execute(
            "SELECT idx FROM figures WHERE doc_id = ? AND period IS NULL AND status = 'actual' ORDER BY idx",
            (doc_id,))]

    def write_figure_periods(self, rows: list[tuple[str, str, int]]) -> None:
        """Set the period of figures given as ``(period, doc id, idx)``."""
        if rows:
            with self.transaction() as c:
                c.executemany("UPDATE figures SET period = ? WHERE doc_id = ? AND idx = ?", rows)


def _clear_docs(c, table: str, doc_ids: list[str] | None) -> None:
    """Delete the rows of some documents from ``table`` (every row when ``doc_ids`` is None)."""
    if doc_ids is None:
        c.execute(f"DELETE FROM {table}")
    else:
        c.execute(f"DELETE FROM {table} WHERE doc_id IN (SELECT value FROM json_each(?))", (json.dumps(doc_ids),))
