-- The timeline's rows, found in an index: each release keeps the days its row spans, so the timeline
-- can count and order the releases a window touches without reading their milestones, and read the
-- milestones of the rows on screen only.
--
--   bar_start  where its bar starts: its creation, or its first planned milestone if earlier;
--   day_first  the first day anything on its row is drawn (a milestone's first plan may be earlier);
--   day_last   the last: its bar's end (the ship day, else the target), its milestones' ends and
--              first plans, and its first-plan target.
--
-- The view computes them for one release; triggers keep them current whichever door writes (the
-- app, the CLI, an import, a shared plan).

ALTER TABLE release ADD COLUMN bar_start TEXT;
ALTER TABLE release ADD COLUMN day_first TEXT;
ALTER TABLE release ADD COLUMN day_last TEXT;

CREATE VIEW release_days AS
SELECT id,
       min(created, COALESCE(first_planned, created)) AS bar_start,
       min(created, COALESCE(first_planned, created), COALESCE(first_baseline, created)) AS day_first,
       max(created, COALESCE(shipped_or_target, ''), COALESCE(baseline_target, ''), COALESCE(last_day, '')) AS day_last
  FROM (SELECT r.id,
               substr(r.created_at, 1, 10) AS created,
               COALESCE(r.actual_date, r.target_date) AS shipped_or_target,
               r.baseline_target,
               (SELECT min(planned_start) FROM milestone WHERE release_id = r.id) AS first_planned,
               (SELECT min(baseline_start) FROM milestone WHERE release_id = r.id) AS first_baseline,
               (SELECT max(max(planned_start, COALESCE(planned_end, ''), COALESCE(baseline_start, '')))
                  FROM milestone WHERE release_id = r.id) AS last_day
          FROM release r);

UPDATE release SET (bar_start, day_first, day_last) =
    (SELECT bar_start, day_first, day_last FROM release_days d WHERE d.id = release.id);

CREATE TRIGGER release_days_insert AFTER INSERT ON release
BEGIN
    UPDATE release SET (bar_start, day_first, day_last) =
        (SELECT bar_start, day_first, day_last FROM release_days d WHERE d.id = NEW.id) WHERE id = NEW.id;
END;

CREATE TRIGGER release_days_update AFTER UPDATE OF created_at, target_date, actual_date, baseline_target ON release
BEGIN
    UPDATE release SET (bar_start, day_first, day_last) =
        (SELECT bar_start, day_first, day_last FROM release_days d WHERE d.id = NEW.id) WHERE id = NEW.id;
END;

CREATE TRIGGER milestone_days_insert AFTER INSERT ON milestone
BEGIN
    UPDATE release SET (bar_start, day_first, day_last) =
        (SELECT bar_start, day_first, day_last FROM release_days d WHERE d.id = NEW.release_id) WHERE id = NEW.release_id;
END;

CREATE TRIGGER milestone_days_update AFTER UPDATE OF release_id, planned_start, planned_end, baseline_start ON milestone
BEGIN
    UPDATE release SET (bar_start, day_first, day_last) =
        (SELECT bar_start, day_first, day_last FROM release_days d WHERE d.id = release.id)
     WHERE id IN (OLD.release_id, NEW.release_id);
END;

CREATE TRIGGER milestone_days_delete AFTER DELETE ON milestone
BEGIN
    UPDATE release SET (bar_start, day_first, day_last) =
        (SELECT bar_start, day_first, day_last FROM release_days d WHERE d.id = OLD.release_id) WHERE id = OLD.release_id;
END;

-- A window near today is found by its last day (few releases end after it), one long past by its
-- first (few start before it); both indexes hold what the count and the order need.
CREATE INDEX release_day_last ON release(day_last, day_first, product_id, status, bar_start);
CREATE INDEX release_day_first ON release(day_first, day_last, product_id, status, bar_start);
