-- dyad store, version 7: what the resolve stage keeps between runs so that placing
-- new documents (`resolve_new`) costs what they touch, not the size of the store.
-- Everything here is derived and rebuilt by `resolve_all`; a document's rows go
-- when the document goes.

-- Each document's story features (dyad/resolve/profiles.py) as its last resolve
-- run computed them: a new document is compared with stored profiles, never
-- re-profiling the rest.
CREATE TABLE doc_profiles (
    doc_id    TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
    features  TEXT NOT NULL,                    -- JSON {feature: count}
    xentities TEXT NOT NULL,                    -- JSON {xentity id: mentions}
    lo        INTEGER,                          -- publication interval as date ordinals; NULL when undated
    hi        INTEGER
);

-- How many stored profiles hold each feature: the IDF of story similarity.
CREATE TABLE profile_df (
    feature TEXT PRIMARY KEY,
    df      INTEGER NOT NULL
);

-- Inverted index of the profile features that can link two documents (entities,
-- happenings, title and lead words): a new document's candidate story-mates.
CREATE TABLE profile_terms (
    term   TEXT NOT NULL,
    doc_id TEXT NOT NULL,                       -- a document's terms go with its profile (trigger below)
    lo     INTEGER,                             -- the document's publication interval (as in doc_profiles)
    hi     INTEGER,
    PRIMARY KEY (term, doc_id)
) WITHOUT ROWID;

-- A profile that goes (its document was deleted or replaced) no longer counts,
-- and its terms leave the index.
CREATE TRIGGER doc_profiles_ad AFTER DELETE ON doc_profiles BEGIN
    UPDATE profile_df SET df = df - 1 WHERE feature IN (SELECT key FROM json_each(old.features));
    DELETE FROM profile_terms WHERE doc_id = old.doc_id AND term IN (SELECT key FROM json_each(old.features));
END;

-- LSH band keys of each MinHash signature (doc_minhash): a new signature's
-- candidate copies are looked up here instead of rebuilding the LSH index.
CREATE TABLE minhash_bands (
    key    INTEGER NOT NULL,                    -- 64-bit hash of (band number, the band's hash values)
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    PRIMARY KEY (key, doc_id)
) WITHOUT ROWID;
CREATE INDEX minhash_bands_doc ON minhash_bands(doc_id);

-- Timeline blocking keys: each event under its type and each resolved actor, with
-- its date interval and story, so a new event meets only the events it may be.
CREATE TABLE event_keys (
    doc_id   TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx      INTEGER NOT NULL,                  -- events.idx
    type     TEXT NOT NULL,
    actor    TEXT NOT NULL,                     -- xentity id, or "n:" + name key
    lo       INTEGER,                           -- date interval as ordinals; NULL when undated
    hi       INTEGER,
    story_id TEXT,
    PRIMARY KEY (doc_id, idx, actor)
);
CREATE INDEX event_keys_dated ON event_keys(type, actor, lo);
CREATE INDEX event_keys_story ON event_keys(story_id, type, actor);

-- Figure grouping keys (dyad/resolve/figures.py): a figure's unit family, anchor
-- and concept words, and the concept of the group it falls under.
CREATE TABLE figure_keys (
    doc_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx     INTEGER NOT NULL,                   -- figures.idx
    family  TEXT NOT NULL,
    anchor  TEXT NOT NULL,
    concept TEXT NOT NULL,                      -- sorted concept words, space-separated
    root    TEXT NOT NULL,                      -- concept of the key it is grouped under
    PRIMARY KEY (doc_id, idx)
);
CREATE INDEX figure_keys_block ON figure_keys(family, anchor, concept);

CREATE INDEX project_status_story ON project_status(story_id);

-- Stories, merged events, figure groups and duplicate groups that lost a member
-- since the resolve stage wrote them (their document was deleted or replaced):
-- the next incremental run rewrites them.  The resolve stage's own rewrites
-- clear what they mark.
CREATE TABLE resolve_dirty (
    kind TEXT NOT NULL,                         -- story | event_cluster | figure_group | duplicate_group
    id   TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE TRIGGER story_documents_ad AFTER DELETE ON story_documents BEGIN
    INSERT OR IGNORE INTO resolve_dirty (kind, id) VALUES ('story', old.story_id);
END;
CREATE TRIGGER event_cluster_members_ad AFTER DELETE ON event_cluster_members BEGIN
    INSERT OR IGNORE INTO resolve_dirty (kind, id) VALUES ('event_cluster', old.cluster_id);
END;
CREATE TRIGGER figure_group_members_ad AFTER DELETE ON figure_group_members BEGIN
    INSERT OR IGNORE INTO resolve_dirty (kind, id) VALUES ('figure_group', old.group_id);
END;
CREATE TRIGGER duplicate_groups_ad AFTER DELETE ON duplicate_groups BEGIN
    INSERT OR IGNORE INTO resolve_dirty (kind, id) VALUES ('duplicate_group', old.group_id);
END;
