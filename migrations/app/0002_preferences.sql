-- What the user chose on the Settings screen (language, microphone,
-- speaker), one JSON value per key, kept across restarts.
CREATE TABLE preferences (
    key         TEXT PRIMARY KEY NOT NULL,
    value       TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
