-- Sharing a plan through a git remote (docs/sharing.md). What is shared lives in git; these tables
-- are this machine's side of it: where the plan is shared, which products, the last synced commit,
-- and the conflicts a person has yet to resolve. None of them is ever written to the remote as is.

-- Status moves are records every copy keeps, so they get a global id like the other records.
ALTER TABLE release_transition ADD COLUMN uid TEXT;
UPDATE release_transition SET uid = lower(substr(printf('%012x', COALESCE(CAST(unixepoch(at, 'subsec') * 1000 AS INTEGER), CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER))), 1, 8) || '-' || substr(printf('%012x', COALESCE(CAST(unixepoch(at, 'subsec') * 1000 AS INTEGER), CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER))), 9, 4) || '-7' || substr(hex(randomblob(2)), 2, 3) || '-'
    || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)));
CREATE UNIQUE INDEX release_transition_uid ON release_transition(uid);
CREATE TRIGGER release_transition_uid AFTER INSERT ON release_transition WHEN NEW.uid IS NULL
BEGIN
    UPDATE release_transition SET uid = lower(substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 1, 8) || '-' || substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 9, 4) || '-7' || substr(hex(randomblob(2)), 2, 3) || '-'
        || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)))
    WHERE rowid = NEW.rowid;
END;

-- The one remote this database shares its plan through, and the state of the last sync.
CREATE TABLE share (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    remote     TEXT NOT NULL,
    -- The plan's name: refs/relman/plans/<name> on the remote.
    name       TEXT NOT NULL,
    -- The commit of the last sync (the base of the next three-way merge); NULL before the first.
    base       TEXT,
    synced_at  TEXT,
    synced_by  TEXT,
    created_at TEXT NOT NULL,
    -- This database's name in the shared audit log (its events travel under audit/<origin>/).
    origin     TEXT NOT NULL DEFAULT (lower(hex(randomblob(8)))),
    -- The last of this database's audit events the remote has.
    audit_sent INTEGER NOT NULL DEFAULT 0
) STRICT;

-- The products whose plan this database shares.
CREATE TABLE share_product (
    product_id INTEGER PRIMARY KEY REFERENCES product(id) ON DELETE CASCADE
) STRICT;

-- A field two people changed to different values: kept, with both values and who and when, until a
-- person picks one. Shared like the entities, so every copy shows the same conflict.
CREATE TABLE share_conflict (
    id         INTEGER PRIMARY KEY,
    -- '<kind>.<entity uid>.<field>'
    uid        TEXT NOT NULL UNIQUE,
    kind       TEXT NOT NULL,
    entity_uid TEXT NOT NULL,
    field      TEXT NOT NULL,
    -- JSON: the value both started from, and the candidates [{value, by, at}, ...].
    base       TEXT NOT NULL,
    candidates TEXT NOT NULL,
    found_by   TEXT NOT NULL,
    found_at   TEXT NOT NULL
) STRICT;

-- Which shared rows changed since the last sync, noted by triggers that `relman share init` installs
-- for every shared table (from the declarations in share/kinds.rs), so that a sync reads only those
-- rows. Cleared by the sync that sent them.
CREATE TABLE share_dirty (
    id   INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    uid  TEXT NOT NULL
) STRICT;

-- The audit events other copies of the plan sent, each copy's own hash chain, checked per origin by
-- `relman audit verify`. Events about products this copy does not share arrive withheld: their place,
-- and hashes only, so the chain still links.
CREATE TABLE audit_remote (
    origin    TEXT NOT NULL,
    seq       INTEGER NOT NULL,
    at        TEXT,
    actor     TEXT,
    entity    TEXT,
    entity_id INTEGER,
    action    TEXT,
    details   TEXT,
    product_id INTEGER,
    release_id INTEGER,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL,
    withheld  INTEGER NOT NULL DEFAULT 0 CHECK (withheld IN (0, 1)),
    PRIMARY KEY (origin, seq)
) STRICT;
