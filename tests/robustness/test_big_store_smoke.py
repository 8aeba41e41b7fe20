"""The big-store benchmark's variants (benchmarks/perturb.py, benchmarks/big_store.py):
same length, consistent, valid offsets, and written through the store like any document."""

from __future__ import annotations

import importlib.util
import sys

from tests.paths import CORPUS, REPO


def _module(name: str):
    if name in sys.modules:
        return sys.modules[name]
    sys.path.insert(0, str(REPO / "benchmarks"))
    spec = importlib.util.spec_from_file_location(name, REPO / "benchmarks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_variants_keep_length_and_rename_consistently():
    perturb = _module("perturb")
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    vocab = perturb.Vocabulary(texts, keep_share=0.5)
    same = perturb.Perturbation(vocab, 0)
    assert same.apply(texts[0]) == texts[0]
    p, q = perturb.Perturbation(vocab, 1), perturb.Perturbation(vocab, 2)
    for text in texts:
        assert len(p.apply(text)) == len(text) and p.apply(text) != text
        assert p.apply(text) == perturb.Perturbation(vocab, 1).apply(text)  # deterministic
        assert p.apply(text) != q.apply(text)
    names = sorted(w for w in vocab.proper - vocab.kept if len(w) > 3 and p.word(w) != w)
    assert names  # about half the proper nouns are renamed in each variant
    name, renamed = names[0], p.word(names[0])
    assert p.apply(f"{name.capitalize()} {name.upper()}") == f"{renamed.capitalize()} {renamed.upper()}"


def test_a_variant_is_a_valid_document(nlp, tmp_path):
    big_store = _module("big_store")
    from dyad.store import Store

    articles = big_store.corpus_articles(CORPUS)
    bases = big_store.parse_base(articles, 1, tmp_path / "base.pickle")
    vocab = big_store.Vocabulary(a.text for a in articles)
    with Store(tmp_path / "big.db") as store:
        made = list(big_store.variants(bases, vocab, 2 * len(bases)))
        for article, source, stem in made:
            store.save_article(article, source, stem)
            text = article.clean.text
            for s in article.sentences:
                assert text[s.start:s.end] == s.text
            for m in article.mentions:
                assert text[m.start:m.end] == m.text
            for qt in article.extractions.quotes:
                assert text[qt.start:qt.end] == qt.text
        assert store.conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == len(made) == 2 * len(bases)
