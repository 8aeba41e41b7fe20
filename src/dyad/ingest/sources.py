"""Walk the paths a user names and yield the input files dyad can read."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from dyad.errors import IngestError
from dyad.ingest.decode import scrub_surrogates

SUPPORTED_SUFFIXES = frozenset({".txt", ".text", ".html", ".htm", ".jsonl", ".warc", ".gz", ".rss", ".atom",
                                ".xml", ".urls"})


def _supported(path: Path) -> bool:
    name = path.name.lower()
    return path.suffix.lower() in SUPPORTED_SUFFIXES and (not name.endswith(".gz") or name.endswith(".warc.gz"))


def iter_input_files(paths: Iterable[str | Path]) -> Iterator[Path | str | IngestError]:
    """Yield readable input files under ``paths`` in a stable (sorted) order.

    Folders are walked recursively; files with unsupported suffixes inside a folder
    are skipped, while a file named explicitly with such a suffix, or a path that
    does not exist, yields an :class:`IngestError` so the caller can record it.
    Symbolic links to folders are followed once: a link back to a folder being read
    (a loop) yields an error, a second link to a folder already read is skipped.
    ``http://`` and ``https://`` inputs are passed on as strings, to be fetched.
    """
    for given in paths:
        if isinstance(given, str) and given.startswith(("http://", "https://")):
            yield given
            continue
        path = Path(given)
        if path.is_dir():
            yield from _walk(path)
        elif path.is_file():
            if _supported(path):
                yield path
            else:
                yield IngestError("E009", _name(path), suffix=scrub_surrogates(path.suffix) or "(none)")
        else:
            yield _not_a_file(path)


def _walk(root: Path) -> Iterator[Path | IngestError]:
    seen_dirs: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
        real = os.path.realpath(dirpath)
        if real in seen_dirs:  # a symlink loop or a second link to the same folder
            dirnames[:] = []
            parent = os.path.realpath(os.path.dirname(dirpath))
            if parent == real or parent.startswith(real.rstrip(os.sep) + os.sep):
                yield IngestError("E018", _name(Path(dirpath)), target=scrub_surrogates(real))
            continue
        seen_dirs.add(real)
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if not _supported(path):
                continue
            yield path if path.is_file() else _not_a_file(path)


def _not_a_file(path: Path) -> IngestError:
    """E011 for a missing path or a broken link, E004 for a pipe, device or socket."""
    if path.exists():
        return IngestError("E004", _name(path), why="not a regular file (a pipe, device or socket)")
    return IngestError("E011", _name(path))


def _name(path: Path) -> str:
    return scrub_surrogates(str(path))
