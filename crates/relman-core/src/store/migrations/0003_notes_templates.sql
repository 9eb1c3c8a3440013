-- A product's own release-notes templates, one per text format, replacing the built-in ones.

CREATE TABLE notes_template (
    product_id INTEGER NOT NULL REFERENCES product(id) ON DELETE CASCADE,
    format     TEXT NOT NULL CHECK (format IN ('md', 'html', 'txt')),
    source     TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (product_id, format)
) STRICT;
