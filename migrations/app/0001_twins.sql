-- The twin library. Each twin's documents, vectors, persona and
-- conversations live in the twin's own database (migrations/twin).
CREATE TABLE twins (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    role        TEXT NOT NULL DEFAULT '',
    greeting    TEXT NOT NULL DEFAULT '',
    -- TwinParams as JSON: tone, languages, declined topics, appearance.
    params      TEXT NOT NULL,
    -- Self-test score in [0, 1] from the last completed build.
    score       REAL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

CREATE INDEX twins_by_name ON twins (name COLLATE NOCASE);
