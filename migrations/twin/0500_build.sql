-- Build checkpoints: a stage is recorded once it has finished, with a
-- fingerprint of its inputs. A build that crashed resumes after the last
-- recorded stage whose fingerprint still matches; a changed input reruns
-- that stage and every stage after it.
CREATE TABLE build_stages (
    stage        TEXT PRIMARY KEY NOT NULL,
    fingerprint  TEXT NOT NULL,
    seconds      REAL NOT NULL,
    -- The stage's result (counts, per-file outcomes, report card) as JSON.
    output       TEXT NOT NULL,
    finished_at  TEXT NOT NULL
) STRICT;
