//! A quick look at one document before it is ingested: can it be read, what
//! kind it is, how many pages and chunks it makes, and if not, why not.
//!
//! It runs the same parser and chunker as the ingest (so what it says is what
//! the build will do) but embeds and stores nothing: it answers in the time a
//! person takes to drop the next file.

use std::path::Path;

use serde::Serialize;

use crate::chunk::chunk_document;
use crate::error::ParseError;
use crate::ingest::IngestOptions;
use crate::parse::{Loc, parse_file};

/// What the ingest will make of one file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentCheck {
    /// `pdf`, `docx`, … (see `DocKind::as_str`); `None` when unreadable.
    pub kind: Option<String>,
    /// Pages of a PDF or slides of a presentation; `None` for flowing text.
    pub pages: Option<u32>,
    /// Rows of a spreadsheet or CSV.
    pub rows: Option<u64>,
    pub chunks: usize,
    /// Characters of text found.
    pub chars: usize,
    /// Things worth knowing that do not stop the file being used.
    pub notes: Vec<String>,
    /// Why the file cannot be used: a stable code and a sentence.
    pub failure: Option<CheckFailure>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckFailure {
    /// `empty`, `corrupt`, `encrypted`, `no_text`, `too_large`, `unsupported`…
    pub code: String,
    pub message: String,
}

impl DocumentCheck {
    fn failed(err: &ParseError) -> Self {
        Self {
            kind: None,
            pages: None,
            rows: None,
            chunks: 0,
            chars: 0,
            notes: Vec::new(),
            failure: Some(CheckFailure { code: err.kind_code().into(), message: err.to_string() }),
        }
    }

    pub fn is_usable(&self) -> bool {
        self.failure.is_none()
    }
}

/// Parses and chunks `path` the way the ingest would.
pub fn check_document(path: &Path, opts: &IngestOptions) -> DocumentCheck {
    let doc = match parse_file(path, &opts.limits) {
        Ok(doc) => doc,
        Err(err) => return DocumentCheck::failed(&err),
    };
    let chunks = chunk_document(&doc, &opts.chunk);
    let mut pages = None;
    let mut rows = None;
    for block in &doc.blocks {
        match block.loc {
            Loc::Page(n) | Loc::Slide(n) => pages = Some(pages.unwrap_or(0).max(n)),
            Loc::Row { row, .. } => rows = Some(rows.unwrap_or(0) + u64::from(row > 1)),
            Loc::Para(_) => {}
        }
    }
    DocumentCheck {
        kind: Some(doc.kind.as_str().to_owned()),
        pages,
        rows,
        chunks: chunks.len(),
        chars: doc.blocks.iter().map(|b| b.text.chars().count()).sum(),
        notes: doc.notes,
        failure: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(name: &str, bytes: &[u8]) -> DocumentCheck {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        check_document(&path, &IngestOptions::default())
    }

    #[test]
    fn a_readable_document_reports_its_chunks() {
        let text = "# Projects\n\nI led the customs integration in 2023. It cut clearance time by a third.\n";
        let c = check("notes.md", text.as_bytes());
        assert!(c.is_usable(), "{c:?}");
        assert_eq!(c.kind.as_deref(), Some("markdown"));
        assert_eq!(c.chunks, 1);
        assert!(c.chars > 40);
        assert_eq!(c.pages, None);
    }

    #[test]
    fn a_csv_counts_its_data_rows() {
        let c = check("budget.csv", b"item,amount\nrent,1200\nfood,300\n");
        assert!(c.is_usable(), "{c:?}");
        assert_eq!(c.rows, Some(2));
    }

    #[test]
    fn broken_and_empty_files_say_why() {
        let empty = check("empty.txt", b"");
        assert_eq!(empty.failure.as_ref().map(|f| f.code.as_str()), Some("empty"));
        let broken = check("report.pdf", b"%PDF-1.7\n\x00\x01 not really a pdf");
        let failure = broken.failure.expect("a broken PDF is not usable");
        assert!(!failure.message.is_empty());
        assert_eq!(broken.chunks, 0);
    }

    #[test]
    fn a_missing_file_is_a_failure_not_a_panic() {
        let c = check_document(Path::new("/nonexistent/alter/file.pdf"), &IngestOptions::default());
        assert!(!c.is_usable());
    }
}
