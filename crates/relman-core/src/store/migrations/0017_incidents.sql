-- After the release: incidents attributed to a release (and the deployment that shipped it), feedback
-- for the retrospective, and hotfix releases marked as rework (crates/relman-core/src/incident.rs).

CREATE TABLE incident (
    id                INTEGER PRIMARY KEY,
    uid               TEXT UNIQUE,
    product_id        INTEGER NOT NULL REFERENCES product(id) ON DELETE CASCADE,
    release_id        INTEGER REFERENCES release(id) ON DELETE SET NULL,
    deployment_id     INTEGER REFERENCES deployment(id) ON DELETE SET NULL,
    title             TEXT NOT NULL CHECK (title <> ''),
    severity          TEXT NOT NULL CHECK (severity IN ('sev1', 'sev2', 'sev3', 'sev4')),
    status            TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'mitigated', 'resolved')),
    -- RFC 3339, as given (with its offset).
    detected_at       TEXT NOT NULL,
    mitigated_at      TEXT,
    resolved_at       TEXT,
    -- JSON array of commit SHAs suspected of causing it.
    suspected_commits TEXT NOT NULL DEFAULT '[]',
    needed_rollback   INTEGER NOT NULL DEFAULT 0 CHECK (needed_rollback IN (0, 1)),
    hotfix_release_id INTEGER REFERENCES release(id) ON DELETE SET NULL,
    notes             TEXT NOT NULL DEFAULT '',
    links             TEXT NOT NULL DEFAULT '[]',
    reported_by       TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
) STRICT;
CREATE INDEX incident_product ON incident(product_id, detected_at);
CREATE INDEX incident_release ON incident(release_id);
CREATE TRIGGER incident_uid AFTER INSERT ON incident WHEN NEW.uid IS NULL
BEGIN
    UPDATE incident SET uid = lower(substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 1, 8) || '-' || substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 9, 4) || '-7' || substr(hex(randomblob(2)), 2, 3) || '-'
        || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)))
    WHERE rowid = NEW.rowid;
END;

-- What users, support and the team said about a release, for its retrospective.
CREATE TABLE feedback (
    id         INTEGER PRIMARY KEY,
    uid        TEXT UNIQUE,
    release_id INTEGER NOT NULL REFERENCES release(id) ON DELETE CASCADE,
    source     TEXT NOT NULL CHECK (source <> ''),
    channel    TEXT NOT NULL DEFAULT '',
    text       TEXT NOT NULL CHECK (text <> ''),
    sentiment  TEXT NOT NULL DEFAULT 'neutral' CHECK (sentiment IN ('positive', 'neutral', 'negative')),
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL
) STRICT;
CREATE INDEX feedback_release ON feedback(release_id);
CREATE TRIGGER feedback_uid AFTER INSERT ON feedback WHEN NEW.uid IS NULL
BEGIN
    UPDATE feedback SET uid = lower(substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 1, 8) || '-' || substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 9, 4) || '-7' || substr(hex(randomblob(2)), 2, 3) || '-'
        || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)))
    WHERE rowid = NEW.rowid;
END;

-- A hotfix release made to repair another (rework, for the delivery metrics).
ALTER TABLE release ADD COLUMN rework INTEGER NOT NULL DEFAULT 0 CHECK (rework IN (0, 1));

-- A risk that occurred, and the incident it became.
ALTER TABLE risk ADD COLUMN incident_id INTEGER REFERENCES incident(id) ON DELETE SET NULL;
