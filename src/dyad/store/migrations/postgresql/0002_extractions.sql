-- dyad store, version 2: what the extractors find (entities, quotes, figures,
-- events, dates).  Offsets are into documents.clean_text; `sentence` is the
-- sentences.idx of the evidence sentence.

CREATE TABLE entities (
    doc_id    TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    id        INTEGER NOT NULL,                 -- per document
    canonical TEXT NOT NULL,
    label     TEXT NOT NULL,
    roles     TEXT NOT NULL DEFAULT '[]',       -- JSON list of descriptions
    body      INTEGER NOT NULL DEFAULT 1,       -- 0: named only in bylines, credits, bios
    PRIMARY KEY (doc_id, id)
);
CREATE INDEX entities_canonical ON entities(canonical);

CREATE TABLE entity_mentions (
    doc_id    TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    entity_id INTEGER NOT NULL,
    start     INTEGER NOT NULL,
    "end"     INTEGER NOT NULL,
    text      TEXT NOT NULL
);
CREATE INDEX entity_mentions_doc ON entity_mentions(doc_id, entity_id);

CREATE TABLE quotes (
    doc_id         TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx            INTEGER NOT NULL,
    sentence       INTEGER NOT NULL,
    start          INTEGER NOT NULL,
    "end"          INTEGER NOT NULL,
    text           TEXT NOT NULL,
    kind           TEXT NOT NULL,               -- full | fragment
    speaker        TEXT,
    speaker_entity INTEGER,
    speaker_role   TEXT,
    cue            TEXT,
    PRIMARY KEY (doc_id, idx)
);
CREATE INDEX quotes_speaker ON quotes(speaker);

CREATE TABLE figures (
    doc_id        TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx           INTEGER NOT NULL,
    sentence      INTEGER NOT NULL,
    start         INTEGER NOT NULL,
    "end"         INTEGER NOT NULL,
    surface       TEXT NOT NULL,
    value         DOUBLE PRECISION NOT NULL,
    unit          TEXT NOT NULL,
    approx        INTEGER NOT NULL DEFAULT 0,
    qualifier     TEXT,
    measure       TEXT,
    period        TEXT,
    attributed_to TEXT,
    status        TEXT NOT NULL DEFAULT 'actual',
    PRIMARY KEY (doc_id, idx)
);
CREATE INDEX figures_measure ON figures(measure);

CREATE TABLE events (
    doc_id         TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx            INTEGER NOT NULL,
    sentence       INTEGER NOT NULL,
    type           TEXT NOT NULL,               -- PLOVER type
    subtype        TEXT NOT NULL,
    trigger_start  INTEGER NOT NULL,
    trigger_end    INTEGER NOT NULL,
    status         TEXT NOT NULL,               -- happened | scheduled | hypothetical | denied
    source_actor   TEXT NOT NULL DEFAULT '[]',  -- JSON list of names
    target_actor   TEXT NOT NULL DEFAULT '[]',
    location       TEXT,
    date           TEXT,
    date_text      TEXT,
    date_precision TEXT,
    PRIMARY KEY (doc_id, idx)
);
CREATE INDEX events_type ON events(type);
CREATE INDEX events_date ON events(date);

CREATE TABLE dates (
    doc_id    TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start     INTEGER NOT NULL,
    "end"     INTEGER NOT NULL,
    text      TEXT NOT NULL,
    value     TEXT,
    precision TEXT
);
CREATE INDEX dates_doc ON dates(doc_id);
