-- Checklist items that git or Relman's own records can prove. `evidence_check` is the check an item
-- carries (JSON: {"kind": "tag_exists", "pushed": true}, empty for none), shared with the plan.
ALTER TABLE checklist_item ADD COLUMN evidence_check TEXT NOT NULL DEFAULT '';

-- What an item's check last saw on this machine (JSON: passed, summary, seen, at). Kept beside the
-- item, not in it: each laptop reads its own clone, so this is not shared; its changes are kept in the
-- item's history (its audit events), which is.
CREATE TABLE checklist_evidence (
    item_id  INTEGER PRIMARY KEY REFERENCES checklist_item(id) ON DELETE CASCADE,
    evidence TEXT NOT NULL
);
