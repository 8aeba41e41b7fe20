"""Read queries for the web app and API, mixed into :class:`dyad.store.Store`.

Every statement is parameterised; table and column names are never taken from
the caller.  Method names avoid the names :class:`Store` itself defines (Store
inherits from this mixin, so a clash would silently shadow a method here).
Results are plain dicts and lists, ready to be serialised as JSON.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass

_ISO_PREFIX = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?")
_SPACES = re.compile(r"\s+")
# The columns of a figure row with its document, sentence and story (aliases f, d, s, sd).
_FIGURE_COLUMNS = ('f.doc_id, f.idx, f.sentence, f.start, f."end", f.value, f.unit, f.surface, f.measure, f.period, '
                   "f.attributed_to, f.status, f.qualifier, f.approx, d.title, d.publisher, d.published, "
                   "s.text AS sentence_text, sd.story_id, "
                   "(SELECT MIN(stem) FROM sources x WHERE x.doc_id = f.doc_id) AS stem")
# An entity page's details come from at most this many documents naming it (the
# newest), and its co-occurrence graph from at most _COOCCURRENCE_DOCS: bounds that
# keep the page's cost flat however many documents name the entity.  A page's work
# grows with its window (about 0.4 ms a document on PostgreSQL, where 100 and 50
# documents gave a p95 over 50 ms); the page links to every document besides.
ENTITY_WINDOW = 50
_COOCCURRENCE_DOCS = 30
# An entity's newest rows, as the (canonical, published) index yields them: one index
# range, whose (doc_id, id) pairs are then joined on primary keys.  Arguments: the
# canonical name and how many rows (EntityWindow.rows).  Filtering every row of the
# entity by "doc_id IN (window)" instead read all of them, tens of thousands for a
# head of government.
_WINDOW_ROWS = ("(SELECT doc_id, id FROM entities WHERE canonical = ? "
                "ORDER BY published DESC NULLS LAST, doc_id DESC LIMIT ?)")


@dataclass(frozen=True)
class EntityWindow:
    """An entity's newest documents (``docs``, newest first), held by its newest ``rows`` entity rows."""

    name: str
    docs: list[str]
    rows: int

    @property
    def doc_list(self) -> str:
        """The documents as a JSON list, for ``IN (SELECT value FROM json_each(?))``."""
        return json.dumps(self.docs)


@dataclass(frozen=True)
class DocFilter:
    """Filters shared by the document list, search and figures pages.

    ``date_from``/``date_to`` are ISO date prefixes; a document dated only to a
    year or month matches when that period overlaps the range.  Empty values
    mean "no filter".
    """

    outlet: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    entity: str | None = None
    event_type: str | None = None

    def where(self, doc: str = "d", sentence: str | None = None, claimed_by: str | None = None
              ) -> tuple[list[str], list]:
        """SQL conditions over a ``documents`` alias and their parameters.

        With ``sentence`` (a ``sentences`` alias) the entity and event-type filters
        narrow to that sentence rather than the whole document; with ``claimed_by``
        (a ``figures`` alias) the entity filter means "the figure is attributed to it".
        """
        clauses: list[str] = []
        params: list = []
        if self.outlet:
            clauses.append(f"{doc}.publisher = ?")
            params.append(self.outlet)
        if self.date_from:
            # Compare at the document's own precision: '2023' overlaps '2023-05-01'.
            clauses.append(f"{doc}.published IS NOT NULL AND {doc}.published >= substr(?, 1, length({doc}.published))")
            params.append(self.date_from)
        if self.date_to:
            clauses.append(f"{doc}.published IS NOT NULL AND {doc}.published <= substr(?, 1, length({doc}.published))")
            params.append(self.date_to)
        if self.entity:
            clauses.append(self._entity_clause(doc, sentence, claimed_by))
            params.append(self.entity)
        if self.event_type:
            if sentence:
                clauses.append(f"EXISTS (SELECT 1 FROM events fv WHERE fv.doc_id = {sentence}.doc_id "
                               f"AND fv.sentence = {sentence}.idx AND fv.type = ?)")
            else:
                clauses.append(f"EXISTS (SELECT 1 FROM events fv WHERE fv.doc_id = {doc}.id AND fv.type = ?)")
            params.append(self.event_type)
        return clauses, params

    @staticmethod
    def _entity_clause(doc: str, sentence: str | None, claimed_by: str | None) -> str:
        if claimed_by:
            return f"{claimed_by}.attributed_to = ? COLLATE NOCASE"
        if sentence:
            return ("EXISTS (SELECT 1 FROM entities fe JOIN entity_mentions fm ON fm.doc_id = fe.doc_id "
                    f"AND fm.entity_id = fe.id WHERE fe.doc_id = {sentence}.doc_id AND fe.canonical = ? COLLATE NOCASE "
                    f'AND fm.start >= {sentence}.start AND fm.start < {sentence}."end")')
        # Case-insensitive: a typed filter need not match the canonical casing.
        return f"EXISTS (SELECT 1 FROM entities fe WHERE fe.doc_id = {doc}.id AND fe.canonical = ? COLLATE NOCASE)"


def _where_sql(clauses: list[str]) -> str:
    return (" WHERE " + " AND ".join(f"({c})" for c in clauses)) if clauses else ""


def _decode(row: sqlite3.Row, *json_columns: str) -> dict:
    out = dict(row)
    for key in json_columns:
        if key in out and isinstance(out[key], str):
            out[key] = json.loads(out[key])
    return out


def measure_key(measure: str | None) -> str:
    """How figures are grouped by measure: lower case, one space, plain apostrophes."""
    if not measure:
        return ""
    return _SPACES.sub(" ", measure.replace("’", "'")).strip().lower()


class Queries:
    """Read-only queries over the store (``self.conn`` is the store's connection)."""

    conn: sqlite3.Connection

    # ------------------------------------------------------------ generic
    def has_table(self, name: str) -> bool:
        """Whether a table (or view) of that name exists, e.g. ``stories`` once built."""
        row = self.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type IN ('table', 'view') AND name = ?", (name,)
        ).fetchone()
        return row is not None

    def overview(self, recent: int = 8, top: int = 15) -> dict:
        """Counts, the date span, recent documents and the most-covered entities.

        The two counting scans (of narrow tables, each about half the time on a large
        store) run beside each other, on a second connection when the store has one.
        """
        c = self.conn
        with self.beside() as beside:
            # Entities named in article bodies (not only in bylines or credits), as in top_entities.
            entities = beside.submit(
                lambda side: side.conn.execute("SELECT COUNT(*) FROM entity_body WHERE body = 1").fetchone()[0])
            # Per-document counts kept as documents are written: one narrow row each.
            row = c.execute("SELECT COUNT(*), SUM(sentences), SUM(quotes), SUM(figures), SUM(events) "
                            "FROM document_counts").fetchone()
            # Two statements: each is then one probe at an end of the published index.
            span = (c.execute("SELECT MIN(published) FROM documents").fetchone()[0],
                    c.execute("SELECT MAX(published) FROM documents").fetchone()[0])
            top_entities = [dict(r) for r in c.execute(
                "SELECT canonical AS name, documents FROM entity_body WHERE body = 1 "
                "ORDER BY documents DESC, canonical LIMIT ?", (top,)
            )]
            docs, _ = self.list_documents(DocFilter(), limit=recent, offset=0)
            outlets = self.facet_outlets()
            entity_count = entities()
        counts = {"documents": row[0], "sentences": int(row[1] or 0), "entities": entity_count,
                  "quotes": int(row[2] or 0), "figures": int(row[3] or 0), "events": int(row[4] or 0)}
        return {"counts": counts, "published": {"first": span[0], "last": span[1]},
                "recent_documents": docs, "top_entities": top_entities, "outlets": outlets}

    def facet_outlets(self) -> list[dict]:
        """Publishers with their document counts (the outlet filter's choices)."""
        return [dict(r) for r in self.conn.execute(
            "SELECT publisher AS name, COUNT(*) AS documents FROM documents WHERE publisher IS NOT NULL "
            "GROUP BY publisher ORDER BY documents DESC, publisher"
        )]

    def facet_event_types(self) -> list[dict]:
        """Event types with their counts (the event-type filter's choices)."""
        return [dict(r) for r in self.conn.execute(
            "SELECT type AS name, COUNT(*) AS events FROM events GROUP BY type ORDER BY type"
        )]

    def facet_units(self) -> list[dict]:
        """Figure units with their counts."""
        return [dict(r) for r in self.conn.execute(
            "SELECT unit AS name, COUNT(*) AS figures FROM figures GROUP BY unit ORDER BY figures DESC, unit"
        )]

    # ------------------------------------------------------------ documents
    def list_documents(self, f: DocFilter, limit: int, offset: int) -> tuple[list[dict], int]:
        """One page of documents matching ``f``, newest publication first, and the total."""
        clauses, params = f.where("d")
        where = _where_sql(clauses)
        total = self.conn.execute(f"SELECT COUNT(*) FROM documents d{where}", params).fetchone()[0]
        sql = (
            "SELECT d.id, d.title, d.publisher, d.published, d.published_how, d.n_words, "
            "(SELECT MIN(stem) FROM sources s WHERE s.doc_id = d.id) AS stem, "
            "(SELECT COUNT(*) FROM entities e WHERE e.doc_id = d.id AND e.body = 1) AS entities, "
            "(SELECT COUNT(*) FROM quotes q WHERE q.doc_id = d.id) AS quotes, "
            "(SELECT COUNT(*) FROM figures x WHERE x.doc_id = d.id) AS figures, "
            "(SELECT COUNT(*) FROM events v WHERE v.doc_id = d.id) AS events "
            f"FROM documents d{where} ORDER BY d.published DESC NULLS LAST, stem, d.id LIMIT ? OFFSET ?"
        )
        rows = [dict(r) for r in self.conn.execute(sql, (*params, limit, offset))]
        return rows, total

    def document_page(self, doc_id: str) -> dict | None:
        """Everything the document page shows: metadata, text, structure and every extraction."""
        c = self.conn
        row = c.execute(
            "SELECT id, title, standfirst, publisher, authors, published, published_how, published_reason, "
            "dateline, url, format, encoding, clean_text, n_words, pipeline_version, ingested_at "
            "FROM documents WHERE id = ?", (doc_id,)
        ).fetchone()
        if row is None:
            return None
        doc = _decode(row, "authors")
        doc["sources"] = [r["stem"] for r in c.execute(
            "SELECT DISTINCT stem FROM sources WHERE doc_id = ? ORDER BY stem", (doc_id,))]
        args = (doc_id,)
        return {
            "document": doc,
            "paragraphs": [_decode(r, "line_numbers") for r in c.execute(
                'SELECT idx, start, "end", kind, line_numbers FROM paragraphs WHERE doc_id = ? ORDER BY idx', args)],
            "sentences": [dict(r) for r in c.execute(
                'SELECT idx, paragraph, start, "end" FROM sentences WHERE doc_id = ? ORDER BY idx', args)],
            "boilerplate": [dict(r) for r in c.execute(
                "SELECT number, reason, text FROM lines WHERE doc_id = ? AND kind = 'boilerplate' ORDER BY number",
                args)],
            "entities": self._document_entities(doc_id),
            "quotes": [dict(r) for r in c.execute(
                'SELECT idx, sentence, start, "end", text, kind, speaker, speaker_entity, speaker_role, cue '
                "FROM quotes WHERE doc_id = ? ORDER BY start", args)],
            "figures": [dict(r) for r in c.execute(
                'SELECT idx, sentence, start, "end", surface, value, unit, approx, qualifier, measure, period, '
                "attributed_to, status FROM figures WHERE doc_id = ? ORDER BY start", args)],
            "events": [_decode(r, "source_actor", "target_actor") for r in c.execute(
                "SELECT idx, sentence, type, subtype, trigger_start, trigger_end, status, source_actor, "
                "target_actor, location, date, date_text, date_precision FROM events WHERE doc_id = ? "
                "ORDER BY trigger_start", args)],
            "dates": [dict(r) for r in c.execute(
                'SELECT start, "end", text, value, precision FROM dates WHERE doc_id = ? ORDER BY start', args)],
        }

    def _document_entities(self, doc_id: str) -> list[dict]:
        entities = {r["id"]: {**_decode(r, "roles"), "mentions": []} for r in self.conn.execute(
            "SELECT id, canonical, label, roles, body FROM entities WHERE doc_id = ? ORDER BY id", (doc_id,))}
        for m in self.conn.execute(
            'SELECT entity_id, start, "end", text FROM entity_mentions WHERE doc_id = ? ORDER BY start', (doc_id,)
        ):
            if m["entity_id"] in entities:
                entities[m["entity_id"]]["mentions"].append({"start": m["start"], "end": m["end"], "text": m["text"]})
        return list(entities.values())

    # ------------------------------------------------------------ entities
    def entity_index(self, q: str | None, label: str | None, limit: int, offset: int) -> tuple[list[dict], int]:
        """Entities grouped by canonical name (optionally matching ``q``, of ``label``) and the total."""
        clauses, params = [], []
        if q:
            clauses.append("e.canonical LIKE ? ESCAPE '\\'")
            params.append("%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        if label:
            clauses.append("e.label = ?")
            params.append(label)
        where = _where_sql(clauses)
        total = self.conn.execute(f"SELECT COUNT(DISTINCT canonical) FROM entities e{where}", params).fetchone()[0]
        sql = (
            "SELECT e.canonical AS name, group_concat(DISTINCT e.label) AS labels, "
            "COUNT(DISTINCT e.doc_id) AS documents, "
            "(SELECT COUNT(*) FROM entities e2 JOIN entity_mentions m ON m.doc_id = e2.doc_id "
            " AND m.entity_id = e2.id WHERE e2.canonical = e.canonical) AS mentions "
            f"FROM entities e{where} GROUP BY e.canonical ORDER BY documents DESC, mentions DESC, e.canonical "
            "LIMIT ? OFFSET ?"
        )
        rows = [dict(r) for r in self.conn.execute(sql, (*params, limit, offset))]
        for r in rows:
            r["labels"] = sorted(set((r["labels"] or "").split(","))) if r["labels"] else []
        return rows, total

    def entity_labels(self) -> list[dict]:
        """Entity labels with the number of distinct canonical names of each."""
        return [dict(r) for r in self.conn.execute(
            "SELECT label AS name, COUNT(DISTINCT canonical) AS entities FROM entities GROUP BY label "
            "ORDER BY entities DESC, label"
        )]

    def entity_profile(self, name: str, limit: int = 200, window: EntityWindow | None = None) -> dict | None:
        """What the store knows about one entity (by canonical name) across documents.

        Counts (``n_documents``, ``labels``, ``documents_per_month``) cover every
        document naming the entity.  The details (aliases, roles, the document list,
        events, quotes and figures, at most ``limit`` of each) come from its newest
        :data:`ENTITY_WINDOW` documents (``window``), so the page costs the same for
        an entity named in ten documents or in fifty thousand.  A caller that also
        asks for the entity's identity or stories passes the same ``window``
        (:meth:`entity_window_rows`) to each rather than having it read again.
        """
        c = self.conn
        months = self.entity_months(name)
        n_docs = sum(m["documents"] for m in months)
        if not n_docs:
            return None
        w = window or self.entity_window_rows(name)
        labels = [{"label": r[0], "documents": r[1]} for r in c.execute(
            "SELECT label, documents FROM entity_labels WHERE canonical = ? ORDER BY documents DESC, label", (name,))]
        roles: Counter = Counter()
        for r in c.execute(f"SELECT e.roles FROM {_WINDOW_ROWS} w JOIN entities e ON e.doc_id = w.doc_id "
                           "AND e.id = w.id WHERE e.roles <> '[]'", (name, w.rows)):
            roles.update(set(json.loads(r[0])))
        aliases = [dict(r) for r in c.execute(
            f"SELECT m.text AS alias, COUNT(*) AS mentions FROM {_WINDOW_ROWS} w JOIN entity_mentions m "
            "ON m.doc_id = w.doc_id AND m.entity_id = w.id GROUP BY m.text ORDER BY mentions DESC, m.text",
            (name, w.rows))]
        return {
            "name": name,
            "n_documents": n_docs,
            "window": {"documents": len(w.docs), "of": n_docs, "newest": ENTITY_WINDOW},
            "labels": labels,
            "roles": [{"role": k, "documents": n} for k, n in sorted(roles.items(), key=lambda kv: (-kv[1], kv[0]))],
            "aliases": aliases,
            "documents_per_month": months,
            "documents": self._entity_documents(w),
            "events": self._entity_events(name, w.doc_list, limit),
            "quotes": self._entity_quotes(w, limit),
            "figures": self._entity_figures(name, w.doc_list, limit),
        }

    def entity_window(self, name: str, size: int | None = None) -> list[str]:
        """Ids of the newest ``size`` (default :data:`ENTITY_WINDOW`) documents naming the entity, newest first.

        Read from the (canonical, published) index without sorting the rest.
        """
        return self.entity_window_rows(name, size).docs

    def entity_window_rows(self, name: str, size: int | None = None) -> EntityWindow:
        """:meth:`entity_window` with the number of the entity's newest rows that hold those documents."""
        size = ENTITY_WINDOW if size is None else size
        out: dict[str, None] = {}
        rows = 0
        for r in self.conn.execute(
                "SELECT doc_id FROM entities WHERE canonical = ? ORDER BY published DESC NULLS LAST, doc_id DESC "
                "LIMIT ?", (name, 2 * size)):
            if r[0] not in out and len(out) >= size:
                break
            out.setdefault(r[0])
            rows += 1
        return EntityWindow(name, list(out), rows)

    def entity_months(self, name: str) -> list[dict]:
        """``[{month, documents}]``: documents naming the entity per publication month (``None``: undated)."""
        months = [{"month": r[0] or None, "documents": r[1]} for r in self.conn.execute(
            "SELECT month, documents FROM entity_months WHERE canonical = ? ORDER BY month", (name,))]
        # Undated ('' in the counter table) last, as before.
        return [m for m in months if m["month"]] + [m for m in months if not m["month"]]

    def entity_document_count(self, name: str) -> int:
        """How many documents name the entity (0: none), from the per-month counters."""
        row = self.conn.execute("SELECT SUM(documents) FROM entity_months WHERE canonical = ?", (name,)).fetchone()
        return int(row[0] or 0)

    def _entity_documents(self, w: EntityWindow) -> list[dict]:
        """The window's documents, newest first, with the entity's mentions and first mention in each."""
        return [dict(r) for r in self.conn.execute(
            'SELECT x.id, x.title, x.publisher, x.published, x.body, x.mentions, x.stem, x.first_start, '
            '(SELECT MIN(m."end") FROM entity_mentions m WHERE m.doc_id = x.id AND m.entity_id = x.eid '
            "AND m.start = x.first_start) AS first_end, "
            '(SELECT s.idx FROM sentences s WHERE s.doc_id = x.id AND s.start <= x.first_start '
            'AND s."end" > x.first_start) AS first_sentence FROM ('
            "SELECT d.id, e.id AS eid, MIN(d.title) AS title, MIN(d.publisher) AS publisher, "
            "MIN(d.published) AS published, MIN(e.body) AS body, COUNT(m.start) AS mentions, "
            "(SELECT MIN(stem) FROM sources src WHERE src.doc_id = d.id) AS stem, MIN(m.start) AS first_start "
            f"FROM {_WINDOW_ROWS} w JOIN entities e ON e.doc_id = w.doc_id AND e.id = w.id "
            "JOIN documents d ON d.id = e.doc_id LEFT JOIN entity_mentions m "
            "ON m.doc_id = e.doc_id AND m.entity_id = e.id GROUP BY d.id, e.id) x "
            "ORDER BY x.published DESC NULLS LAST, x.id", (w.name, w.rows))]

    def _entity_events(self, name: str, docs: str, limit: int) -> list[dict]:
        sql = (
            "SELECT v.doc_id, v.idx, v.sentence, v.type, v.subtype, v.status, v.trigger_start, v.trigger_end, "
            "v.source_actor, v.target_actor, v.location, v.date, v.date_text, d.title, d.published, d.publisher, "
            "s.text AS sentence_text, s.start AS sentence_start, s.\"end\" AS sentence_end "
            "FROM events v JOIN documents d ON d.id = v.doc_id "
            "LEFT JOIN sentences s ON s.doc_id = v.doc_id AND s.idx = v.sentence "
            "WHERE v.doc_id IN (SELECT value FROM json_each(?)) AND ("
            " EXISTS (SELECT 1 FROM json_each(v.source_actor) WHERE value = ?) OR "
            " EXISTS (SELECT 1 FROM json_each(v.target_actor) WHERE value = ?)) "
            "ORDER BY COALESCE(v.date, d.published) DESC NULLS LAST, v.doc_id, v.idx LIMIT ?"
        )
        out = []
        for r in self.conn.execute(sql, (docs, name, name, limit)):
            ev = _decode(r, "source_actor", "target_actor")
            ev["role"] = "source" if name in ev["source_actor"] else "target"
            out.append(ev)
        return out

    def _entity_quotes(self, w: EntityWindow, limit: int) -> list[dict]:
        cols = ("q.doc_id, q.idx, q.sentence, q.start, q.\"end\", q.text, q.kind, q.speaker, q.speaker_role, q.cue, "
                "d.title, d.published, d.publisher")
        sql = (
            f"SELECT {cols} FROM {_WINDOW_ROWS} w JOIN quotes q ON q.doc_id = w.doc_id AND q.speaker_entity = w.id "
            "JOIN documents d ON d.id = q.doc_id "
            f"UNION SELECT {cols} FROM quotes q JOIN documents d ON d.id = q.doc_id "
            # "|| ''" keeps both planners on the window's documents rather than on
            # every quote ever attributed to the name through the speaker index.
            "WHERE q.doc_id IN (SELECT value FROM json_each(?)) AND q.speaker || '' = ? AND q.speaker_entity IS NULL "
            # A UNION is ordered by its output columns (PostgreSQL insists).
            "ORDER BY published DESC NULLS LAST, doc_id, start LIMIT ?"
        )
        return [dict(r) for r in self.conn.execute(sql, (w.name, w.rows, w.doc_list, w.name, limit))]

    def _entity_figures(self, name: str, docs: str, limit: int) -> list[dict]:
        sql = (
            'SELECT f.doc_id, f.idx, f.sentence, f.start, f."end", f.surface, f.value, f.unit, f.approx, '
            "f.measure, f.period, f.status, f.attributed_to, d.title, d.published, d.publisher "
            "FROM figures f JOIN documents d ON d.id = f.doc_id "
            "WHERE f.doc_id IN (SELECT value FROM json_each(?)) AND f.attributed_to = ? "
            "ORDER BY d.published DESC NULLS LAST, f.doc_id, f.start LIMIT ?"
        )
        return [dict(r) for r in self.conn.execute(sql, (docs, name, limit))]

    def entity_cooccurrence(self, name: str, limit: int = 12) -> dict:
        """Entities named in the same sentences as ``name``: the top ``limit`` and the links among them.

        Returns ``{"nodes": [{name, sentences, documents}], "edges": [{a, b, sentences}]}``
        where the first node is ``name`` itself and weights count shared sentences.
        """
        docs = [r[0] for r in self.conn.execute(
            "SELECT doc_id FROM entities WHERE canonical = ? AND body = 1 "
            "ORDER BY published DESC NULLS LAST, doc_id DESC LIMIT ?", (name, _COOCCURRENCE_DOCS))]
        sentences: dict[tuple[str, int], set[str]] = defaultdict(set)
        # Mentions are placed in sentences by bisecting sentence starts in Python:
        # much cheaper than a range join against the sentences table.
        starts: dict[str, tuple[list[int], list[int]]] = {}
        doc_list = json.dumps(docs)
        # Thousands of rows: fetched at once and unpacked by position (reading columns by
        # name cost more than the queries on PostgreSQL).
        for doc_id, start, i in self.conn.execute(
            "SELECT doc_id, start, idx FROM sentences WHERE doc_id IN (SELECT value FROM json_each(?)) "
            "ORDER BY doc_id, start", (doc_list,)
        ).fetchall():
            pos, idx = starts.setdefault(doc_id, ([], []))
            pos.append(start)
            idx.append(i)
        for doc_id, start, canonical in self.conn.execute(
            "SELECT m.doc_id, m.start, e.canonical FROM entity_mentions m JOIN entities e ON e.doc_id = m.doc_id "
            "AND e.id = m.entity_id WHERE m.doc_id IN (SELECT value FROM json_each(?)) AND e.body = 1", (doc_list,)
        ).fetchall():
            pos, idx = starts.get(doc_id, ([], []))
            i = bisect_right(pos, start) - 1
            if i >= 0:
                sentences[(doc_id, idx[i])].add(canonical)
        with_name = [names for names in sentences.values() if name in names]
        weight: Counter = Counter(other for names in with_name for other in names if other != name)
        in_docs: dict[str, set[str]] = defaultdict(set)
        for (doc_id, _), names in sentences.items():
            if name in names:
                for other in names:
                    in_docs[other].add(doc_id)
        # Ties by name: the order must not depend on the order rows came back in.
        top = [n for n, _ in sorted(weight.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]
        nodes = [{"name": name, "sentences": len(with_name), "documents": len(docs)}]
        nodes += [{"name": n, "sentences": weight[n], "documents": len(in_docs[n])} for n in top]
        keep = set(top)
        pair: Counter = Counter()
        for names in sentences.values():
            inner = sorted(keep.intersection(names))
            for i, a in enumerate(inner):
                for b in inner[i + 1:]:
                    pair[(a, b)] += 1
        edges = [{"a": name, "b": n, "sentences": weight[n]} for n in top]
        edges += [{"a": a, "b": b, "sentences": w} for (a, b), w in sorted(pair.items())]
        return {"nodes": nodes, "edges": edges}

    # ------------------------------------------------------------ figures
    def figure_rows(self, f: DocFilter, unit: str | None, measure: str | None, cap: int,
                    verdicts: tuple[str, ...] = (), xgroup: str | None = None) -> list[dict]:
        """Figures under the filters (``measure`` is a substring), each with its document, sentence and
        cross-source figure group (``xgroup``, ``verdict``, ``note``; None when it has none).

        ``verdicts`` keeps only figures whose group has one of those verdicts; ``xgroup``
        only the members of that group.
        """
        # For figures the entity filter means "claimed by", not "named in the same article".
        clauses, params = f.where("d", claimed_by="x")
        if unit:
            clauses.append("x.unit = ?")
            params.append(unit)
        if measure:
            clauses.append("x.measure LIKE ? ESCAPE '\\'")
            params.append("%" + measure.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        if verdicts:
            clauses.append(f"g.verdict IN ({', '.join('?' * len(verdicts))})")
            params.extend(verdicts)
        if xgroup:
            clauses.append("g.id = ?")
            params.append(xgroup)
        sql = (
            'SELECT x.doc_id, x.idx, x.sentence, x.start, x."end", x.surface, x.value, x.unit, x.approx, '
            "x.qualifier, x.measure, x.period, x.attributed_to, x.status, d.title, d.publisher, d.published, "
            "s.text AS sentence_text, g.id AS xgroup, g.verdict, g.note FROM figures x "
            "JOIN documents d ON d.id = x.doc_id "
            "LEFT JOIN sentences s ON s.doc_id = x.doc_id AND s.idx = x.sentence "
            "LEFT JOIN figure_group_members gm ON gm.doc_id = x.doc_id AND gm.idx = x.idx "
            "LEFT JOIN figure_groups g ON g.id = gm.group_id"
            f"{_where_sql(clauses)} ORDER BY x.unit, x.measure, d.published, x.doc_id, x.idx LIMIT ?"
        )
        return [dict(r) for r in self.conn.execute(sql, (*params, cap))]

    def figure_verdict_counts(self) -> dict[str, int]:
        """``{verdict: number of figures}`` over the figures that belong to a cross-source group."""
        return {r[0]: r[1] for r in self.conn.execute(
            "SELECT g.verdict, COUNT(*) FROM figure_group_members m JOIN figure_groups g ON g.id = m.group_id "
            "GROUP BY g.verdict")}

    # ------------------------------------------------------------ stories (the resolve stage's tables)
    def story_count(self) -> int:
        """How many stories the store holds (0 until the resolve stage has run)."""
        return self.conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0]

    def story_list(self, f: DocFilter, min_docs: int, sort: str, limit: int, offset: int) -> tuple[list[dict], int]:
        """One page of stories of at least ``min_docs`` documents, one of which matches ``f``, and the total.

        ``sort`` is ``"size"`` (most documents first) or ``"recent"`` (latest date first).
        """
        clauses, params = f.where("d")
        match = ("EXISTS (SELECT 1 FROM story_documents sd JOIN documents d ON d.id = sd.doc_id "
                 f"WHERE sd.story_id = st.id{(' AND ' + ' AND '.join(f'({c})' for c in clauses)) if clauses else ''})")
        where = f" WHERE st.n_docs >= ? AND {match}"
        args = [min_docs, *params]
        total = self.conn.execute(f"SELECT COUNT(*) FROM stories st{where}", args).fetchone()[0]
        order = ("st.date_to DESC NULLS LAST, st.n_docs DESC, st.id" if sort == "recent"
                 else "st.n_docs DESC, st.date_to DESC NULLS LAST, st.id")
        rows = [_decode(r, "keywords") for r in self.conn.execute(
            f"SELECT st.id, st.label, st.date_from, st.date_to, st.n_docs, st.keywords FROM stories st{where} "
            f"ORDER BY {order} LIMIT ? OFFSET ?", (*args, limit, offset))]
        docs = self.story_documents([r["id"] for r in rows])
        for r in rows:
            r["docs"] = docs.get(r["id"], [])
        return rows, total

    def story_documents(self, story_ids: list[str]) -> dict[str, list[dict]]:
        """``{story id: [document]}``: each document's stem, title, outlet, dates and how it joined, oldest first."""
        out: dict[str, list[dict]] = {}
        if not story_ids:
            return out
        for r in self.conn.execute(
                "SELECT sd.story_id, sd.doc_id, sd.score, sd.how, d.title, d.published, d.publisher, "
                "r.published AS refined, (SELECT MIN(stem) FROM sources s WHERE s.doc_id = sd.doc_id) AS stem "
                "FROM story_documents sd JOIN documents d ON d.id = sd.doc_id "
                "LEFT JOIN refined_dates r ON r.doc_id = sd.doc_id "
                "WHERE sd.story_id IN (SELECT value FROM json_each(?)) "
                "ORDER BY COALESCE(r.published, d.published) NULLS LAST, stem", (json.dumps(story_ids),)):
            out.setdefault(r["story_id"], []).append(dict(r))
        return out

    def story_header(self, story_id: str) -> dict | None:
        """One story by id with its documents, or None."""
        row = self.conn.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
        if row is None:
            return None
        story = _decode(row, "keywords", "entities")
        story["docs"] = self.story_documents([story_id]).get(story_id, [])
        return story

    def story_events(self, story_id: str) -> list[dict]:
        """The story's merged events by date (undated last), each with its evidence.

        The same rows as :meth:`xevent_clusters` for one story; each piece of
        evidence also carries its sentence's index and offsets and the event trigger's offsets.
        """
        rows = [_decode(r, "source_actor", "target_actor") for r in self.conn.execute(
            "SELECT * FROM event_clusters WHERE story_id = ? ORDER BY date IS NULL, date, id", (story_id,))]
        evidence: dict[str, list[dict]] = defaultdict(list)
        for r in self.conn.execute(
                "SELECT m.cluster_id, m.doc_id, m.idx, e.status, e.date, e.date_text, e.sentence AS sentence_idx, "
                'e.trigger_start, e.trigger_end, s.text AS sentence, s.start AS sentence_start, s."end" AS sentence_end, '
                "(SELECT MIN(stem) FROM sources x WHERE x.doc_id = m.doc_id) AS stem "
                "FROM event_clusters c JOIN event_cluster_members m ON m.cluster_id = c.id "
                "JOIN events e ON e.doc_id = m.doc_id AND e.idx = m.idx "
                "LEFT JOIN sentences s ON s.doc_id = e.doc_id AND s.idx = e.sentence "
                "WHERE c.story_id = ? ORDER BY stem, m.idx", (story_id,)):
            evidence[r["cluster_id"]].append(dict(r))
        for row in rows:
            row["evidence"] = evidence.get(row["id"], [])
        return rows

    def story_figure_groups(self, story_id: str) -> list[dict]:
        """Figure groups with a member in the story, with every member (inside the story or not)."""
        groups_of_story = ("SELECT m.group_id FROM figure_group_members m JOIN story_documents sd "
                           "ON sd.doc_id = m.doc_id WHERE sd.story_id = ?")
        rows = [dict(r) for r in self.conn.execute(
            "SELECT id, measure, unit, scope, verdict, note, n_sources, value_min, value_max FROM figure_groups "
            f"WHERE id IN ({groups_of_story}) ORDER BY measure, unit, id", (story_id,))]
        members: dict[str, list[dict]] = defaultdict(list)
        for r in self.conn.execute(
                f"SELECT m.group_id, {_FIGURE_COLUMNS} FROM figure_group_members m "
                "JOIN figures f ON f.doc_id = m.doc_id AND f.idx = m.idx JOIN documents d ON d.id = f.doc_id "
                "LEFT JOIN sentences s ON s.doc_id = f.doc_id AND s.idx = f.sentence "
                "LEFT JOIN story_documents sd ON sd.doc_id = f.doc_id "
                f"WHERE m.group_id IN ({groups_of_story}) ORDER BY stem, f.idx", (story_id,)):
            members[r["group_id"]].append(dict(r))
        for row in rows:
            row["figures"] = members.get(row["id"], [])
        return rows

    def story_single_figures(self, story_id: str) -> list[dict]:
        """The story's figures that belong to no figure group."""
        return [dict(r) for r in self.conn.execute(
            f"SELECT {_FIGURE_COLUMNS} FROM story_documents sd JOIN figures f ON f.doc_id = sd.doc_id "
            "JOIN documents d ON d.id = f.doc_id LEFT JOIN sentences s ON s.doc_id = f.doc_id AND s.idx = f.sentence "
            "WHERE sd.story_id = ? AND NOT EXISTS (SELECT 1 FROM figure_group_members m "
            "WHERE m.doc_id = f.doc_id AND m.idx = f.idx) ORDER BY stem, f.idx", (story_id,))]

    def story_quotes(self, story_id: str) -> list[dict]:
        """Every quote of the story's documents with its speaker's canonical name, oldest document first."""
        return [dict(r) for r in self.conn.execute(
            'SELECT q.doc_id, q.idx, q.sentence, q.start, q."end", q.text, q.kind, q.speaker, q.speaker_role, q.cue, '
            "e.canonical AS speaker_canonical, d.publisher, d.published, "
            "(SELECT MIN(stem) FROM sources x WHERE x.doc_id = q.doc_id) AS stem "
            "FROM story_documents sd JOIN quotes q ON q.doc_id = sd.doc_id JOIN documents d ON d.id = q.doc_id "
            "LEFT JOIN entities e ON e.doc_id = q.doc_id AND e.id = q.speaker_entity "
            "WHERE sd.story_id = ? ORDER BY d.published NULLS LAST, q.doc_id, q.start", (story_id,))]

    def story_sentence_spans(self, story_id: str) -> dict[tuple[str, int], tuple[int, int]]:
        """``{(doc id, sentence idx): (start, end)}`` over the story's documents."""
        return {(r[0], r[1]): (r[2], r[3]) for r in self.conn.execute(
            'SELECT s.doc_id, s.idx, s.start, s."end" FROM story_documents sd JOIN sentences s '
            "ON s.doc_id = sd.doc_id WHERE sd.story_id = ?", (story_id,))}

    def story_labels(self, story_ids: list[str]) -> dict[str, str]:
        """``{story id: label}`` for the given ids."""
        if not story_ids:
            return {}
        return {r[0]: r[1] for r in self.conn.execute(
            "SELECT id, label FROM stories WHERE id IN (SELECT value FROM json_each(?))", (json.dumps(story_ids),))}

    def document_briefs(self, doc_ids: list[str]) -> dict[str, dict]:
        """``{doc id: {title, publisher, published, stem}}`` for the given ids."""
        if not doc_ids:
            return {}
        return {r["id"]: dict(r) for r in self.conn.execute(
            "SELECT d.id, d.title, d.publisher, d.published, "
            "(SELECT MIN(stem) FROM sources s WHERE s.doc_id = d.id) AS stem FROM documents d "
            "WHERE d.id IN (SELECT value FROM json_each(?))", (json.dumps(doc_ids),))}

    def entity_identity(self, name: str, limit: int = 3, window: EntityWindow | None = None) -> list[dict]:
        """The cross-document entities that the per-document entities named ``name`` belong to, most shared
        first (shared: among the entity's :data:`ENTITY_WINDOW` newest documents, ``window``)."""
        rows = (window or self.entity_window_rows(name)).rows
        return [_decode(r, "aliases", "roles") for r in self.conn.execute(
            "SELECT x.id, x.canonical, x.label, x.state, x.relation, x.aliases, x.roles, x.n_docs, x.n_mentions, "
            f"c.n AS shared FROM xentities x JOIN (SELECT m.xentity_id, COUNT(*) AS n FROM {_WINDOW_ROWS} e "
            "JOIN xentity_members m ON m.doc_id = e.doc_id AND m.kind = 'entity' AND m.ref = e.id "
            "GROUP BY m.xentity_id) c ON c.xentity_id = x.id "
            "ORDER BY c.n DESC, x.n_docs DESC, x.id LIMIT ?", (name, rows, limit))]

    def entity_names_present(self, names: list[str]) -> set[str]:
        """Which of ``names`` are canonical names of some document's entity (so have an entity page)."""
        if not names:
            return set()
        # The counter table holds a row or two per name; entities holds one per document.
        return {r[0] for r in self.conn.execute(
            "SELECT DISTINCT canonical FROM entity_body WHERE canonical IN (SELECT value FROM json_each(?))",
            (json.dumps(names),))}

    def entity_stories(self, name: str, limit: int = 20, window: EntityWindow | None = None) -> list[dict]:
        """Stories whose documents name the entity (canonical name), most such documents first.

        Only the entity's newest :data:`ENTITY_WINDOW` documents (``window``) are looked at.
        """
        rows = (window or self.entity_window_rows(name)).rows
        return [dict(r) for r in self.conn.execute(
            "SELECT st.id, st.label, st.date_from, st.date_to, st.n_docs, c.n AS documents FROM stories st JOIN "
            f"(SELECT sd.story_id, COUNT(DISTINCT e.doc_id) AS n FROM {_WINDOW_ROWS} e JOIN story_documents sd "
            "ON sd.doc_id = e.doc_id GROUP BY sd.story_id) c ON c.story_id = st.id "
            "ORDER BY c.n DESC, st.n_docs DESC, st.date_to DESC NULLS LAST, st.id LIMIT ?",
            (name, rows, limit))]


def iso_prefix(text: str | None) -> str | None:
    """The leading ISO date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) of a period or date, if any."""
    if not text:
        return None
    m = _ISO_PREFIX.match(text)
    return m.group(0) if m else None
