"""Where the shared data lives: ``../shared`` beside the checkout."""

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
GOLD = SHARED / "gold"
BBC = SHARED / "bulk" / "bbc"
SCORER = SHARED / "eval" / "score.py"
