"""Worker processes and Dask give exactly the store a serial run gives."""

import json

import pytest

from dyad.export import export_annotations, export_jsonl
from dyad.pipeline import Ingester
from dyad.store import Store
from tests.paths import CORPUS

# Columns that record when something happened, not what was extracted.
VOLATILE = {"ingested_at", "first_seen", "last_seen", "started_at", "finished_at", "paths"}


def _ingest_and_export(tmp_path, name, **options):
    with Store(tmp_path / f"{name}.db") as store:
        report = Ingester(store, batch_size=2, **options).ingest([CORPUS])
        assert report.exit_code == 0 and report.counts["new"] == 5
        export_annotations(store, tmp_path / name)
        export_jsonl(store, tmp_path / f"{name}.jsonl")
    rows = [json.loads(line) for line in (tmp_path / f"{name}.jsonl").read_text().splitlines()]
    tables = [{k: v for k, v in row.items() if k not in VOLATILE} for row in rows]
    files = {p.name: p.read_bytes() for p in sorted((tmp_path / name).glob("*.json"))}
    return files, tables


@pytest.fixture(scope="module")
def serial(tmp_path_factory):
    return _ingest_and_export(tmp_path_factory.mktemp("serial"), "serial")


def test_worker_processes_match_serial(serial, tmp_path):
    assert _ingest_and_export(tmp_path, "workers", workers=2) == serial


def test_dask_local_cluster_matches_serial(serial, tmp_path):
    pytest.importorskip("dask.distributed")
    assert _ingest_and_export(tmp_path, "dask", dask="local", workers=2) == serial


def test_recycled_workers_match_serial(serial, tmp_path, monkeypatch):
    import dyad.executors

    monkeypatch.setattr(dyad.executors, "RECYCLE_BATCHES", 1)  # a fresh worker for every batch
    assert _ingest_and_export(tmp_path, "recycled", workers=2) == serial
