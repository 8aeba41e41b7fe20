-- dyad store, version 4: validators of fetched URLs, so an unchanged page is
-- not fetched twice (conditional GET with If-None-Match / If-Modified-Since).
CREATE TABLE fetches (
    url           TEXT PRIMARY KEY,
    etag          TEXT,
    last_modified TEXT,
    status        INTEGER NOT NULL,
    fetched_at    TEXT NOT NULL
);
