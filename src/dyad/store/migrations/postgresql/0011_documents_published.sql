-- dyad store, version 11: documents newest first (the document list, the overview's
-- recent documents and date span) from an index instead of sorting every document.
CREATE INDEX documents_published ON documents (published DESC NULLS LAST);
