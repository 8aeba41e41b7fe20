-- dyad store, version 8: an entity page reads the newest documents naming the entity
-- without sorting all of them.  Each entity row carries its document's publication
-- date (written with the document; documents are never re-dated in place), and the
-- index gives any canonical name's rows newest first, and counts per month.
ALTER TABLE entities ADD COLUMN published TEXT;
UPDATE entities SET published = (SELECT d.published FROM documents d WHERE d.id = entities.doc_id);
CREATE INDEX entities_canonical_published ON entities (canonical, published DESC NULLS LAST, doc_id DESC);
