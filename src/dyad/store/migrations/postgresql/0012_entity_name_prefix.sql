-- dyad store, version 12: search suggestions find the entity names starting with the
-- query in the per-entity counter table (one or two rows per name), not among every
-- entity row: a prefix such as "chelsea" may begin thousands of rows of one name
-- before the next name.
CREATE INDEX entity_body_lower_canonical ON entity_body (lower(canonical));
