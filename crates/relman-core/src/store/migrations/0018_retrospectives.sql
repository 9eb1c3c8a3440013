-- A release's retrospective (post-implementation review): what the team writes beside what Relman
-- prefills from the release (crates/relman-core/src/retro.rs), and its action items, each of which may
-- become a risk on the next release or a step of a process template.

CREATE TABLE retrospective (
    id         INTEGER PRIMARY KEY,
    uid        TEXT UNIQUE,
    release_id INTEGER NOT NULL UNIQUE REFERENCES release(id) ON DELETE CASCADE,
    went_well  TEXT NOT NULL DEFAULT '',
    went_badly TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
) STRICT;
CREATE TRIGGER retrospective_uid AFTER INSERT ON retrospective WHEN NEW.uid IS NULL
BEGIN
    UPDATE retrospective SET uid = lower(substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 1, 8) || '-' || substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 9, 4) || '-7' || substr(hex(randomblob(2)), 2, 3) || '-'
        || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)))
    WHERE rowid = NEW.rowid;
END;

CREATE TABLE retro_action (
    id            INTEGER PRIMARY KEY,
    uid           TEXT UNIQUE,
    release_id    INTEGER NOT NULL REFERENCES release(id) ON DELETE CASCADE,
    text          TEXT NOT NULL CHECK (text <> ''),
    owner         TEXT NOT NULL DEFAULT '',
    due_date      TEXT,
    kind          TEXT NOT NULL CHECK (kind IN ('prevent', 'mitigate', 'process')),
    done          INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
    -- What it became: a risk on the next release, or a step of a template ("Template: phase: title").
    risk_id       INTEGER REFERENCES risk(id) ON DELETE SET NULL,
    template_step TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    actor         TEXT NOT NULL
) STRICT;
CREATE INDEX retro_action_release ON retro_action(release_id);
CREATE TRIGGER retro_action_uid AFTER INSERT ON retro_action WHEN NEW.uid IS NULL
BEGIN
    UPDATE retro_action SET uid = lower(substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 1, 8) || '-' || substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 9, 4) || '-7' || substr(hex(randomblob(2)), 2, 3) || '-'
        || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)))
    WHERE rowid = NEW.rowid;
END;
