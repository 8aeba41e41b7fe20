-- dyad store, version 9: per-entity document counts, kept up to date as documents
-- are written and removed (Store.save_article), so an entity page and the search
-- suggestions read a handful of counter rows instead of counting every row that
-- names an entity (tens of thousands for a head of government in a large store).
CREATE TABLE entity_months (
    canonical TEXT NOT NULL,
    month     TEXT NOT NULL,                    -- YYYY-MM (or YYYY) of publication; '' when undated
    documents INTEGER NOT NULL,
    PRIMARY KEY (canonical, month)
);
CREATE TABLE entity_labels (
    canonical TEXT NOT NULL,
    label     TEXT NOT NULL,
    documents INTEGER NOT NULL,
    PRIMARY KEY (canonical, label)
);
INSERT INTO entity_months (canonical, month, documents)
SELECT canonical, COALESCE(substr(published, 1, 7), ''), COUNT(DISTINCT doc_id) FROM entities GROUP BY 1, 2;
INSERT INTO entity_labels (canonical, label, documents)
SELECT canonical, label, COUNT(DISTINCT doc_id) FROM entities GROUP BY 1, 2;
