"""Helper: run the cleaner over the shared sample corpus and score it with the real scorer.

Usage (from the repository root)::

    PYTHONPATH=src .venv/bin/python tests/clean/eval_gold.py [PRED_DIR]

Writes ``PRED_DIR/<stem>.json`` (default /tmp/pred) with the ``doc`` fields the
cleaner produces, then runs ``shared/eval/score.py`` on them.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from dyad.clean.article import clean_article
from dyad.clean.repetition import LineCounts
from dyad.model import RawArticle

SHARED = Path(__file__).resolve().parents[2].parent / "shared"


def predict(pred_dir: Path) -> None:
    """Clean every corpus file and write its prediction."""
    paths = sorted((SHARED / "corpus").glob("*.txt"))
    texts = {p.stem: p.read_text("utf-8") for p in paths}
    counts = LineCounts.from_texts(texts.values())
    pred_dir.mkdir(parents=True, exist_ok=True)
    for p in paths:
        art = clean_article(RawArticle(source=str(p), stem=p.stem, text=texts[p.stem]), counts)
        m = art.meta
        doc = {"title": m.title, "publisher": m.publisher, "authors": m.authors, "published": m.published,
               "published_how": m.published_how, "published_reason": m.published_reason,
               "standfirst": m.standfirst, "dateline": m.dateline,
               "boilerplate_lines": art.boilerplate_lines,
               "boilerplate_reasons": [[ln.number, ln.reason] for ln in art.lines if ln.kind == "boilerplate"]}
        (pred_dir / f"{p.stem}.json").write_text(json.dumps({"doc": doc}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/pred")
    predict(out)
    subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), "--gold", str(SHARED / "gold"),
                    "--pred", str(out)], check=False)
