-- Secrets in a release's diff: each secrets scan as it was reported (its findings as JSON, each
-- secret redacted to its first and last characters: the whole of one is never stored), and the
-- findings someone marked as a false positive with a reason. A gate may ask that none is left. A
-- mark travels with a shared plan; its global id comes from the release and the finding, as an
-- accepted dependency finding's does.

CREATE TABLE leak_scan (
    id          INTEGER PRIMARY KEY,
    release_id  INTEGER NOT NULL REFERENCES release(id) ON DELETE CASCADE,
    from_sha    TEXT,
    to_sha      TEXT NOT NULL,
    scanned_at  TEXT NOT NULL,
    scanned_by  TEXT NOT NULL,
    report      TEXT NOT NULL
) STRICT;
CREATE INDEX leak_scan_release ON leak_scan(release_id, id);

CREATE TABLE leak_dismissal (
    id           INTEGER PRIMARY KEY,
    release_id   INTEGER NOT NULL REFERENCES release(id) ON DELETE CASCADE,
    -- The finding's key: rule, commit, path, line and column ("aws-access-token:1a2b3c4d5e6f:deploy.env:3:9").
    finding      TEXT NOT NULL,
    reason       TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    dismissed_by TEXT NOT NULL,
    dismissed_at TEXT NOT NULL,
    uid          TEXT,
    UNIQUE (release_id, finding)
) STRICT;
CREATE UNIQUE INDEX leak_dismissal_uid ON leak_dismissal(uid);

ALTER TABLE release_gate ADD COLUMN secrets_clear INTEGER NOT NULL DEFAULT 0 CHECK (secrets_clear IN (0, 1));
