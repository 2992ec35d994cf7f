-- Conversations with the twin and what users told it about themselves.
-- Turns are kept per session; a session wipe deletes its turns and the
-- facts learned in it.
CREATE TABLE conversation_turns (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id  TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('user', 'twin')),
    text        TEXT NOT NULL,
    lang        TEXT NOT NULL DEFAULT 'en',
    emotion     TEXT,
    -- JSON array of alter_brain::Citation, twin turns only.
    citations   TEXT NOT NULL DEFAULT '[]',
    declined    INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX conversation_turns_session ON conversation_turns (session_id, id);

-- Facts a user stated about themselves ("I'm Wang Lei from compliance").
-- Kept across sessions only when the owner allows it (see alter_brain::memory).
CREATE TABLE memory_facts (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id  TEXT NOT NULL,
    kind        TEXT NOT NULL,
    value       TEXT NOT NULL,
    sentence    TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (session_id, kind, value)
) STRICT;
CREATE INDEX memory_facts_session ON memory_facts (session_id);
