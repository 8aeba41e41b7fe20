-- dyad store, version 5: declare the full-text index the way Datasette detects it
-- (content="sentences" with double quotes), so `datasette dyad.db` offers search
-- on sentences.  Same index, same triggers; the index is rebuilt from sentences.
DROP TRIGGER sentences_ai;
DROP TRIGGER sentences_ad;
DROP TRIGGER sentences_au;
DROP TABLE sentences_fts;
CREATE VIRTUAL TABLE sentences_fts USING fts5(
    text,
    content="sentences",
    content_rowid="id",
    tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER sentences_ai AFTER INSERT ON sentences BEGIN
    INSERT INTO sentences_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER sentences_ad AFTER DELETE ON sentences BEGIN
    INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER sentences_au AFTER UPDATE ON sentences BEGIN
    INSERT INTO sentences_fts(sentences_fts, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO sentences_fts(rowid, text) VALUES (new.id, new.text);
END;
INSERT INTO sentences_fts(sentences_fts) VALUES ('rebuild');
