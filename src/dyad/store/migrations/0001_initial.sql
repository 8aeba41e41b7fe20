-- dyad store, version 1: documents and what the foundation extracts from them.
-- Every table and column name is meant to read well in Datasette.

CREATE TABLE documents (
    id               TEXT PRIMARY KEY,          -- content hash of the raw article
    title            TEXT,
    standfirst       TEXT,
    publisher        TEXT,
    authors          TEXT NOT NULL DEFAULT '[]', -- JSON list of names
    published        TEXT,                      -- ISO prefix: 2024, 2024-05, 2024-05-16
    published_how    TEXT,                      -- source | stated | inferred
    published_reason TEXT,
    dateline         TEXT,
    url              TEXT,
    format           TEXT NOT NULL,             -- txt | html | jsonl
    encoding         TEXT NOT NULL,
    raw_text         TEXT NOT NULL,
    clean_text       TEXT NOT NULL,
    n_words          INTEGER NOT NULL,
    pipeline_version TEXT NOT NULL,
    ingested_at      TEXT NOT NULL
);

-- Where a document was read from; identical content read from two files is one
-- document with two sources.  The stem names the article in exports.
CREATE TABLE sources (
    source     TEXT PRIMARY KEY,
    stem       TEXT NOT NULL,
    doc_id     TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    first_seen TEXT NOT NULL,
    last_seen  TEXT NOT NULL
);
CREATE INDEX sources_doc_id ON sources(doc_id);
CREATE INDEX sources_stem ON sources(stem);

-- Every raw line with the cleaner's verdict (boilerplate lines are kept here).
CREATE TABLE lines (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,                    -- 1-based line number in raw_text
    kind   TEXT NOT NULL,                       -- title, standfirst, heading, body, footnote, boilerplate, blank
    reason TEXT NOT NULL DEFAULT '',
    text   TEXT NOT NULL,
    PRIMARY KEY (doc_id, number)
);

CREATE TABLE paragraphs (
    doc_id       TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx          INTEGER NOT NULL,
    start        INTEGER NOT NULL,              -- character offsets into clean_text
    "end"        INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    line_numbers TEXT NOT NULL,                 -- JSON list of raw line numbers
    PRIMARY KEY (doc_id, idx)
);

CREATE TABLE sentences (
    id        INTEGER PRIMARY KEY,
    doc_id    TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx       INTEGER NOT NULL,
    paragraph INTEGER NOT NULL,
    start     INTEGER NOT NULL,
    "end"     INTEGER NOT NULL,
    text      TEXT NOT NULL,
    UNIQUE (doc_id, idx)
);

CREATE TABLE mentions (
    id       INTEGER PRIMARY KEY,
    doc_id   TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    sentence INTEGER NOT NULL,
    start    INTEGER NOT NULL,
    "end"    INTEGER NOT NULL,
    text     TEXT NOT NULL,
    label    TEXT NOT NULL
);
CREATE INDEX mentions_doc_id ON mentions(doc_id);
CREATE INDEX mentions_text ON mentions(text);

-- Inputs that failed, latest failure per source; a later success removes the row.
CREATE TABLE errors (
    source     TEXT PRIMARY KEY,
    code       TEXT NOT NULL,
    reason     TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen  TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE runs (
    id          INTEGER PRIMARY KEY,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    paths       TEXT NOT NULL,                  -- JSON list of the paths given
    new         INTEGER NOT NULL DEFAULT 0,
    updated     INTEGER NOT NULL DEFAULT 0,
    unchanged   INTEGER NOT NULL DEFAULT 0,
    failed      INTEGER NOT NULL DEFAULT 0
);

-- Full-text index over sentences (external content: the text lives once).
CREATE VIRTUAL TABLE sentences_fts USING fts5(
    text,
    content='sentences',
    content_rowid='id',
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
