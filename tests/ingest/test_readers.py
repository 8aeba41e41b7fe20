import json

from dyad.errors import IngestError
from dyad.ingest import read_source
from dyad.model import RawArticle

HTML = """<html><head><title>Summit ends - Example News</title>
<meta name="author" content="Jane Doe"><meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="2024-05-17"></head><body>
<nav><a href="/">Home</a> / <a href="/world">World</a></nav>
<article><h1>Summit ends with a joint statement</h1>
<p>The two leaders signed a joint statement in Beijing on Thursday, officials said after the talks.</p>
<p>"We agreed to deepen cooperation," the Russian president told reporters at the end of the visit.</p>
</article><footer>Copyright Example News. All rights reserved.</footer></body></html>"""


def test_txt(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("Title\n\nBody.\n", encoding="utf-8")
    [article] = read_source(path)
    assert isinstance(article, RawArticle)
    assert (article.stem, article.text, article.fmt) == ("a", "Title\n\nBody.\n", "txt")


def test_html_main_text_and_metadata(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")
    [article] = read_source(path)
    assert "joint statement in Beijing" in article.text
    assert "Copyright" not in article.text
    assert article.meta["published"] == "2024-05-17"
    assert article.meta["authors"] == ["Jane Doe"]
    assert article.meta["publisher"] == "Example News"


def test_jsonl_good_and_bad_lines(tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"text": "First article body.", "title": "One", "published": "2024-05-16", "url": "http://x/1"}),
        "{not json",
        json.dumps({"title": "no body"}),
        json.dumps({"html": HTML, "publisher": "Given Publisher"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = list(read_source(path))
    assert [type(i).__name__ for i in items] == ["RawArticle", "IngestError", "IngestError", "RawArticle"]
    first, bad_json, no_body, html = items
    assert first.meta == {"title": "One", "published": "2024-05-16", "url": "http://x/1"}
    assert first.stem == "feed-1" and first.source.endswith("feed.jsonl:1")
    assert bad_json.code == "E007" and "line 2" in bad_json.reason
    assert no_body.code == "E008"
    assert html.meta["publisher"] == "Given Publisher"  # given metadata wins over the page's


def test_size_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("word " * 1000)
    [error] = read_source(path, max_bytes=100)
    assert isinstance(error, IngestError) and error.code == "E005"
