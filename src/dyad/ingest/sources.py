"""Walk the paths a user names and yield the input files dyad can read."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from dyad.errors import IngestError

SUPPORTED_SUFFIXES = frozenset({".txt", ".text", ".html", ".htm", ".jsonl"})


def iter_input_files(paths: Iterable[str | Path]) -> Iterator[Path | IngestError]:
    """Yield readable input files under ``paths`` in a stable (sorted) order.

    Folders are walked recursively; files with unsupported suffixes inside a folder
    are skipped, while a file named explicitly with such a suffix, or a path that
    does not exist, yields an :class:`IngestError` so the caller can record it.
    Symbolic links to folders are followed once (a link loop cannot recurse).
    """
    for path in map(Path, paths):
        if path.is_dir():
            yield from _walk(path)
        elif path.is_file():
            if path.suffix.lower() in SUPPORTED_SUFFIXES:
                yield path
            else:
                yield IngestError("E009", str(path), suffix=path.suffix or "(none)")
        else:
            yield IngestError("E011", str(path))


def _walk(root: Path) -> Iterator[Path]:
    seen_dirs: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        real = os.path.realpath(dirpath)
        if real in seen_dirs:  # a symlink loop or a second link to the same folder
            dirnames[:] = []
            continue
        seen_dirs.add(real)
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.suffix.lower() in SUPPORTED_SUFFIXES and path.is_file():
                yield path
