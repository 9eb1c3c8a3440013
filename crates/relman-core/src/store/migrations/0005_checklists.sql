-- Process templates (a named definition kept as a JSON document) and the checklist items of releases,
-- copied from a template when it is applied so later template edits never rewrite a planned release.

CREATE TABLE process_template (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    definition  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE checklist_item (
    id               INTEGER PRIMARY KEY,
    release_id       INTEGER NOT NULL REFERENCES release(id) ON DELETE CASCADE,
    phase            TEXT NOT NULL CHECK (phase IN ('pre_release', 'deploy', 'post_release', 'rollback')),
    position         INTEGER NOT NULL,
    title            TEXT NOT NULL,
    details          TEXT NOT NULL DEFAULT '',
    owner            TEXT NOT NULL DEFAULT '',
    required         INTEGER NOT NULL DEFAULT 1 CHECK (required IN (0, 1)),
    expected_minutes INTEGER,
    state            TEXT NOT NULL DEFAULT 'todo'
                     CHECK (state IN ('todo', 'in_progress', 'done', 'skipped', 'blocked', 'failed')),
    note             TEXT NOT NULL DEFAULT '',
    started_at       TEXT,
    finished_at      TEXT,
    actor            TEXT NOT NULL DEFAULT '',
    updated_at       TEXT NOT NULL
) STRICT;

CREATE INDEX checklist_release ON checklist_item(release_id, phase, position);
