-- Deployments (a run of a release to an environment) and every checklist action taken, with the
-- item as it was before, so the last action can be undone and the deploy log written.

CREATE TABLE deployment (
    id          INTEGER PRIMARY KEY,
    release_id  INTEGER NOT NULL REFERENCES release(id) ON DELETE CASCADE,
    environment TEXT NOT NULL,
    strategy    TEXT NOT NULL CHECK (strategy IN ('rolling', 'blue_green', 'canary', 'recreate', 'manual')),
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    outcome     TEXT CHECK (outcome IN ('succeeded', 'failed', 'rolled_back')),
    actor       TEXT NOT NULL
) STRICT;

CREATE TABLE checklist_action (
    id              INTEGER PRIMARY KEY,
    deployment_id   INTEGER REFERENCES deployment(id) ON DELETE CASCADE,
    item_id         INTEGER NOT NULL REFERENCES checklist_item(id) ON DELETE CASCADE,
    from_state      TEXT NOT NULL,
    to_state        TEXT NOT NULL,
    before_note     TEXT NOT NULL,
    before_started  TEXT,
    before_finished TEXT,
    note            TEXT NOT NULL DEFAULT '',
    actor           TEXT NOT NULL,
    at              TEXT NOT NULL,
    undone          INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1))
) STRICT;

CREATE INDEX deployment_release ON deployment(release_id);
CREATE INDEX action_deployment ON checklist_action(deployment_id, id);
