-- Security checks on what a release ships: each dependency scan as it was reported (its ends, who ran
-- it, when, and its findings as JSON, the scan's own record), and the findings someone accepted for
-- the release with a reason. A gate may ask that no shipped, unaccepted finding reaches a severity.

CREATE TABLE security_scan (
    id          INTEGER PRIMARY KEY,
    release_id  INTEGER NOT NULL REFERENCES release(id) ON DELETE CASCADE,
    from_sha    TEXT,
    to_sha      TEXT NOT NULL,
    scanned_at  TEXT NOT NULL,
    scanned_by  TEXT NOT NULL,
    report      TEXT NOT NULL
) STRICT;
CREATE INDEX security_scan_release ON security_scan(release_id, id);

CREATE TABLE security_acceptance (
    id          INTEGER PRIMARY KEY,
    release_id  INTEGER NOT NULL REFERENCES release(id) ON DELETE CASCADE,
    -- The finding's key: advisory, ecosystem, package and version ("GHSA-x:npm:minimist@1.2.5").
    finding     TEXT NOT NULL,
    reason      TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    accepted_by TEXT NOT NULL,
    accepted_at TEXT NOT NULL,
    UNIQUE (release_id, finding)
) STRICT;

ALTER TABLE release_gate ADD COLUMN vulnerable_at TEXT CHECK (vulnerable_at IN ('low', 'medium', 'high', 'critical'));
