-- The audit log becomes a hash chain. Each event gets its place in the log (seq), the hash of the event
-- before it and its own hash: SHA-256 over a canonical encoding of its fields and that previous hash,
-- written by the core (store/audit.rs). An event edited, removed or reordered behind Relman's back no
-- longer matches, and `relman audit verify` names the first one.
--
-- Each event also names the product and release it concerns, when it concerns one, so that a
-- release's or a product's history is one indexed query.
--
-- Existing events are chained in their order right after this step, by the core (the hashes cannot be
-- computed in SQL), which then puts back the append-only trigger dropped here.

DROP TRIGGER audit_event_no_update;

ALTER TABLE audit_event ADD COLUMN seq INTEGER;
ALTER TABLE audit_event ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_event ADD COLUMN hash TEXT;
ALTER TABLE audit_event ADD COLUMN product_id INTEGER;
ALTER TABLE audit_event ADD COLUMN release_id INTEGER;

CREATE UNIQUE INDEX audit_seq ON audit_event(seq);
CREATE INDEX audit_release ON audit_event(release_id, seq);
CREATE INDEX audit_product ON audit_event(product_id, seq);
