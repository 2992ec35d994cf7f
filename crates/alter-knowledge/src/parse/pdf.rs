//! PDF: the text layer, page by page.
//!
//! `lopdf` loads the file first, so damaged, truncated and encrypted files
//! are told apart with their own messages (an empty user password is tried,
//! as every viewer does). Text comes from `pdf-extract`, which maps fonts
//! through their ToUnicode tables and keeps reading order and spacing far
//! better than `lopdf`'s own `extract_text` (see `bench::compare_pdf`); if it
//! fails or panics on a page, `lopdf`'s extractor fills in. A PDF whose pages
//! hold (almost) no text is a scan: we say so instead of indexing nothing.

use std::panic::{AssertUnwindSafe, catch_unwind};

use super::{Loc, Role, Sink};
use crate::error::ParseError;

pub(crate) fn parse(bytes: &[u8], sink: &mut Sink) -> Result<(), ParseError> {
    let pages = extract_pages(bytes)?;
    let chars: usize = pages.iter().map(|p| p.chars().filter(|c| !c.is_whitespace()).count()).sum();
    if chars < 16 * pages.len().clamp(1, 4) {
        return Err(ParseError::NoText);
    }
    for (i, page) in pages.iter().enumerate() {
        for para in paragraphs(page) {
            if !sink.push(&para, Role::Para, Loc::Page(i as u32 + 1)) {
                return Ok(());
            }
        }
    }
    Ok(())
}

/// Text of every page, in page order (pdf-extract, lopdf as fallback).
pub(crate) fn extract_pages(bytes: &[u8]) -> Result<Vec<String>, ParseError> {
    let doc = load(bytes)?;
    let page_count = doc.get_pages().len();
    if page_count == 0 {
        return Err(ParseError::corrupt("PDF", "it has no pages"));
    }
    let mut pages = catch_unwind(AssertUnwindSafe(|| pdf_extract::extract_text_from_mem_by_pages(bytes)))
        .ok()
        .and_then(Result::ok)
        .unwrap_or_default();
    pages.truncate(page_count);
    for n in pages.len()..page_count {
        pages.push(lopdf_page_text(&doc, n as u32 + 1));
    }
    Ok(pages)
}

/// Loads with lopdf, classifying failures.
pub(crate) fn load(bytes: &[u8]) -> Result<lopdf::Document, ParseError> {
    let loaded = catch_unwind(AssertUnwindSafe(|| lopdf::Document::load_mem(bytes)))
        .map_err(|_| ParseError::corrupt("PDF", "the reader could not make sense of it"))?;
    let mut doc = match loaded {
        Ok(doc) => doc,
        Err(e) => {
            let msg = e.to_string();
            let lower = msg.to_ascii_lowercase();
            if lower.contains("decrypt") || lower.contains("encrypt") || lower.contains("password") {
                return Err(ParseError::Encrypted { kind: "PDF" });
            }
            return Err(ParseError::corrupt("PDF", msg));
        }
    };
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(ParseError::Encrypted { kind: "PDF" });
    }
    Ok(doc)
}

pub(crate) fn lopdf_page_text(doc: &lopdf::Document, page: u32) -> String {
    catch_unwind(AssertUnwindSafe(|| doc.extract_text(&[page]).unwrap_or_default())).unwrap_or_default()
}

/// Splits page text on blank lines and re-joins hard-wrapped lines.
fn paragraphs(page: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in page.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if !cur.is_empty() {
            let joins_cjk = cur.chars().last().is_some_and(crate::chunk::is_cjk)
                && line.chars().next().is_some_and(crate::chunk::is_cjk);
            if cur.ends_with('-') && line.chars().next().is_some_and(char::is_lowercase) {
                cur.pop();
            } else if !joins_cjk {
                cur.push(' ');
            }
        }
        cur.push_str(line);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}
