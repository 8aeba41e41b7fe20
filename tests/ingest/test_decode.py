import codecs

import pytest

from dyad.errors import IngestError
from dyad.ingest.decode import decode_bytes

from tests.paths import BBC


def test_utf8_and_crlf():
    assert decode_bytes("Zürich\r\nline".encode(), "f") == ("Zürich\nline", "utf-8")


def test_utf16_with_bom():
    text, enc = decode_bytes(codecs.BOM_UTF16_LE + "Привет, мир".encode("utf-16-le"), "f")
    assert text == "Привет, мир" and enc == "utf-16"


def test_latin1_is_detected():
    data = "The £1,400 rise was announced in Zürich and São Paulo on Monday.".encode("latin-1")
    text, _ = decode_bytes(data, "f")
    assert "£1,400" in text


def test_the_bbc_file_that_is_not_utf8_decodes():
    data = (BBC / "sport" / "199.txt").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text, encoding = decode_bytes(data, "199.txt")
    assert "£" in text and encoding != "utf-8"


@pytest.mark.parametrize("data, code", [(b"", "E001"), (b"  \n\t ", "E001"), (b"\x00\x01\x02binary\x00" * 50, "E002")])
def test_empty_and_binary_are_refused(data, code):
    with pytest.raises(IngestError) as info:
        decode_bytes(data, "bad.txt")
    assert info.value.code == code and "bad.txt" in str(info.value)


def test_ingest_errors_survive_pickling():
    # Errors come back from worker processes.
    import pickle

    error = IngestError("E005", "big.txt", limit=10, size=20)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.code, copy.source, copy.reason, str(copy)) == (error.code, error.source, error.reason, str(error))
