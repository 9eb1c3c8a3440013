-- Go/no-go decisions: who decided, who attended, when, and why.

CREATE TABLE go_no_go (
    id         INTEGER PRIMARY KEY,
    release_id INTEGER NOT NULL REFERENCES release(id) ON DELETE CASCADE,
    decision   TEXT NOT NULL CHECK (decision IN ('go', 'no_go')),
    decided_by TEXT NOT NULL,
    attendees  TEXT NOT NULL DEFAULT '',
    notes      TEXT NOT NULL DEFAULT '',
    at         TEXT NOT NULL
) STRICT;
