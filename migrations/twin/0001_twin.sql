-- A twin's own database. Later migrations add documents and chunks
-- (01xx), conversations and memory (02xx), persona and build state (03xx),
-- voice profile (04xx).
CREATE TABLE twin_meta (
    key    TEXT PRIMARY KEY NOT NULL,
    value  TEXT NOT NULL
) STRICT;
