-- dyad store, version 10: the overview page without scanning every entity row.
-- entity_body counts the documents naming an entity in their body (body = 1) or
-- only in bylines and credits (body = 0), kept up to date like entity_months; its
-- second index gives the most-covered entities in order.  Outlets are counted
-- from an index.
CREATE TABLE entity_body (
    canonical TEXT NOT NULL,
    body      INTEGER NOT NULL,
    documents INTEGER NOT NULL,
    PRIMARY KEY (canonical, body)
);
INSERT INTO entity_body (canonical, body, documents)
SELECT canonical, body, COUNT(DISTINCT doc_id) FROM entities GROUP BY 1, 2;
CREATE INDEX entity_body_top ON entity_body (body, documents DESC, canonical);
CREATE INDEX documents_publisher ON documents (publisher);
