-- Who had last changed a checklist item before a deploy action, so undo restores that too.

ALTER TABLE checklist_action ADD COLUMN before_actor TEXT NOT NULL DEFAULT '';
