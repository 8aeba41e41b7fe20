"""Resolve stage: cross-document analysis over the stored per-article extractions."""
