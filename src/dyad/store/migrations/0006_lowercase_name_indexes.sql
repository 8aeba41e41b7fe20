-- dyad store, version 6: case-insensitive name lookups (question answering looks up
-- the question's names among mentions and canonical names) use an index instead of
-- scanning the tables.
CREATE INDEX entity_mentions_lower_text ON entity_mentions (lower(text));
CREATE INDEX entities_lower_canonical ON entities (lower(canonical));
