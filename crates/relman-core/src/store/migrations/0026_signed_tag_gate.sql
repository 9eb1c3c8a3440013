-- A gate may want the release's tag signed by a key the repository's allowed-signers file lists.
ALTER TABLE release_gate ADD COLUMN tag_signed INTEGER NOT NULL DEFAULT 0 CHECK (tag_signed IN (0, 1));
