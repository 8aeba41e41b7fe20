-- dyad store, version 3 (PostgreSQL): what the resolve stage finds across documents.
-- Same tables as ../0003_resolve.sql; only the types differ.
-- Everything here is derived from the tables of versions 1 and 2 and can be
-- rebuilt by `resolve_all`; a document's rows go when the document goes.

-- One real-world entity across documents, with the per-document entities
-- (and bylines) that name it.  `state`/`relation` link capitals, demonyms and
-- seats of government to the state they can stand for, without merging them.
CREATE TABLE xentities (
    id         TEXT PRIMARY KEY,                -- stable: a hash of label group and key
    canonical  TEXT NOT NULL,
    label      TEXT NOT NULL,
    key        TEXT NOT NULL,                   -- the normalised name the id derives from
    state      TEXT,                            -- ISO 3166 alpha-3 of the state it is or stands for
    relation   TEXT,                            -- state | capital | demonym | seat
    aliases    TEXT NOT NULL DEFAULT '[]',      -- JSON list of every surface form
    roles      TEXT NOT NULL DEFAULT '[]',      -- JSON list of descriptions
    n_docs     INTEGER NOT NULL,
    n_mentions INTEGER NOT NULL
);
CREATE INDEX xentities_canonical ON xentities(canonical);
CREATE INDEX xentities_state ON xentities(state);

CREATE TABLE xentity_members (
    xentity_id TEXT NOT NULL REFERENCES xentities(id) ON DELETE CASCADE,
    doc_id     TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,                   -- entity | author
    ref        INTEGER NOT NULL,                -- entities.id, or the index in documents.authors
    name       TEXT NOT NULL,
    forms      TEXT NOT NULL DEFAULT '[]',      -- JSON list of distinct surface forms in that document
    how        TEXT NOT NULL,                   -- why it joined: key | alias | fuzzy | surname | state
    PRIMARY KEY (doc_id, kind, ref)
);
CREATE INDEX xentity_members_xentity ON xentity_members(xentity_id);

-- Blocking keys of each cross-document entity: a new document's entities are
-- looked up here first, so adding documents does not recompute everything.
CREATE TABLE xentity_keys (
    key        TEXT NOT NULL,                   -- name key, acronym, or person block (given initial + surname start)
    xentity_id TEXT NOT NULL REFERENCES xentities(id) ON DELETE CASCADE,
    PRIMARY KEY (key, xentity_id)
);

-- MinHash signature of each document's text (for near-duplicate search).
CREATE TABLE doc_minhash (
    doc_id    TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    num_perm  INTEGER NOT NULL,
    signature BYTEA NOT NULL                    -- num_perm little-endian uint32
);

-- Republished copies: every member of a group is one piece; group_id is the
-- doc id of its original (earliest published, then smallest id).
CREATE TABLE duplicate_groups (
    doc_id     TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    group_id   TEXT NOT NULL,
    similarity DOUBLE PRECISION NOT NULL                    -- estimated Jaccard with the original
);
CREATE INDEX duplicate_groups_group ON duplicate_groups(group_id);

CREATE TABLE stories (
    id        TEXT PRIMARY KEY,                 -- stable: from the story's anchor document
    label     TEXT NOT NULL,
    date_from TEXT,
    date_to   TEXT,
    n_docs    INTEGER NOT NULL,
    entities  TEXT NOT NULL DEFAULT '[]',       -- JSON list of the main cross-document entity ids
    keywords  TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE story_documents (
    story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    doc_id   TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    score    DOUBLE PRECISION NOT NULL,                     -- similarity to the rest of the story
    how      TEXT NOT NULL                      -- seed | linked | attached | duplicate | alone
);
CREATE INDEX story_documents_story ON story_documents(story_id);

-- A publication date narrowed from a story's dated peers (documents.published is kept).
CREATE TABLE refined_dates (
    doc_id    TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    published TEXT NOT NULL,
    reason    TEXT NOT NULL
);

-- One happening reported by one or more documents.
CREATE TABLE event_clusters (
    id            TEXT PRIMARY KEY,
    story_id      TEXT,
    type          TEXT NOT NULL,
    subtype       TEXT NOT NULL,
    status        TEXT NOT NULL,
    source_actor  TEXT NOT NULL DEFAULT '[]',  -- JSON list of canonical names
    target_actor  TEXT NOT NULL DEFAULT '[]',
    location      TEXT,
    date          TEXT,                         -- the most precise date the evidence agrees on
    n_docs        INTEGER NOT NULL,
    n_independent INTEGER NOT NULL              -- documents after folding republished copies
);
CREATE INDEX event_clusters_story ON event_clusters(story_id);

CREATE TABLE event_cluster_members (
    cluster_id TEXT NOT NULL REFERENCES event_clusters(id) ON DELETE CASCADE,
    doc_id     TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx        INTEGER NOT NULL,                -- events.idx
    PRIMARY KEY (doc_id, idx)
);
CREATE INDEX event_cluster_members_cluster ON event_cluster_members(cluster_id);

-- Figures that measure the same thing, with a verdict across sources.
CREATE TABLE figure_groups (
    id        TEXT PRIMARY KEY,
    measure   TEXT NOT NULL,
    unit      TEXT NOT NULL,
    scope     TEXT,
    verdict   TEXT NOT NULL,                    -- corroborated | differing | conflicting | single
    note      TEXT NOT NULL DEFAULT '',         -- what differs, in words
    n_sources INTEGER NOT NULL,                 -- independent sources (republished copies folded)
    value_min DOUBLE PRECISION NOT NULL,
    value_max DOUBLE PRECISION NOT NULL
);

CREATE TABLE figure_group_members (
    group_id TEXT NOT NULL REFERENCES figure_groups(id) ON DELETE CASCADE,
    doc_id   TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx      INTEGER NOT NULL,                  -- figures.idx
    PRIMARY KEY (doc_id, idx)
);
CREATE INDEX figure_group_members_group ON figure_group_members(group_id);

-- What became of a named project or initiative, per story.
CREATE TABLE project_status (
    xentity_id TEXT NOT NULL,
    story_id   TEXT NOT NULL,
    status     TEXT NOT NULL,                   -- agreed | no agreement | under discussion | mentioned ...
    date       TEXT,
    summary    TEXT NOT NULL,
    evidence   TEXT NOT NULL DEFAULT '[]',      -- JSON list of {doc_id, sentence, text}
    PRIMARY KEY (xentity_id, story_id)
);

CREATE TABLE resolve_runs (
    id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    mode        TEXT NOT NULL,                  -- full | incremental
    counts      TEXT NOT NULL DEFAULT '{}',     -- JSON: rows written per table, seconds per step
    n_docs      INTEGER NOT NULL DEFAULT 0
);
