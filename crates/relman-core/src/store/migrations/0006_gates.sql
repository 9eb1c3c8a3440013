-- Gates copied onto a release with its template, sign-offs, and go/no-go decisions.

CREATE TABLE release_gate (
    id            INTEGER PRIMARY KEY,
    release_id    INTEGER NOT NULL REFERENCES release(id) ON DELETE CASCADE,
    name          TEXT NOT NULL,
    into_status   TEXT NOT NULL CHECK (into_status IN ('ready', 'deploying')),
    phases_done   TEXT NOT NULL DEFAULT '[]',
    signoff_roles TEXT NOT NULL DEFAULT '[]'
) STRICT;

CREATE TABLE signoff (
    id         INTEGER PRIMARY KEY,
    release_id INTEGER NOT NULL REFERENCES release(id) ON DELETE CASCADE,
    role       TEXT NOT NULL,
    person     TEXT NOT NULL,
    decision   TEXT NOT NULL CHECK (decision IN ('approve', 'reject')),
    comment    TEXT NOT NULL DEFAULT '',
    at         TEXT NOT NULL
) STRICT;

CREATE INDEX signoff_release ON signoff(release_id, role);
