-- The learned persona: every build stores a new revision of the profile
-- (JSON of alter_persona::PersonaProfile); the newest revision is the live one.
CREATE TABLE persona_profiles (
    revision        INTEGER PRIMARY KEY AUTOINCREMENT,
    format_version  INTEGER NOT NULL,
    profile_json    TEXT NOT NULL,
    created_at      TEXT NOT NULL
) STRICT;

-- The "sounds like me" classifier trained at build time, one per profile revision.
CREATE TABLE persona_style_models (
    revision    INTEGER PRIMARY KEY REFERENCES persona_profiles (revision) ON DELETE CASCADE,
    model       BLOB NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;

-- Self-test report cards, newest last (JSON of alter_persona::selftest::ReportCard).
CREATE TABLE persona_reports (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    report_json  TEXT NOT NULL,
    created_at   TEXT NOT NULL
) STRICT;
