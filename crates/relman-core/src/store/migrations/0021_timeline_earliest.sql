-- How far back the timeline goes (its "Earlier" button): the first release's creation, found in the
-- index rather than by reading every release.
CREATE INDEX release_created ON release(created_at);
