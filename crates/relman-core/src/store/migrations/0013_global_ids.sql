-- Global identity: every row a team would share gets a stable random id beside its local integer id,
-- a UUID version 7 (RFC 9562: 48 bits of Unix milliseconds, then random bits) in its text form, so that
-- two laptops that each add a milestone never give it the same id, and ids sort by creation.
--
-- Existing rows get one dated from their own creation time where the table keeps it; a new row gets
-- one as it is inserted (the triggers below), whichever door inserted it. Ids never change.

ALTER TABLE product ADD COLUMN uid TEXT;
UPDATE product SET uid = lower(substr(printf('%012x', COALESCE(CAST(unixepoch(created_at, 'subsec') * 1000 AS INTEGER), CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER))), 1, 8) || '-' || substr(printf('%012x', COALESCE(CAST(unixepoch(created_at, 'subsec') * 1000 AS INTEGER), CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER))), 9, 4) || '-7' || substr(hex(randomblob(2)), 2, 3) || '-'
        || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)));
CREATE UNIQUE INDEX product_uid ON product(uid);
CREATE TRIGGER product_uid AFTER INSERT ON product WHEN NEW.uid IS NULL
BEGIN
    UPDATE product SET uid = lower(substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 1, 8) || '-' || substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 9, 4) || '-7' || substr(hex(randomblob(2)), 2, 3) || '-'
        || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)))
    WHERE rowid = NEW.rowid;
END;

ALTER TABLE release ADD COLUMN uid TEXT;
UPDATE release SET uid = lower(substr(printf('%012x', COALESCE(CAST(unixepoch(created_at, 'subsec') * 1000 AS INTEGER), CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER))), 1, 8) || '-' || substr(printf('%012x', COALESCE(CAST(unixepoch(created_at, 'subsec') * 1000 AS INTEGER), CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER))), 9, 4) || '-7' || substr(hex(randomblob(2)), 2, 3) || '-'
        || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)));
CREATE UNIQUE INDEX release_uid ON release(uid);
CREATE TRIGGER release_uid AFTER INSERT ON release WHEN NEW.uid IS NULL
BEGIN
    UPDATE release SET uid = lower(substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 1, 8) || '-' || substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 9, 4) || '-7' || substr(hex(randomblob(2)), 2, 3) || '-'
        || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)))
    WHERE rowid = NEW.rowid;
END;

ALTER TABLE milestone ADD COLUMN uid TEXT;
UPDATE milestone SET uid = lower(substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 1, 8) || '-' || substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 9, 4) || '-7' || substr(hex(randomblob(2)), 2, 3) || '-'
        || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)));
CREATE UNIQUE INDEX milestone_uid ON milestone(uid);
CREATE TRIGGER milestone_uid AFTER INSERT ON milestone WHEN NEW.uid IS NULL
BEGIN
    UPDATE milestone SET uid = lower(substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 1, 8) || '-' || substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 9, 4) || '-7' || substr(hex(randomblob(2)), 2, 3) || '-'
        || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)))
    WHERE rowid = NEW.rowid;
END;

ALTER TABLE freeze_window ADD COLUMN uid TEXT;
UPDATE freeze_window SET uid = lower(substr(printf('%012x', COALESCE(CAST(unixepoch(created_at, 'subsec') * 1000 AS INTEGER), CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER))), 1, 8) || '-' || substr(printf('%012x', COALESCE(CAST(unixepoch(created_at, 'subsec') * 1000 AS INTEGER), CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER))), 9, 4) || '-7' || substr(hex(randomblob(2)), 2, 3) || '-'
        || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)));
CREATE UNIQUE INDEX freeze_window_uid ON freeze_window(uid);
CREATE TRIGGER freeze_window_uid AFTER INSERT ON freeze_window WHEN NEW.uid IS NULL
BEGIN
    UPDATE freeze_window SET uid = lower(substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 1, 8) || '-' || substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 9, 4) || '-7' || substr(hex(randomblob(2)), 2, 3) || '-'
        || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)))
    WHERE rowid = NEW.rowid;
END;

ALTER TABLE checklist_item ADD COLUMN uid TEXT;
UPDATE checklist_item SET uid = lower(substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 1, 8) || '-' || substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 9, 4) || '-7' || substr(hex(randomblob(2)), 2, 3) || '-'
        || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)));
CREATE UNIQUE INDEX checklist_item_uid ON checklist_item(uid);
CREATE TRIGGER checklist_item_uid AFTER INSERT ON checklist_item WHEN NEW.uid IS NULL
BEGIN
    UPDATE checklist_item SET uid = lower(substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 1, 8) || '-' || substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 9, 4) || '-7' || substr(hex(randomblob(2)), 2, 3) || '-'
        || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)))
    WHERE rowid = NEW.rowid;
END;

ALTER TABLE signoff ADD COLUMN uid TEXT;
UPDATE signoff SET uid = lower(substr(printf('%012x', COALESCE(CAST(unixepoch(at, 'subsec') * 1000 AS INTEGER), CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER))), 1, 8) || '-' || substr(printf('%012x', COALESCE(CAST(unixepoch(at, 'subsec') * 1000 AS INTEGER), CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER))), 9, 4) || '-7' || substr(hex(randomblob(2)), 2, 3) || '-'
        || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)));
CREATE UNIQUE INDEX signoff_uid ON signoff(uid);
CREATE TRIGGER signoff_uid AFTER INSERT ON signoff WHEN NEW.uid IS NULL
BEGIN
    UPDATE signoff SET uid = lower(substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 1, 8) || '-' || substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 9, 4) || '-7' || substr(hex(randomblob(2)), 2, 3) || '-'
        || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)))
    WHERE rowid = NEW.rowid;
END;

ALTER TABLE go_no_go ADD COLUMN uid TEXT;
UPDATE go_no_go SET uid = lower(substr(printf('%012x', COALESCE(CAST(unixepoch(at, 'subsec') * 1000 AS INTEGER), CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER))), 1, 8) || '-' || substr(printf('%012x', COALESCE(CAST(unixepoch(at, 'subsec') * 1000 AS INTEGER), CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER))), 9, 4) || '-7' || substr(hex(randomblob(2)), 2, 3) || '-'
        || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)));
CREATE UNIQUE INDEX go_no_go_uid ON go_no_go(uid);
CREATE TRIGGER go_no_go_uid AFTER INSERT ON go_no_go WHEN NEW.uid IS NULL
BEGIN
    UPDATE go_no_go SET uid = lower(substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 1, 8) || '-' || substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 9, 4) || '-7' || substr(hex(randomblob(2)), 2, 3) || '-'
        || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)))
    WHERE rowid = NEW.rowid;
END;

ALTER TABLE deployment ADD COLUMN uid TEXT;
UPDATE deployment SET uid = lower(substr(printf('%012x', COALESCE(CAST(unixepoch(started_at, 'subsec') * 1000 AS INTEGER), CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER))), 1, 8) || '-' || substr(printf('%012x', COALESCE(CAST(unixepoch(started_at, 'subsec') * 1000 AS INTEGER), CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER))), 9, 4) || '-7' || substr(hex(randomblob(2)), 2, 3) || '-'
        || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)));
CREATE UNIQUE INDEX deployment_uid ON deployment(uid);
CREATE TRIGGER deployment_uid AFTER INSERT ON deployment WHEN NEW.uid IS NULL
BEGIN
    UPDATE deployment SET uid = lower(substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 1, 8) || '-' || substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 9, 4) || '-7' || substr(hex(randomblob(2)), 2, 3) || '-'
        || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)))
    WHERE rowid = NEW.rowid;
END;

ALTER TABLE checklist_action ADD COLUMN uid TEXT;
UPDATE checklist_action SET uid = lower(substr(printf('%012x', COALESCE(CAST(unixepoch(at, 'subsec') * 1000 AS INTEGER), CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER))), 1, 8) || '-' || substr(printf('%012x', COALESCE(CAST(unixepoch(at, 'subsec') * 1000 AS INTEGER), CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER))), 9, 4) || '-7' || substr(hex(randomblob(2)), 2, 3) || '-'
        || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)));
CREATE UNIQUE INDEX checklist_action_uid ON checklist_action(uid);
CREATE TRIGGER checklist_action_uid AFTER INSERT ON checklist_action WHEN NEW.uid IS NULL
BEGIN
    UPDATE checklist_action SET uid = lower(substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 1, 8) || '-' || substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 9, 4) || '-7' || substr(hex(randomblob(2)), 2, 3) || '-'
        || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)))
    WHERE rowid = NEW.rowid;
END;

ALTER TABLE risk ADD COLUMN uid TEXT;
UPDATE risk SET uid = lower(substr(printf('%012x', COALESCE(CAST(unixepoch(created_at, 'subsec') * 1000 AS INTEGER), CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER))), 1, 8) || '-' || substr(printf('%012x', COALESCE(CAST(unixepoch(created_at, 'subsec') * 1000 AS INTEGER), CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER))), 9, 4) || '-7' || substr(hex(randomblob(2)), 2, 3) || '-'
        || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)));
CREATE UNIQUE INDEX risk_uid ON risk(uid);
CREATE TRIGGER risk_uid AFTER INSERT ON risk WHEN NEW.uid IS NULL
BEGIN
    UPDATE risk SET uid = lower(substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 1, 8) || '-' || substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 9, 4) || '-7' || substr(hex(randomblob(2)), 2, 3) || '-'
        || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)))
    WHERE rowid = NEW.rowid;
END;

ALTER TABLE release_gate ADD COLUMN uid TEXT;
UPDATE release_gate SET uid = lower(substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 1, 8) || '-' || substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 9, 4) || '-7' || substr(hex(randomblob(2)), 2, 3) || '-'
        || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)));
CREATE UNIQUE INDEX release_gate_uid ON release_gate(uid);
CREATE TRIGGER release_gate_uid AFTER INSERT ON release_gate WHEN NEW.uid IS NULL
BEGIN
    UPDATE release_gate SET uid = lower(substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 1, 8) || '-' || substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 9, 4) || '-7' || substr(hex(randomblob(2)), 2, 3) || '-'
        || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)))
    WHERE rowid = NEW.rowid;
END;

ALTER TABLE release_notes ADD COLUMN uid TEXT;
UPDATE release_notes SET uid = lower(substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 1, 8) || '-' || substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 9, 4) || '-7' || substr(hex(randomblob(2)), 2, 3) || '-'
        || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)));
CREATE UNIQUE INDEX release_notes_uid ON release_notes(uid);
CREATE TRIGGER release_notes_uid AFTER INSERT ON release_notes WHEN NEW.uid IS NULL
BEGIN
    UPDATE release_notes SET uid = lower(substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 1, 8) || '-' || substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 9, 4) || '-7' || substr(hex(randomblob(2)), 2, 3) || '-'
        || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)))
    WHERE rowid = NEW.rowid;
END;

ALTER TABLE notes_override ADD COLUMN uid TEXT;
UPDATE notes_override SET uid = lower(substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 1, 8) || '-' || substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 9, 4) || '-7' || substr(hex(randomblob(2)), 2, 3) || '-'
        || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)));
CREATE UNIQUE INDEX notes_override_uid ON notes_override(uid);
CREATE TRIGGER notes_override_uid AFTER INSERT ON notes_override WHEN NEW.uid IS NULL
BEGIN
    UPDATE notes_override SET uid = lower(substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 1, 8) || '-' || substr(printf('%012x', CAST(unixepoch('now', 'subsec') * 1000 AS INTEGER)), 9, 4) || '-7' || substr(hex(randomblob(2)), 2, 3) || '-'
        || substr('89ab', 1 + (random() & 3), 1) || substr(hex(randomblob(2)), 2, 3) || '-' || hex(randomblob(6)))
    WHERE rowid = NEW.rowid;
END;
