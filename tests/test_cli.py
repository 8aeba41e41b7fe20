"""The command line, exercised in-process on real SQLite files."""

import json

import pytest
from typer.testing import CliRunner

from dyad.cli import app
from tests.paths import CORPUS, GOLD

runner = CliRunner()


def run(*args):
    return runner.invoke(app, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "dyad.db"
    result = run("ingest", CORPUS, "--db", path)
    assert result.exit_code == 0, result.output
    assert "5 new, 0 updated, 0 unchanged, 0 failed" in result.output
    return path


def test_reingest_says_unchanged(db):
    result = run("ingest", CORPUS, "--db", db)
    assert result.exit_code == 0 and "0 new, 0 updated, 5 unchanged, 0 failed" in result.output


def test_docs_lists_every_article(db):
    rows = json.loads(run("docs", "--db", db, "--json").stdout)
    assert sorted(r["stem"] for r in rows) == sorted(p.stem for p in CORPUS.glob("*.txt"))
    assert all(r["sentences"] > 10 for r in rows)
    assert all(r["title"] for r in rows if r["stem"] in {p.stem for p in GOLD.glob("0*.json")})


def test_show_by_stem(db):
    data = json.loads(run("show", "002_739b598d2f55f936", "--db", db, "--json").stdout)
    assert "Putin" in data["clean_text"] and data["entities"] and "boilerplate" in data
    assert run("show", "no-such-doc", "--db", db).exit_code == 2


def test_search_finds_power_of_siberia_in_several_documents(db):
    hits = json.loads(run("search", "Power of Siberia", "--db", db, "--json").stdout)
    assert len({h["doc_id"] for h in hits}) >= 3
    assert all("**Siberia**" in h["snippet"] for h in hits)
    assert "Siberia" in run("search", "Power of Siberia", "--db", db).output


def test_export_annotations_one_file_per_article(db, tmp_path):
    result = run("export", "annotations", tmp_path / "out", "--db", db)
    assert result.exit_code == 0
    files = sorted(p.name for p in (tmp_path / "out").glob("*.json"))
    assert files == sorted([p.stem + ".json" for p in CORPUS.glob("*.txt")] + ["cross.json"])
    cross = json.loads((tmp_path / "out" / "cross.json").read_text())
    assert sorted(sorted(c["docs"]) for c in cross["story_clusters"]) == [
        ["000_1004d9197fc22b22", "002_739b598d2f55f936", "004_4e21c6895436d8a5"],
        ["001_c4c0ccb9bb6ced48", "003_abf0bfbafe203610"]]
    for gold in GOLD.glob("0*.json"):
        data = json.loads((tmp_path / "out" / gold.name).read_text())
        assert set(data) >= {"doc", "entities", "events", "figures", "quotes"}
        assert data["doc"]["title"] and isinstance(data["doc"]["boilerplate_lines"], list)


def test_export_jsonl_every_table(db, tmp_path):
    out = tmp_path / "all.jsonl"
    assert run("export", "jsonl", out, "--db", db).exit_code == 0
    tables = {json.loads(line)["table"] for line in out.read_text().splitlines()}
    assert {"documents", "sentences", "mentions", "lines", "sources", "runs"} <= tables


def test_errors_and_exit_codes(tmp_path):
    db = tmp_path / "e.db"
    (tmp_path / "empty.txt").write_text("")
    result = run("ingest", tmp_path / "empty.txt", "--db", db)
    assert result.exit_code == 1 and "empty.txt" in result.output and "file is empty" in result.output
    result = run("ingest", tmp_path / "empty.txt", CORPUS / "003_abf0bfbafe203610.txt", "--db", db)
    assert result.exit_code == 3
    assert "empty.txt" in run("errors", "--db", db).output


def test_commands_need_an_existing_store(tmp_path):
    result = run("docs", "--db", tmp_path / "missing.db")
    assert result.exit_code == 2 and "no store" in result.output


def test_every_command_documents_an_example():
    for command in ("ingest", "docs", "show", "search", "errors"):
        assert "Example:" in run(command, "--help").output
    for command in ("annotations", "jsonl"):
        assert "Example:" in run("export", command, "--help").output
