//! Documents to cited knowledge: parsers, structure-aware chunking,
//! embeddings, and the hybrid retrieval store.
//!
//! The flow is [`ingest::ingest_folder`]: walk a folder → [`parse`] each file
//! into located blocks → [`chunk`] them along their structure → [`embed`]
//! the chunks → [`store`] them (documents, chunks, vectors, full-text) in the
//! twin's SQLite database, one transaction per file. [`retrieve`] answers
//! queries by fusing BM25 (FTS5) with exact cosine similarity over an
//! in-memory matrix. [`bench`] measures all of it.
//!
//! Architecture invariant: this crate never talks to the network and never
//! blocks an async task with parsing or inference; a file's chunks are
//! either all in the database or none are.

pub mod bench;
pub mod bm25;
pub mod check;
pub mod chunk;
pub mod embed;
pub mod error;
pub mod ingest;
pub mod parse;
pub mod retrieve;
pub mod segment;
pub mod store;
pub mod synth;
pub mod vocabulary;

pub use check::{CheckFailure, DocumentCheck, check_document};
pub use chunk::{Chunk, ChunkOptions};
pub use embed::{Embedder, EmbedderOptions, Precision};
pub use error::{KnowledgeError, ParseError};
pub use ingest::{FileFailure, IngestOptions, IngestReport, ingest_folder};
pub use parse::{DocKind, ParseLimits, ParsedDoc};
pub use retrieve::{Hit, KnowledgeIndex, SearchMode, SearchOptions, search};
pub use vocabulary::Vocabulary;
