from dyad.model import BODY, CleanArticle, Line, Metadata, Paragraph, RawArticle
from dyad.nlp import annotate


def _article(paragraphs: list[str]) -> CleanArticle:
    text = "\n\n".join(paragraphs)
    paras, pos = [], 0
    for i, p in enumerate(paragraphs):
        paras.append(Paragraph(pos, pos + len(p), BODY, [i + 1]))
        pos += len(p) + 2
    raw = RawArticle(source="t", stem="t", text=text)
    return CleanArticle(raw, [Line(i + 1, p) for i, p in enumerate(paragraphs)], text, paras, Metadata())


def test_paragraph_break_is_always_a_sentence_break(nlp):
    # Without the component the parser joins a heading without punctuation to the
    # next paragraph.
    article = _article(["The leaders met in Beijing", "Holding back", "Putin said it was a good visit."])
    sentences = annotate(nlp(article.text), article).sentences
    assert [s.text for s in sentences] == [
        "The leaders met in Beijing", "Holding back", "Putin said it was a good visit."]
    assert [s.paragraph for s in sentences] == [0, 1, 2]


def test_offsets_round_trip(nlp):
    article = _article(["  Vladimir Putin met Xi Jinping in Beijing on May 16.  ", "Trade reached $240 billion."])
    found = annotate(nlp(article.text), article)
    sentences, mentions = found.sentences, found.mentions
    for s in sentences:
        assert article.text[s.start:s.end] == s.text and s.text == s.text.strip()
    for m in mentions:
        assert article.text[m.start:m.end] == m.text
        assert sentences[m.sentence].start <= m.start < sentences[m.sentence].end
    assert {"Vladimir Putin", "Xi Jinping", "Beijing"} <= {m.text for m in mentions}
