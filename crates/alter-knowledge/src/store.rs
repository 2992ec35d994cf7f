//! The knowledge tables in a twin's database (`migrations/twin/0100_knowledge.sql`).
//!
//! Invariants: a document and all its chunks, vectors and full-text rows
//! are written or removed in one transaction; every write bumps
//! `knowledge.generation` in `twin_meta` (in the same transaction) so that
//! in-memory indexes know when to reload; each document records the
//! embedding model its vectors came from.

use std::collections::HashMap;

use alter_store::sqlx::{self, Row, SqlitePool, sqlite::SqliteRow};

use crate::chunk::Chunk;
use crate::segment::index_text;

/// Version of parsing + chunking; bumping it re-reads every document once.
pub const PIPELINE_VERSION: i64 = 1;

const META_GENERATION: &str = "knowledge.generation";

/// One row of `kn_documents`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct DocumentRow {
    pub id: i64,
    pub file_name: String,
    pub path: String,
    pub content_hash: String,
    pub kind: Option<String>,
    pub size: i64,
    /// `ready` or `failed`.
    pub status: String,
    pub error_code: Option<String>,
    pub error: Option<String>,
    pub notes: String,
    pub chunk_count: i64,
    pub pipeline: i64,
    pub embedder: String,
    pub ingested_at: String,
}

/// A document about to be written.
#[derive(Debug, Clone)]
pub struct NewDocument<'a> {
    pub file_name: &'a str,
    pub path: &'a str,
    pub content_hash: &'a str,
    pub kind: Option<&'a str>,
    pub size: i64,
    /// `Some((code, message))` when the file failed.
    pub error: Option<(&'a str, String)>,
    pub notes: String,
    /// Id of the embedding model that made the vectors.
    pub embedder: &'a str,
}

/// A stored chunk with its document's name, for citing.
#[derive(Debug, Clone, PartialEq)]
pub struct ChunkRow {
    pub id: i64,
    pub file_name: String,
    pub location: String,
    pub heading: String,
    pub text: String,
}

/// Which full-text index to query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FtsIndex {
    /// jieba-segmented words (the default).
    Words,
    /// Character trigrams.
    Trigram,
}

fn doc_from_row(r: &SqliteRow) -> Result<DocumentRow, sqlx::Error> {
    Ok(DocumentRow {
        id: r.try_get("id")?,
        file_name: r.try_get("file_name")?,
        path: r.try_get("path")?,
        content_hash: r.try_get("content_hash")?,
        kind: r.try_get("kind")?,
        size: r.try_get("size")?,
        status: r.try_get("status")?,
        error_code: r.try_get("error_code")?,
        error: r.try_get("error")?,
        notes: r.try_get("notes")?,
        chunk_count: r.try_get("chunk_count")?,
        pipeline: r.try_get("pipeline")?,
        embedder: r.try_get("embedder")?,
        ingested_at: r.try_get("ingested_at")?,
    })
}

/// Every document, by file name.
pub async fn documents(pool: &SqlitePool) -> Result<Vec<DocumentRow>, sqlx::Error> {
    let rows = sqlx::query("SELECT * FROM kn_documents ORDER BY file_name").fetch_all(pool).await?;
    rows.iter().map(doc_from_row).collect()
}

/// Writes a document and its chunks, replacing any earlier version of the
/// same file, in one transaction. `vectors[i]` belongs to `chunks[i]`.
pub async fn write_document(
    pool: &SqlitePool,
    doc: &NewDocument<'_>,
    chunks: &[Chunk],
    vectors: &[Vec<f32>],
) -> Result<i64, sqlx::Error> {
    debug_assert_eq!(chunks.len(), vectors.len());
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM kn_documents WHERE file_name = ?").bind(doc.file_name).execute(&mut *tx).await?;
    let (status, code, error) = match &doc.error {
        Some((code, msg)) => ("failed", Some(*code), Some(msg.as_str())),
        None => ("ready", None, None),
    };
    let doc_id = sqlx::query(
        "INSERT INTO kn_documents (file_name, path, content_hash, kind, size, status, error_code, error, notes, \
         chunk_count, pipeline, embedder, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(doc.file_name)
    .bind(doc.path)
    .bind(doc.content_hash)
    .bind(doc.kind)
    .bind(doc.size)
    .bind(status)
    .bind(code)
    .bind(error)
    .bind(&doc.notes)
    .bind(chunks.len() as i64)
    .bind(PIPELINE_VERSION)
    .bind(doc.embedder)
    .bind(alter_store::now_rfc3339())
    .execute(&mut *tx)
    .await?
    .last_insert_rowid();
    for (chunk, vector) in chunks.iter().zip(vectors) {
        let id = sqlx::query(
            "INSERT INTO kn_chunks (document_id, ord, heading, location, text, tokens, vector) VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(doc_id)
        .bind(chunk.ord as i64)
        .bind(&chunk.heading)
        .bind(&chunk.location)
        .bind(&chunk.text)
        .bind(chunk.tokens as i64)
        .bind(vector_to_blob(vector))
        .execute(&mut *tx)
        .await?
        .last_insert_rowid();
        let body = searchable_text(doc.file_name, chunk);
        sqlx::query("INSERT INTO kn_fts (rowid, body) VALUES (?, ?)")
            .bind(id)
            .bind(index_text(&body))
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO kn_fts_tri (rowid, body) VALUES (?, ?)")
            .bind(id)
            .bind(&body)
            .execute(&mut *tx)
            .await?;
    }
    bump_generation(&mut tx).await?;
    tx.commit().await?;
    Ok(doc_id)
}

/// What is indexed for a chunk: the file's name and heading path give
/// context that the chunk's own sentences often leave implicit.
pub fn searchable_text(file_name: &str, chunk: &Chunk) -> String {
    let stem = std::path::Path::new(file_name).file_stem().and_then(|s| s.to_str()).unwrap_or(file_name);
    let stem = stem.replace(['_', '-'], " ");
    if chunk.heading.is_empty() {
        format!("{stem}\n{}", chunk.text)
    } else {
        format!("{stem} — {}\n{}", chunk.heading, chunk.text)
    }
}

/// Removes documents (and, by cascade and trigger, their chunks) by file name.
pub async fn remove_documents(pool: &SqlitePool, file_names: &[String]) -> Result<(), sqlx::Error> {
    if file_names.is_empty() {
        return Ok(());
    }
    let mut tx = pool.begin().await?;
    for name in file_names {
        sqlx::query("DELETE FROM kn_documents WHERE file_name = ?").bind(name).execute(&mut *tx).await?;
    }
    bump_generation(&mut tx).await?;
    tx.commit().await
}

async fn bump_generation(tx: &mut sqlx::Transaction<'_, sqlx::Sqlite>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO twin_meta (key, value) VALUES (?, '1') \
         ON CONFLICT (key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)",
    )
    .bind(META_GENERATION)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Changes with every write; 0 for a twin never ingested.
pub async fn generation(pool: &SqlitePool) -> Result<i64, sqlx::Error> {
    let v: Option<String> = sqlx::query_scalar("SELECT value FROM twin_meta WHERE key = ?")
        .bind(META_GENERATION)
        .fetch_optional(pool)
        .await?;
    Ok(v.and_then(|v| v.parse().ok()).unwrap_or(0))
}

/// All chunk ids and vectors as one row-major matrix.
pub async fn load_vectors(pool: &SqlitePool) -> Result<(Vec<i64>, usize, Vec<f32>), sqlx::Error> {
    let rows = sqlx::query("SELECT id, vector FROM kn_chunks ORDER BY id").fetch_all(pool).await?;
    let mut ids = Vec::with_capacity(rows.len());
    let mut dim = 0;
    let mut matrix = Vec::new();
    for row in &rows {
        let blob: Vec<u8> = row.try_get("vector")?;
        let n = blob.len() / 4;
        if dim == 0 {
            dim = n;
            matrix.reserve(dim * rows.len());
        }
        if n != dim || n == 0 {
            continue; // A vector of another model; the ingest re-embeds those.
        }
        ids.push(row.try_get("id")?);
        matrix.extend(blob.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])));
    }
    Ok((ids, dim, matrix))
}

/// How many chunks of the word index contain each term it holds.
/// Every chunk's body as the word index holds it (`index_text`), by chunk id.
pub async fn word_index_bodies(pool: &SqlitePool) -> Result<Vec<(i64, String)>, sqlx::Error> {
    let rows = sqlx::query("SELECT rowid, body FROM kn_fts ORDER BY rowid").fetch_all(pool).await?;
    rows.iter().map(|r| Ok((r.try_get::<i64, _>(0)?, r.try_get::<String, _>(1)?))).collect()
}

/// Best `limit` chunks by BM25 for an FTS5 MATCH expression, best first,
/// with positive scores (higher is better).
pub async fn bm25(
    pool: &SqlitePool,
    index: FtsIndex,
    match_expr: &str,
    limit: usize,
) -> Result<Vec<(i64, f32)>, sqlx::Error> {
    let sql = match index {
        FtsIndex::Words => "SELECT rowid, bm25(kn_fts) AS s FROM kn_fts WHERE kn_fts MATCH ? ORDER BY s LIMIT ?",
        FtsIndex::Trigram => {
            "SELECT rowid, bm25(kn_fts_tri) AS s FROM kn_fts_tri WHERE kn_fts_tri MATCH ? ORDER BY s LIMIT ?"
        }
    };
    let rows = sqlx::query(sql).bind(match_expr).bind(limit as i64).fetch_all(pool).await?;
    rows.iter().map(|r| Ok((r.try_get::<i64, _>(0)?, -(r.try_get::<f64, _>(1)? as f32)))).collect()
}

/// Chunks by id, with their document's file name.
pub async fn chunks_by_ids(pool: &SqlitePool, ids: &[i64]) -> Result<HashMap<i64, ChunkRow>, sqlx::Error> {
    let mut out = HashMap::with_capacity(ids.len());
    if ids.is_empty() {
        return Ok(out);
    }
    let placeholders = vec!["?"; ids.len()].join(",");
    let sql = format!(
        "SELECT c.id, d.file_name, c.location, c.heading, c.text FROM kn_chunks c \
         JOIN kn_documents d ON d.id = c.document_id WHERE c.id IN ({placeholders})"
    );
    let mut q = sqlx::query(&sql);
    for id in ids {
        q = q.bind(id);
    }
    for r in q.fetch_all(pool).await? {
        let row = ChunkRow {
            id: r.try_get(0)?,
            file_name: r.try_get(1)?,
            location: r.try_get(2)?,
            heading: r.try_get(3)?,
            text: r.try_get(4)?,
        };
        out.insert(row.id, row);
    }
    Ok(out)
}

/// Every chunk of every ready document, in document and reading order.
pub async fn all_chunks(pool: &SqlitePool) -> Result<Vec<ChunkRow>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT c.id, d.file_name, c.location, c.heading, c.text FROM kn_chunks c \
         JOIN kn_documents d ON d.id = c.document_id ORDER BY d.file_name, c.id",
    )
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(ChunkRow {
                id: r.try_get(0)?,
                file_name: r.try_get(1)?,
                location: r.try_get(2)?,
                heading: r.try_get(3)?,
                text: r.try_get(4)?,
            })
        })
        .collect()
}

pub fn vector_to_blob(v: &[f32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}
