import os

from dyad.errors import IngestError
from dyad.ingest import iter_input_files


def test_walks_folders_recursively_in_sorted_order(tmp_path):
    (tmp_path / "b").mkdir()
    for name in ("b/2.txt", "b/1.html", "a.jsonl", "z.TXT", "notes.pdf"):
        (tmp_path / name).write_text("x")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_input_files([tmp_path])]
    assert found == ["a.jsonl", "z.TXT", "b/1.html", "b/2.txt"]


def test_named_unsupported_or_missing_file_is_an_error(tmp_path):
    pdf = tmp_path / "x.pdf"
    pdf.write_text("x")
    items = list(iter_input_files([pdf, tmp_path / "missing.txt"]))
    assert [type(i) for i in items] == [IngestError, IngestError]
    assert [i.code for i in items] == ["E009", "E011"]


def test_symlink_loop_terminates_with_an_error(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.txt").write_text("x")
    os.symlink(tmp_path, tmp_path / "d" / "loop")
    found = list(iter_input_files([tmp_path]))
    assert [p.name for p in found if not isinstance(p, IngestError)] == ["a.txt"]
    [loop] = [e for e in found if isinstance(e, IngestError)]
    assert loop.code == "E018" and loop.source == str(tmp_path / "d" / "loop")


def test_second_link_to_a_folder_is_read_once_without_error(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.txt").write_text("x")
    os.symlink(tmp_path / "a", tmp_path / "b")
    assert [p.name for p in iter_input_files([tmp_path])] == ["x.txt"]
