-- Accepted security findings travel with a shared plan. Each acceptance's global id is derived from its
-- release and finding (by Relman, when it accepts), so two people accepting the same finding meet in one
-- shared file and merge, or conflict over the reason, instead of making two rows this table cannot hold.
ALTER TABLE security_acceptance ADD COLUMN uid TEXT;
UPDATE security_acceptance SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL;
CREATE UNIQUE INDEX security_acceptance_uid ON security_acceptance(uid);
