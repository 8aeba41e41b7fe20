"""Story briefings: every section present, every fact line cited."""

import re
import shutil

import pytest

from dyad.query.brief import UnknownStory, brief
from dyad.resolve.run import resolve_all
from dyad.store import Store

CITE = re.compile(r"\[\S+ s\d+\]")


@pytest.fixture(scope="module")
def resolved_store(corpus_store_path, tmp_path_factory):
    path = tmp_path_factory.mktemp("brief") / "dyad.db"
    shutil.copy(corpus_store_path, path)
    with Store(path) as store:
        resolve_all(store)
        yield store


def test_briefing_has_every_section_and_cites_every_fact(resolved_store):
    text = brief(resolved_store, "003_abf0bfbafe203610")
    for section in ("## Sources", "## What happened", "## Outcomes", "## Key figures", "## Who said what",
                    "## Projects and initiatives", "## Open contradictions"):
        assert section in text
    assert "Power of Siberia 2" in text
    facts = [ln for ln in text.splitlines() if ln.startswith("- ") and "none" not in ln and "`" not in ln]
    assert facts and all(CITE.search(ln) for ln in facts)


def test_citations_point_at_the_quoted_sentence(resolved_store):
    text = brief(resolved_store, "003_abf0bfbafe203610")
    line = next(ln for ln in text.splitlines() if "There was no agreement" in ln)
    stem, idx = re.search(r"\[(\S+) s(\d+)\]", line).groups()
    doc = resolved_store.resolve_document(stem)
    assert "There was no agreement" in resolved_store.sentences(doc)[int(idx)]["text"]


def test_unknown_story(resolved_store):
    with pytest.raises(UnknownStory):
        brief(resolved_store, "no-such-story")
