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


def test_doc_text_and_span_text_match_spacy(nlp):
    import random

    from dyad.nlp.extensions import doc_text, span_text
    text = "  Vladimir Putin met Xi Jinping\n\nin Beijing on May 16.  Trade reached $240 billion. \n"
    doc = nlp(text)
    assert doc_text(doc) == doc.text == text and doc_text(doc) is doc_text(doc)
    rnd = random.Random(3)
    spans = [doc[a:b] for a in range(len(doc) + 1) for b in range(a, len(doc) + 1)]
    spans += list(doc.ents) + list(doc.sents) + [doc[:]]
    for span in rnd.sample(spans, 200) + list(doc.ents) + list(doc.sents):
        assert span_text(span) == span.text


def test_doc_text_cache_is_not_lent_to_another_doc(nlp):
    from dyad.nlp.extensions import doc_text, set_doc_text
    doc = nlp("Putin met Xi in Beijing. Trade grew.")
    doc_text(doc)
    part = doc[0:5].as_doc(copy_user_data=True)
    assert doc_text(part) == part.text == "Putin met Xi in Beijing"
    assert doc_text(doc.copy()) == doc.text
    fresh = nlp.make_doc("Putin met Xi.")
    set_doc_text(fresh, "Putin met Xi!!")  # wrong length: ignored
    assert doc_text(fresh) == "Putin met Xi."


def test_paragraph_boundaries_as_defined_token_by_token(nlp):
    import random

    from dyad.nlp.paragraphs import ParagraphBoundaries

    def expected(doc, separator):  # the definition, one token at a time
        text, gap_start, starts = doc.text, None, set()
        for token in doc:
            if token.is_space:
                continue
            if gap_start is not None and separator in text[gap_start:token.idx]:
                starts.add(token.i)
            gap_start = token.idx + len(token.text)
        return starts

    rnd = random.Random(5)
    pieces = ["Putin", "met.", "\n", "\n\n", " ", "  ", "\n \n", "||", "x||y", "\t", "\n\n\n", "-"]
    for separator in ("\n\n", "||", "\n"):
        for _ in range(300):
            text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 25)))
            doc = ParagraphBoundaries(separator)(nlp.make_doc(text))
            assert {t.i for t in doc if t.i and t.is_sent_start} == expected(doc, separator) - {0}, (separator, text)
