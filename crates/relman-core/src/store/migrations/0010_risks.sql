-- The risk register, suggestions dismissed per release, and each product's gate threshold and
-- suggestion rules.

CREATE TABLE risk (
    id          INTEGER PRIMARY KEY,
    product_id  INTEGER NOT NULL REFERENCES product(id) ON DELETE CASCADE,
    -- NULL: the risk is product-wide.
    release_id  INTEGER REFERENCES release(id) ON DELETE CASCADE,
    title       TEXT NOT NULL CHECK (title <> ''),
    description TEXT NOT NULL DEFAULT '',
    category    TEXT NOT NULL CHECK (category IN
                ('technical', 'schedule', 'security', 'compliance', 'operational', 'people', 'external')),
    likelihood  INTEGER NOT NULL CHECK (likelihood BETWEEN 1 AND 5),
    impact      INTEGER NOT NULL CHECK (impact BETWEEN 1 AND 5),
    -- Derived by SQLite itself, so it can never disagree with its factors.
    score       INTEGER GENERATED ALWAYS AS (likelihood * impact) VIRTUAL,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN
                ('open', 'mitigating', 'accepted', 'closed', 'occurred')),
    owner       TEXT NOT NULL DEFAULT '',
    mitigation  TEXT NOT NULL DEFAULT '',
    contingency TEXT NOT NULL DEFAULT '',
    trigger     TEXT NOT NULL DEFAULT '',
    review_date TEXT,
    -- The suggestion rule it was accepted from, if any (so the rule stops suggesting it).
    suggestion  TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

CREATE INDEX risk_product ON risk(product_id, release_id);

CREATE TABLE risk_dismissal (
    release_id INTEGER NOT NULL REFERENCES release(id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    actor      TEXT NOT NULL,
    at         TEXT NOT NULL,
    PRIMARY KEY (release_id, kind)
) STRICT;

ALTER TABLE product ADD COLUMN risk_threshold INTEGER NOT NULL DEFAULT 15 CHECK (risk_threshold BETWEEN 1 AND 25);
-- JSON of the suggestion rules; '{}' means the defaults.
ALTER TABLE product ADD COLUMN risk_rules TEXT NOT NULL DEFAULT '{}';

-- The gate rule "no live risk at or above the product's threshold lacks a mitigation".
ALTER TABLE release_gate ADD COLUMN risks_mitigated INTEGER NOT NULL DEFAULT 0 CHECK (risks_mitigated IN (0, 1));
