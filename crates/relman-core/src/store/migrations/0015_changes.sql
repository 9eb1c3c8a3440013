-- Change requests: what a CAB approves before a production change (crates/relman-core/src/change/), drafted from the
-- release, approved by role (never by the requester), and shared like the rest of the plan.

CREATE TABLE change_request (
    id                  INTEGER PRIMARY KEY,
    uid                 TEXT UNIQUE,
    product_id          INTEGER NOT NULL REFERENCES product(id) ON DELETE CASCADE,
    release_id          INTEGER REFERENCES release(id) ON DELETE SET NULL,
    title               TEXT NOT NULL CHECK (title <> ''),
    description         TEXT NOT NULL DEFAULT '',
    justification       TEXT NOT NULL DEFAULT '',
    type                TEXT NOT NULL CHECK (type IN ('standard', 'normal', 'emergency')),
    state               TEXT NOT NULL DEFAULT 'draft' CHECK (state IN
                        ('draft', 'assess', 'authorize', 'scheduled', 'implement', 'review', 'closed', 'cancelled')),
    -- RFC 3339 with the offset the person gave (the window's own time zone).
    window_start        TEXT,
    window_end          TEXT,
    -- JSON arrays of text: affected services, linked commits or issue keys.
    services            TEXT NOT NULL DEFAULT '[]',
    links               TEXT NOT NULL DEFAULT '[]',
    implementation_plan TEXT NOT NULL DEFAULT '',
    backout_plan        TEXT NOT NULL DEFAULT '',
    test_plan           TEXT NOT NULL DEFAULT '',
    risk                TEXT NOT NULL DEFAULT '',
    impact              TEXT NOT NULL DEFAULT '',
    requester           TEXT NOT NULL,
    -- The last rejection's comment, shown on the draft it returned to.
    rejection           TEXT NOT NULL DEFAULT '',
    close_code          TEXT CHECK (close_code IN ('successful', 'successful_with_issues', 'unsuccessful')),
    close_notes         TEXT NOT NULL DEFAULT '',
    cancel_reason       TEXT NOT NULL DEFAULT '',
    -- JSON object: each plan's text as Relman last drafted it, so a new draft replaces only the plans
    -- nobody edited since.
    drafted             TEXT NOT NULL DEFAULT '{}',
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    CHECK (window_end IS NULL OR window_start IS NULL OR window_end > window_start)
) STRICT;
CREATE INDEX change_request_product ON change_request(product_id, state);
CREATE TRIGGER change_request_uid AFTER INSERT ON change_request WHEN NEW.uid IS NULL
BEGIN
    UPDATE change_request SET uid = lower(substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 1, 8) || '-' || substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 9, 4) || '-7' || substr(hex(randomblob(2)), 2, 3) || '-'
        || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)))
    WHERE rowid = NEW.rowid;
END;

-- Each approval or rejection by role; a later one of the same role counts, earlier ones stay on record.
CREATE TABLE change_approval (
    id            INTEGER PRIMARY KEY,
    uid           TEXT UNIQUE,
    change_id     INTEGER NOT NULL REFERENCES change_request(id) ON DELETE CASCADE,
    role          TEXT NOT NULL,
    person        TEXT NOT NULL,
    decision      TEXT NOT NULL CHECK (decision IN ('approve', 'reject')),
    comment       TEXT NOT NULL DEFAULT '',
    -- Given after the fact, for an emergency change.
    retrospective INTEGER NOT NULL DEFAULT 0 CHECK (retrospective IN (0, 1)),
    at            TEXT NOT NULL
) STRICT;
CREATE INDEX change_approval_change ON change_approval(change_id);
CREATE TRIGGER change_approval_uid AFTER INSERT ON change_approval WHEN NEW.uid IS NULL
BEGIN
    UPDATE change_approval SET uid = lower(substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 1, 8) || '-' || substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 9, 4) || '-7' || substr(hex(randomblob(2)), 2, 3) || '-'
        || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)))
    WHERE rowid = NEW.rowid;
END;

-- A gate may ask for an approved change request whose window the move falls in.
ALTER TABLE release_gate ADD COLUMN change_approved INTEGER NOT NULL DEFAULT 0 CHECK (change_approved IN (0, 1));

-- Per product: the roles a change needs, and whether commit authors may approve.
ALTER TABLE product ADD COLUMN change_roles TEXT NOT NULL DEFAULT '["CAB"]';
ALTER TABLE product ADD COLUMN authors_may_approve INTEGER NOT NULL DEFAULT 1 CHECK (authors_may_approve IN (0, 1));
