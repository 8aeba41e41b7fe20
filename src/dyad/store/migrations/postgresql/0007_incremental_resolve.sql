-- dyad store, version 7 (PostgreSQL): what the resolve stage keeps between runs so that placing
-- new documents (`resolve_new`) costs what they touch, not the size of the store.
-- Same tables as ../0007_incremental_resolve.sql; only the types and the trigger's
-- language differ.  Everything here is derived and rebuilt by `resolve_all`; a document's rows go
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
);

-- A profile that goes (its document was deleted or replaced) no longer counts,
-- and its terms leave the index.
CREATE FUNCTION doc_profiles_forget() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE profile_df SET df = df - 1 WHERE feature IN (SELECT json_object_keys(CAST(OLD.features AS json)));
    DELETE FROM profile_terms WHERE doc_id = OLD.doc_id
        AND term IN (SELECT json_object_keys(CAST(OLD.features AS json)));
    RETURN OLD;
END
$$;
CREATE TRIGGER doc_profiles_ad AFTER DELETE ON doc_profiles FOR EACH ROW EXECUTE FUNCTION doc_profiles_forget();

-- LSH band keys of each MinHash signature (doc_minhash): a new signature's
-- candidate copies are looked up here instead of rebuilding the LSH index.
CREATE TABLE minhash_bands (
    key    BIGINT NOT NULL,                     -- 64-bit hash of (band number, the band's hash values)
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    PRIMARY KEY (key, doc_id)
);
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
CREATE FUNCTION resolve_mark_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- TG_ARGV: the kind, and the column of the deleted row that names what lost it.
    INSERT INTO resolve_dirty (kind, id) VALUES (TG_ARGV[0], to_jsonb(OLD) ->> TG_ARGV[1]) ON CONFLICT DO NOTHING;
    RETURN OLD;
END
$$;
CREATE TRIGGER story_documents_ad AFTER DELETE ON story_documents
    FOR EACH ROW EXECUTE FUNCTION resolve_mark_dirty('story', 'story_id');
CREATE TRIGGER event_cluster_members_ad AFTER DELETE ON event_cluster_members
    FOR EACH ROW EXECUTE FUNCTION resolve_mark_dirty('event_cluster', 'cluster_id');
CREATE TRIGGER figure_group_members_ad AFTER DELETE ON figure_group_members
    FOR EACH ROW EXECUTE FUNCTION resolve_mark_dirty('figure_group', 'group_id');
CREATE TRIGGER duplicate_groups_ad AFTER DELETE ON duplicate_groups
    FOR EACH ROW EXECUTE FUNCTION resolve_mark_dirty('duplicate_group', 'group_id');
