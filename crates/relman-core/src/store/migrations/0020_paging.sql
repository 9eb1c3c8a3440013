-- Keyset paging: each long listing walks an index in its own order and stops after a page, instead
-- of sorting every row (ten years of a release office: 5,000 releases, 50,000 risks).

-- The Releases view: undated first, then newest target (or ship) day first; all products, or one.
CREATE INDEX release_plan ON release(COALESCE(target_date, actual_date, '~') DESC, id DESC);
CREATE INDEX release_product_plan ON release(product_id, COALESCE(target_date, actual_date, '~') DESC, id DESC);

-- The timeline's window: releases that end on or after its first day, by target or by ship day.
CREATE INDEX release_shipped ON release(actual_date);
CREATE INDEX milestone_start ON milestone(planned_start);

-- The register in its default order, highest score first (the expression is the one the query sorts by).
CREATE INDEX risk_product_score ON risk(product_id, printf('%02d', score) DESC, id DESC);
