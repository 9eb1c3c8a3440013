-- The timeline: the first plan of each milestone and release (to show slippage), and freeze windows.

ALTER TABLE milestone ADD COLUMN baseline_start TEXT;
ALTER TABLE milestone ADD COLUMN baseline_end TEXT;
UPDATE milestone SET baseline_start = planned_start, baseline_end = planned_end;

ALTER TABLE release ADD COLUMN baseline_target TEXT;
UPDATE release SET baseline_target = target_date;

CREATE TABLE freeze_window (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date   TEXT NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    CHECK (end_date >= start_date)
) STRICT;

-- A window with no rows here applies to every product.
CREATE TABLE freeze_window_product (
    window_id  INTEGER NOT NULL REFERENCES freeze_window(id) ON DELETE CASCADE,
    product_id INTEGER NOT NULL REFERENCES product(id) ON DELETE CASCADE,
    PRIMARY KEY (window_id, product_id)
) STRICT;
