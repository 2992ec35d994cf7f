-- Knowledge: a twin's documents, their chunks with embedding vectors, and
-- two full-text indexes over the chunks (owned by crate alter-knowledge).
--
-- A document row exists for every file seen, also for files that failed
-- (status 'failed', with the error shown to the user). A file's chunks are
-- written in the same transaction as its document row, so a crash never
-- leaves a half-indexed file.

CREATE TABLE kn_documents (
    id            INTEGER PRIMARY KEY,
    -- The file's path relative to the documents folder, as the user named it.
    file_name     TEXT NOT NULL UNIQUE,
    path          TEXT NOT NULL,
    content_hash  TEXT NOT NULL,
    kind          TEXT,
    size          INTEGER NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('ready', 'failed')),
    error_code    TEXT,
    error         TEXT,
    -- Warnings that did not stop the file (text cap reached, misleading extension).
    notes         TEXT NOT NULL DEFAULT '',
    chunk_count   INTEGER NOT NULL DEFAULT 0,
    -- Parser and chunker version: a newer Alter re-reads older entries.
    pipeline      INTEGER NOT NULL,
    -- The embedding model of this document's vectors ('' when it has none).
    embedder      TEXT NOT NULL DEFAULT '',
    ingested_at   TEXT NOT NULL
) STRICT;

CREATE TABLE kn_chunks (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES kn_documents (id) ON DELETE CASCADE,
    ord          INTEGER NOT NULL,
    heading      TEXT NOT NULL,
    location     TEXT NOT NULL,
    text         TEXT NOT NULL,
    tokens       INTEGER NOT NULL,
    -- L2-normalised f32 little-endian embedding of heading + text.
    vector       BLOB NOT NULL,
    UNIQUE (document_id, ord)
) STRICT;

-- Words: Chinese pre-segmented with jieba, everything else by unicode61.
CREATE VIRTUAL TABLE kn_fts USING fts5 (body, tokenize = 'unicode61 remove_diacritics 2');
-- Character trigrams of the raw text, for comparison and substring search.
CREATE VIRTUAL TABLE kn_fts_tri USING fts5 (body, tokenize = 'trigram');

CREATE TRIGGER kn_chunks_delete AFTER DELETE ON kn_chunks BEGIN
    DELETE FROM kn_fts WHERE rowid = old.id;
    DELETE FROM kn_fts_tri WHERE rowid = old.id;
END;
