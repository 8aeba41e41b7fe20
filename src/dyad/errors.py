"""Coded, greppable error messages.

Every failure that dyad records for an input carries one of these codes, so an
analyst can grep a log or the ``errors`` table for a class of problem.
"""

from __future__ import annotations


class Errors:
    """Message templates; format with keyword arguments."""

    E001 = "file is empty"
    E002 = "binary file (NUL bytes or control characters), not text"
    E003 = "cannot detect the text encoding"
    E004 = "cannot read file: {why}"
    E005 = "file is larger than the {limit} byte limit ({size} bytes)"
    E006 = "no article text after extraction"
    E007 = "line {line}: not valid JSON ({why})"
    E008 = "line {line}: a JSON object with a 'text' or 'html' string is required"
    E009 = "unsupported file type '{suffix}'"
    E010 = "processing failed: {why}"
    E011 = "no such file or directory"
    E012 = "not a readable feed: {why}"
    E013 = "feed entry has no text and no link to fetch"
    E014 = "cannot fetch: {why}"
    E015 = "no HTML responses in this WARC file"
    E016 = "article text is {size} characters, above the {limit}-character limit"
    E017 = "processing took longer than the {limit:g} s limit (in {stage})"
    E018 = "symbolic link loop: leads back to {target}, not followed"


class IngestError(Exception):
    """An input that cannot be turned into an article; the run records it and goes on."""

    def __init__(self, code: str, source: str, **fields: object) -> None:
        self.code = code
        self.source = source
        self.reason = getattr(Errors, code).format(**fields)
        super().__init__(f"{source}: [{code}] {self.reason}")

    def __reduce__(self):
        # Errors travel back from worker processes: rebuild from the finished
        # fields, since the template's own fields are gone.
        return (_rebuild, (self.code, self.source, self.reason))


def _rebuild(code: str, source: str, reason: str) -> IngestError:
    error = IngestError.__new__(IngestError)
    error.code, error.source, error.reason = code, source, reason
    Exception.__init__(error, f"{source}: [{code}] {reason}")
    return error
