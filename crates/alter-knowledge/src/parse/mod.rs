//! Documents in, structured text blocks out.
//!
//! [`parse_file`] reads one file, detects its type by content (magic bytes,
//! zip member names, then the extension as a hint), and returns a
//! [`ParsedDoc`]: an ordered list of [`Block`]s (headings, paragraphs, table
//! rows), each with the exact place it came from (page, slide, row, paragraph).
//!
//! Invariants: no parser panics on hostile input (the PDF text extractor,
//! a third-party crate, is additionally isolated with `catch_unwind`); no
//! parser recurses on document nesting; every zip member is read through a
//! byte budget; the text kept per document is capped (`max_text_chars`), and a
//! note says so when the cap cut a document short.

mod detect;
mod docx;
mod html;
mod markdown;
mod pdf;
mod pptx;
mod sheet;
mod text;
mod xml;
mod zipread;

use std::path::Path;

pub use detect::{DocKind, detect_kind};
pub use text::decode_text;

use crate::error::ParseError;

/// Bounds that protect the ingest from huge and hostile files.
#[derive(Debug, Clone, PartialEq)]
pub struct ParseLimits {
    /// Files larger than this are refused without being read.
    pub max_file_bytes: u64,
    /// Total bytes a zip-based document (DOCX, PPTX, XLSX) may unpack to.
    pub max_unzipped_bytes: u64,
    /// Characters of text kept per document; the rest is dropped with a note.
    pub max_text_chars: usize,
}

impl Default for ParseLimits {
    fn default() -> Self {
        Self { max_file_bytes: 200 << 20, max_unzipped_bytes: 256 << 20, max_text_chars: 2_000_000 }
    }
}

/// Where a block sits in its document, 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Loc {
    /// Page of a PDF.
    Page(u32),
    /// Slide of a presentation.
    Slide(u32),
    /// Row of a spreadsheet or CSV (the header is row 1); `sheet` for workbooks.
    Row { sheet: Option<String>, row: u64 },
    /// Paragraph (block) number of a flowing document (DOCX, Markdown, HTML, text).
    Para(u32),
}

/// What a block is, which decides how the chunker treats it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A heading of the given level (1 = top); it opens a new section.
    Heading(u8),
    /// Running text.
    Para,
    /// One table or spreadsheet row, already rendered as "column: value" pairs.
    Row,
}

/// One unit of text with its role and place.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub text: String,
    pub role: Role,
    pub loc: Loc,
}

/// The result of parsing one file.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedDoc {
    pub kind: DocKind,
    pub blocks: Vec<Block>,
    /// Warnings for the user (text cap reached, type differs from extension…).
    pub notes: Vec<String>,
}

/// Collects blocks while enforcing the text cap.
#[derive(Debug)]
pub(crate) struct Sink {
    pub blocks: Vec<Block>,
    chars: usize,
    max_chars: usize,
    pub truncated: bool,
}

impl Sink {
    pub fn new(max_chars: usize) -> Self {
        Self { blocks: Vec::new(), chars: 0, max_chars, truncated: false }
    }

    /// Adds a block unless it is blank; returns false once the cap is reached
    /// so that parsers can stop reading early.
    pub fn push(&mut self, text: &str, role: Role, loc: Loc) -> bool {
        if self.truncated {
            return false;
        }
        let text = text.trim();
        if text.is_empty() {
            return true;
        }
        let n = text.chars().count();
        if self.chars + n > self.max_chars {
            self.truncated = true;
            return false;
        }
        self.chars += n;
        self.blocks.push(Block { text: text.to_owned(), role, loc });
        true
    }
}

/// Reads and parses one file, refusing files above `limits.max_file_bytes`
/// before reading them.
pub fn parse_file(path: &Path, limits: &ParseLimits) -> Result<ParsedDoc, ParseError> {
    let size = std::fs::metadata(path)?.len();
    if size > limits.max_file_bytes {
        return Err(ParseError::TooLarge { size, limit: limits.max_file_bytes });
    }
    let bytes = std::fs::read(path)?;
    parse_bytes(&bytes, path, limits)
}

/// Parses an in-memory file; `name` supplies the extension hint.
pub fn parse_bytes(bytes: &[u8], name: &Path, limits: &ParseLimits) -> Result<ParsedDoc, ParseError> {
    if bytes.is_empty() {
        return Err(ParseError::Empty);
    }
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(ParseError::TooLarge { size: bytes.len() as u64, limit: limits.max_file_bytes });
    }
    let ext = name.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let kind = detect_kind(bytes, &ext)?;
    let mut notes = Vec::new();
    if let Some(expected) = DocKind::from_extension(&ext)
        && expected != kind
        && !(expected.is_plain() && kind.is_plain())
    {
        notes.push(format!("the file is named .{ext} but contains {}; it was read as {}", kind.label(), kind.label()));
    }
    let mut sink = Sink::new(limits.max_text_chars);
    match kind {
        DocKind::Pdf => pdf::parse(bytes, &mut sink)?,
        DocKind::Docx => docx::parse(bytes, limits, &mut sink)?,
        DocKind::Pptx => pptx::parse(bytes, limits, &mut sink)?,
        DocKind::Xlsx => sheet::parse_xlsx(bytes, limits, &mut sink)?,
        DocKind::Csv => {
            let text = decode_text(bytes)?;
            let delimiter = if ext == "tsv" { b'\t' } else { sheet::sniff_delimiter(&text) };
            sheet::parse_csv(&text, delimiter, &mut sink)?
        }
        DocKind::Markdown => markdown::parse(&decode_text(bytes)?, &mut sink),
        DocKind::Html => html::parse(&decode_text(bytes)?, &mut sink),
        DocKind::Text => text::parse_plain(&decode_text(bytes)?, &mut sink),
    }
    if sink.truncated {
        notes.push(format!(
            "only the first {} characters of this document were indexed; split it into smaller files to index the rest",
            limits.max_text_chars
        ));
    }
    if sink.blocks.is_empty() {
        return Err(match kind {
            DocKind::Pdf => ParseError::NoText,
            _ => ParseError::Empty,
        });
    }
    Ok(ParsedDoc { kind, blocks: sink.blocks, notes })
}

/// Collapses runs of whitespace to single spaces (keeps text on one line).
pub(crate) fn squash_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Page texts from pdf-extract (for comparisons); `None` when it fails.
pub fn pdf_pages_pdf_extract(bytes: &[u8]) -> Option<Vec<String>> {
    std::panic::catch_unwind(|| pdf_extract::extract_text_from_mem_by_pages(bytes)).ok()?.ok()
}

/// Page texts from lopdf's own extractor (for comparisons); `None` when it fails.
pub fn pdf_pages_lopdf(bytes: &[u8]) -> Option<Vec<String>> {
    let doc = pdf::load(bytes).ok()?;
    let n = doc.get_pages().len() as u32;
    Some((1..=n).map(|p| pdf::lopdf_page_text(&doc, p)).collect())
}
