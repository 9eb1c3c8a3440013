-- The timeline's window, for days long past: whether a release had a milestone planned by the window's
-- last day is one seek in this index, not a read of each of its milestones. It also serves every
-- lookup of a release's milestones, which the index it replaces did.
CREATE INDEX milestone_release_start ON milestone(release_id, planned_start);
DROP INDEX milestone_release;

-- How far back the timeline goes (its "Earlier" button): the first release's creation, found in the
-- index rather than by reading every release.
CREATE INDEX release_created ON release(created_at);
