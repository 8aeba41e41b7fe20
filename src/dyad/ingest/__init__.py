"""Ingest stage: find input files and read them into :class:`~dyad.model.RawArticle`."""

from dyad.ingest.readers import read_source
from dyad.ingest.sources import iter_input_files

__all__ = ["iter_input_files", "read_source"]
