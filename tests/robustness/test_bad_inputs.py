"""Bad input, generated at test time: no crash, no hang, one recorded error per input, the run goes on.

One ingest run reads a folder holding every case (plus one good article); each
case is then looked up in the store: a document, or an error row whose source
names the file and whose reason is one line.
"""

from __future__ import annotations

import codecs
import gzip
import json
import os
import random
import shutil
import time
from pathlib import Path

import pytest

import dyad.process
from dyad.errors import IngestError
from dyad.ingest import read_source
from dyad.pipeline import Ingester
from dyad.process import time_limit
from dyad.store import Store
from tests.paths import CORPUS
from tests.robustness.helpers import store_problems

DOC = "doc"
RUN_BOUND = 420       # seconds for the whole run on a busy machine; a hang fails the test instead of blocking
EXTRACT_BOUND = 20.0  # the extractors' per-article limit during this run (the default is 120 s)

rng = random.Random(20240516)
WORDS = ("Russia China trade talks Beijing Moscow officials said the minister sanctions deal on Monday "
         "$5bn 40% exports Ukraine NATO Putin Xi summit agreement of and in with about").split()
PROSE = ("Russia and China signed a trade agreement in Beijing on Monday, officials said. "
         "The deal covers energy exports worth $5bn a year, according to the ministry.\n\n"
         "Critics said the agreement would deepen Moscow's dependence on Beijing.\n")


def _words(n: int, sep: str = " ") -> str:
    return sep.join(rng.choice(WORDS) for _ in range(n))


def _unbalanced_quotes() -> str:
    marks = ['"', "\u201c", "\u201d", "\u2018", "\u2019", "\u00ab", "\u00bb", "'"]
    paragraphs = []
    for i in range(60):  # 60 paragraphs x 50 marks = 3,000 unbalanced quote marks
        words = [rng.choice(marks) + w if j % 2 else w for j, w in enumerate(_words(100).split())]
        paragraphs.append(f"Paragraph {i} says " + " ".join(words) + ".")
    return "Quotes everywhere\n\n" + "\n\n".join(paragraphs) + "\n"


def _deep_html(closed: bool) -> bytes:
    body = "<p>" + PROSE.replace("\n", " ") + "</p>"
    inner = "<div>" * 10_000 + body + ("</div>" * 10_000 if closed else "")
    return f"<html><head><title>Deep</title></head><body>{inner}</body></html>".encode()


SCRIPT_HTML = (
    "<html><head><title>Trade deal</title><script>alert('head-script')</script>"
    "<style>p {{ color: red }}</style></head><body onload=\"alert('onload')\">"
    "<iframe src=\"javascript:alert('iframe')\"></iframe><iframe srcdoc=\"<p>framed-text</p>\"></iframe>"
    "<article><h1>Trade deal</h1>{paras}<script>document.write('<p>written-by-script</p>')</script>"
    "<noscript>noscript-text</noscript><img src=x onerror=\"alert('img')\"></article></body></html>"
)


def _jsonl() -> bytes:
    lines = [
        json.dumps({"text": PROSE, "title": "Good line"}),
        "{oops",
        "[" * 100_000,
        json.dumps("just a string"),
        json.dumps({"text": 5}),
        '{"text": "Russia \\ud800 and China signed a deal on Monday, officials said.", "title": "\\udfff"}',
        json.dumps({"html": _deep_html(closed=False).decode()}),
        json.dumps({"text": PROSE, "title": {"a": 1}, "authors": 5, "published": [1, 2], "id": {"x": 1}, "url": 3}),
    ]
    return ("\n".join(lines) + "\n").encode()


# file name -> (bytes, acceptable outcomes: "doc" or error codes)
CASES: dict[str, tuple[bytes, set[str]]] = {
    "binary.txt": (bytes(rng.randrange(256) for _ in range(5000)) + b"\x00" * 10, {"E002"}),
    "control-chars.txt": (b"".join(bytes([rng.randrange(1, 9)]) + b"ab" for _ in range(3000)), {"E002"}),
    "elf.txt": (b"\x7fELF\x02\x01\x01" + b"\x00" * 64 + bytes(range(256)) * 20, {"E002"}),
    "empty.txt": (b"", {"E001"}),
    "blank.txt": (b" \n\t\n\r\n   \n", {"E001"}),
    "huge-50mb.txt": (b"", {"E005"}),  # written separately, 50 MB
    "latin1.txt": (("Caf\u00e9 talks in Z\u00fcrich: \u00a35m deal, na\u00efve hopes.\n\n" + PROSE).encode("latin-1"),
                   {DOC}),
    "invalid-utf8.txt": (PROSE.encode() + b"\xc3\x28 \xa0\xa1 \xe2\x82 \xf0\x28\x8c\xbc \xed\xa0\x80 end.\n", {DOC, "E003"}),
    "random-high-bytes.txt": (bytes(rng.randrange(128, 256) for _ in range(5000)), {DOC, "E002", "E003"}),
    "utf16-bom.txt": (("Trade deal\n\n" + PROSE).encode("utf-16"), {DOC}),
    "utf16be-bom.txt": (codecs.BOM_UTF16_BE + ("Trade deal\n\n" + PROSE).encode("utf-16-be"), {DOC}),
    "utf8-bom.txt": (codecs.BOM_UTF8 + PROSE.encode(), {DOC}),
    "utf16-no-bom.txt": (PROSE.encode("utf-16-le"), {"E002"}),
    "utf16-truncated.txt": (codecs.BOM_UTF16_LE + PROSE.encode("utf-16-le") + b"\x41", {"E004"}),
    "scripts.html": (SCRIPT_HTML.format(paras="".join(f"<p>{p}</p>" for p in PROSE.split("\n") if p)).encode(), {DOC}),
    "deep-nesting.html": (_deep_html(closed=True), {DOC, "E006"}),
    "deep-unclosed.html": (_deep_html(closed=False), {DOC, "E006"}),
    "html-binary.html": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8, {"E002"}),
    "zero-width-bidi.txt": (("Trade\u200b deal\u200d\n\n" + PROSE.replace(" ", " \u200b\u2066\u202e", 5)
                             .replace("China", "Ch\u200cina\u202c\u2069") + "\ufeffMid-text BOM \u061c\u200e\u200f"
                             " and \u2028line\u2029 separators.\n").encode(), {DOC}),
    "sentence-100k.txt": (("A very long sentence\n\n" + _words(30_000)[:100_000] + "\n").encode(), {DOC, "E017"}),
    "unbalanced-quotes.txt": (_unbalanced_quotes().encode(), {DOC, "E017"}),
    "symbol-runs.txt": (("Symbols\n\n" + PROSE + "He said " + '"' * 20_000 + " and left.\n"
                         + "Reaction: " + "\U0001F600" * 5000 + "\n" + "Costs: " + "$%" * 3000 + "\n").encode(),
                        {DOC}),
    "long-token.txt": (("Long token\n\n" + PROSE + "See " + "a" * 100_000 + " for details.\n").encode(), {DOC}),
    "too-long.txt": ((PROSE * 1000).encode(), {"E016"}),
    "late-nul.txt": ((PROSE * 40).encode() + b"\x00\x00" + PROSE.encode(), {DOC, "E002"}),
    "truncated.warc.gz": (gzip.compress(b"WARC/1.0\r\nWARC-Type: response\r\n" + b"x" * 500)[:-20], {"E004", "E015"}),
    "garbage.rss": (b"<rss><channel><item><title>x</title><description>" + b"\x00\xff" * 50, {"E012", "E013"}),
}
JSONL_CASES = {  # "not-json.jsonl:<line>" -> acceptable outcomes
    1: {DOC}, 2: {"E007"}, 3: {"E007"}, 4: {"E008"}, 5: {"E008"}, 6: {DOC}, 7: {DOC, "E006"}, 8: {DOC},
}
GOOD_NAMES = ("caf\udce9-latin1-name.txt", "new\nline name.txt", "\u202eevil\u202c.txt")  # odd but valid names


def _write_cases(folder: Path) -> dict[str, set[str]]:
    """Write every case into ``folder``; return source -> acceptable outcomes."""
    expected: dict[str, set[str]] = {}
    for name, (data, outcomes) in CASES.items():
        (folder / name).write_bytes(data)
        expected[str(folder / name)] = outcomes
    with (folder / "huge-50mb.txt").open("wb") as f:
        for _ in range(50):
            f.write((PROSE.encode() * 6000)[: 1024 * 1024])
    (folder / "not-json.jsonl").write_bytes(_jsonl())
    expected |= {f"{folder / 'not-json.jsonl'}:{n}": o for n, o in JSONL_CASES.items()}
    shutil.copy(CORPUS / "000_1004d9197fc22b22.txt", folder / "good.txt")
    expected[str(folder / "good.txt")] = {DOC}
    for name in GOOD_NAMES:
        path = os.path.join(os.fsencode(folder), os.fsencode(name))
        Path(os.fsdecode(path)).write_bytes(f"{name.encode('utf-8', 'surrogateescape')!r}\n\n{PROSE}".encode())
        expected[str(folder / name).replace("\udce9", "\\xe9")] = {DOC}
    # Links: a loop back to an ancestor, a dangling link, a link to itself; a named pipe.
    (folder / "sub").mkdir()
    (folder / "sub" / "inner.txt").write_text("Inner\n\n" + PROSE)
    expected[str(folder / "sub" / "inner.txt")] = {DOC}
    os.symlink(folder, folder / "sub" / "loop")
    expected[str(folder / "sub" / "loop")] = {"E018"}
    os.symlink(folder / "nowhere.txt", folder / "dangling.txt")
    expected[str(folder / "dangling.txt")] = {"E011"}
    os.symlink(folder / "self-link.txt", folder / "self-link.txt")
    expected[str(folder / "self-link.txt")] = {"E011"}
    os.mkfifo(folder / "fifo.txt")
    expected[str(folder / "fifo.txt")] = {"E004"}
    return expected


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory, nlp):
    """One ingest over every case: (expected, report, documents' sources, errors by source, seconds, db)."""
    folder = tmp_path_factory.mktemp("bad") / "in"
    folder.mkdir()
    expected = _write_cases(folder)
    db = folder.parent / "bad.db"
    mp = pytest.MonkeyPatch()
    mp.setattr(dyad.process, "MAX_SECONDS", EXTRACT_BOUND)
    started = time.monotonic()
    try:
        with Store(db) as store, time_limit(RUN_BOUND):
            report = Ingester(store, nlp, batch_size=8).ingest([folder])
            sources = {r["source"] for r in store.conn.execute("SELECT source FROM sources")}
            errors = {e["source"]: e for e in store.errors()}
    finally:
        mp.undo()
    return expected, report, sources, errors, time.monotonic() - started, db


def test_the_run_finishes_in_bounded_time_and_goes_on(bad_run):
    expected, report, sources, errors, seconds, _ = bad_run
    print(f"\n{len(expected)} bad-input cases ingested in {seconds:.1f}s: {report.counts}")
    assert seconds < RUN_BOUND
    assert str(Path(next(iter(expected))).parent / "good.txt") in sources
    assert report.exit_code == 3 and report.counts["failed"] == len(report.errors) == len(errors)


@pytest.mark.parametrize("case", [*CASES, *(f"not-json.jsonl:{n}" for n in JSONL_CASES), *GOOD_NAMES,
                                  "sub/inner.txt", "sub/loop", "dangling.txt", "self-link.txt", "fifo.txt"])
def test_each_case_is_stored_or_recorded_as_one_line_error(bad_run, case):
    expected, _, sources, errors, _, _ = bad_run
    folder = Path(next(iter(expected))).parent
    source = str(folder / case).replace("\udce9", "\\xe9")
    acceptable = expected[source]
    found = [e for s, e in errors.items() if s == source or s.startswith(source + "#")]  # feed.rss#<entry>
    for error in found:
        assert error["code"] in acceptable, (case, error)
        assert "\n" not in error["reason"] and "\r" not in error["reason"] and error["reason"].strip()
    if not found:
        assert source in sources and DOC in acceptable, f"{case}: neither stored nor recorded as an error"


def test_the_store_is_sound_after_the_bad_run(bad_run):
    *_, db = bad_run
    assert store_problems(db) == []


def test_html_scripts_iframes_and_handlers_never_reach_the_text(bad_run):
    expected, *_, db = bad_run
    import sqlite3

    conn = sqlite3.connect(db)
    [(raw, clean)] = conn.execute("SELECT raw_text, clean_text FROM documents d JOIN sources s ON s.doc_id = d.id "
                                  "WHERE s.source LIKE '%scripts.html'").fetchall()
    for text in (raw, clean):
        for bad in ("alert(", "document.write", "written-by-script", "<script", "onerror", "javascript:"):
            assert bad not in text
    assert "Beijing" in clean


def test_symbol_runs_are_dropped_as_boilerplate_not_parsed(bad_run):
    *_, db = bad_run
    import sqlite3

    conn = sqlite3.connect(db)
    reasons = [r for (r,) in conn.execute("SELECT l.reason FROM lines l JOIN sources s ON s.doc_id = l.doc_id "
                                          "WHERE s.source LIKE '%symbol-runs.txt' AND l.kind = 'boilerplate'")]
    assert reasons.count("symbol-run") == 3


def test_size_limit_is_configurable_and_says_so(tmp_path, nlp):
    path = tmp_path / "big.txt"
    path.write_text(PROSE * 20)
    [error] = read_source(path, max_bytes=1000)
    assert isinstance(error, IngestError) and error.code == "E005"
    assert error.reason == f"file is larger than the 1000 byte limit ({path.stat().st_size} bytes)"
    with Store(tmp_path / "s.db") as store:
        report = Ingester(store, nlp, max_bytes=1000).ingest([path])
        assert [e["code"] for e in store.errors()] == ["E005"]
    assert report.exit_code == 1


def test_a_slow_extractor_is_stopped_at_the_time_limit(nlp):
    """The wall-clock bound itself: an extractor that never returns becomes E017."""
    from dyad.model import RawArticle
    from dyad.process import process_batch

    def forever(doc):
        while True:
            time.sleep(0.01)

    name = dyad.process.extractor_names(nlp)[-1]
    mp = pytest.MonkeyPatch()
    original = nlp.get_pipe
    mp.setattr(nlp, "get_pipe", lambda n: forever if n == name else original(n))
    try:
        started = time.monotonic()
        [outcome] = process_batch([(RawArticle("slow.txt", "slow", PROSE), "x")], None, nlp, "v", max_seconds=1)
    finally:
        mp.undo()
    assert time.monotonic() - started < 30
    assert isinstance(outcome, IngestError) and outcome.code == "E017" and name in outcome.reason


def test_time_limits_nest_and_cannot_be_swallowed():
    from dyad.process import ProcessingTimeout

    with pytest.raises(ProcessingTimeout):
        with time_limit(0.5):
            with time_limit(10):
                pass  # the inner limit ends; the outer one is still armed
            time.sleep(5)
    with time_limit(10):
        with pytest.raises(ProcessingTimeout):
            with time_limit(0.2):
                try:
                    time.sleep(5)
                except Exception:  # noqa: BLE001 - what a careless component might do
                    pass
