"""Export stage: annotations in the evaluation schema, and every table as JSONL."""

from dyad.export.annotations import export_annotations
from dyad.export.tables import export_jsonl

__all__ = ["export_annotations", "export_jsonl"]
