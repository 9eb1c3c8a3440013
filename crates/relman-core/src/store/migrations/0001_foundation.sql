-- Products, their repositories, releases with their status history, milestones, settings and the audit log.

CREATE TABLE product (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    description TEXT NOT NULL DEFAULT '',
    versioning  TEXT NOT NULL DEFAULT 'semver' CHECK (versioning IN ('semver', 'calver')),
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE repository (
    id             INTEGER PRIMARY KEY,
    product_id     INTEGER NOT NULL REFERENCES product(id) ON DELETE CASCADE,
    path           TEXT NOT NULL,
    default_branch TEXT NOT NULL DEFAULT 'main',
    tag_pattern    TEXT NOT NULL DEFAULT 'v{version}',
    UNIQUE (product_id, path)
) STRICT;

CREATE TABLE release (
    id             INTEGER PRIMARY KEY,
    product_id     INTEGER NOT NULL REFERENCES product(id) ON DELETE RESTRICT,
    version        TEXT NOT NULL,
    codename       TEXT NOT NULL DEFAULT '',
    description    TEXT NOT NULL DEFAULT '',
    owner          TEXT NOT NULL DEFAULT '',
    target_date    TEXT,
    actual_date    TEXT,
    from_ref       TEXT NOT NULL DEFAULT '',
    to_ref         TEXT NOT NULL DEFAULT '',
    release_branch TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL DEFAULT 'planned' CHECK (status IN
                   ('planned', 'in_progress', 'frozen', 'testing', 'ready', 'deploying', 'released',
                    'rolled_back', 'cancelled')),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (product_id, version)
) STRICT;

CREATE TABLE release_transition (
    id          INTEGER PRIMARY KEY,
    release_id  INTEGER NOT NULL REFERENCES release(id) ON DELETE CASCADE,
    from_status TEXT NOT NULL,
    to_status   TEXT NOT NULL,
    actor       TEXT NOT NULL,
    at          TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE milestone (
    id           INTEGER PRIMARY KEY,
    release_id   INTEGER NOT NULL REFERENCES release(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN
                 ('feature_freeze', 'code_freeze', 'rc', 'go_no_go', 'deploy_window', 'ga', 'review', 'custom')),
    name         TEXT NOT NULL,
    planned_start TEXT NOT NULL,
    planned_end  TEXT,
    actual_start TEXT,
    actual_end   TEXT
) STRICT;

CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE audit_event (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id INTEGER,
    action    TEXT NOT NULL,
    details   TEXT NOT NULL DEFAULT '{}'
) STRICT;

-- The audit log is append-only: the database itself refuses to rewrite history.
CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;

CREATE INDEX release_product ON release(product_id);
CREATE INDEX milestone_release ON milestone(release_id);
CREATE INDEX transition_release ON release_transition(release_id);
CREATE INDEX audit_entity ON audit_event(entity, entity_id);
