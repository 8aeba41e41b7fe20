-- dyad store, version 5 (PostgreSQL): nothing to do; the SQLite step re-declares
-- its FTS5 index for Datasette, and PostgreSQL searches the sentences.tsv column.
SELECT 1;
