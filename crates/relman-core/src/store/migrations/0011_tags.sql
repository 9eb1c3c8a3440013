-- Release tags Relman created and where they were pushed; and which git hosts have a credential in the
-- OS keyring (the host and username only: the secret itself never enters this database).

CREATE TABLE release_tag (
    release_id     INTEGER PRIMARY KEY REFERENCES release(id) ON DELETE CASCADE,
    name           TEXT NOT NULL,
    target_sha     TEXT NOT NULL,
    tag_sha        TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    created_by     TEXT NOT NULL,
    pushed_remote  TEXT,
    pushed_at      TEXT,
    pushed_by      TEXT,
    -- Why the last push failed, in words (never a secret); cleared by a successful push.
    push_error     TEXT
) STRICT;

CREATE TABLE credential (
    host       TEXT NOT NULL,
    username   TEXT NOT NULL DEFAULT '',
    added_at   TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (host, username)
) STRICT;
