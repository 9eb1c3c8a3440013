-- The release manager's own words in the notes of a release, and per-commit overrides, kept across
-- regenerations.

CREATE TABLE release_notes (
    release_id    INTEGER PRIMARY KEY REFERENCES release(id) ON DELETE CASCADE,
    highlights    TEXT NOT NULL DEFAULT '',
    known_issues  TEXT NOT NULL DEFAULT '',
    upgrade_notes TEXT NOT NULL DEFAULT '',
    updated_at    TEXT NOT NULL
) STRICT;

CREATE TABLE notes_override (
    release_id INTEGER NOT NULL REFERENCES release(id) ON DELETE CASCADE,
    sha        TEXT NOT NULL,
    hidden     INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
    text       TEXT,
    section    TEXT,
    PRIMARY KEY (release_id, sha)
) STRICT;
