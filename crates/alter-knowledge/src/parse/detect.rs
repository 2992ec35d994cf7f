//! Tells a file's type by its content; the extension is only a tie-breaker.
//!
//! Order: PDF magic (anywhere in the first KiB, as readers allow), zip
//! containers told apart by their member names, old OLE2 Office files
//! (refused with advice), known binary formats, then text, where HTML is
//! recognised by its markup whatever the file is called.

use std::io::Cursor;

use crate::error::ParseError;

/// The document types Alter reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocKind {
    Pdf,
    Docx,
    Pptx,
    Xlsx,
    Csv,
    Markdown,
    Html,
    Text,
}

impl DocKind {
    /// Stable lowercase name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Pdf => "pdf",
            DocKind::Docx => "docx",
            DocKind::Pptx => "pptx",
            DocKind::Xlsx => "xlsx",
            DocKind::Csv => "csv",
            DocKind::Markdown => "markdown",
            DocKind::Html => "html",
            DocKind::Text => "text",
        }
    }

    pub(crate) fn label(self) -> &'static str {
        match self {
            DocKind::Pdf => "PDF",
            DocKind::Docx => "a Word document",
            DocKind::Pptx => "a PowerPoint presentation",
            DocKind::Xlsx => "an Excel workbook",
            DocKind::Csv => "CSV",
            DocKind::Markdown => "Markdown",
            DocKind::Html => "HTML",
            DocKind::Text => "plain text",
        }
    }

    /// The type an extension promises, if it names one we read.
    pub fn from_extension(ext: &str) -> Option<DocKind> {
        Some(match ext {
            "pdf" => DocKind::Pdf,
            "docx" | "docm" => DocKind::Docx,
            "pptx" | "pptm" => DocKind::Pptx,
            "xlsx" | "xlsm" => DocKind::Xlsx,
            "csv" | "tsv" => DocKind::Csv,
            "md" | "markdown" => DocKind::Markdown,
            "html" | "htm" | "xhtml" => DocKind::Html,
            "txt" | "text" | "log" => DocKind::Text,
            _ => return None,
        })
    }

    /// Text formats that can legitimately be read as one another.
    pub(crate) fn is_plain(self) -> bool {
        matches!(self, DocKind::Text | DocKind::Markdown | DocKind::Csv)
    }
}

/// Detects the type of `bytes`; `ext` is the lowercase extension without a dot.
pub fn detect_kind(bytes: &[u8], ext: &str) -> Result<DocKind, ParseError> {
    let head = &bytes[..bytes.len().min(1024)];
    if find(head, b"%PDF-").is_some() {
        return Ok(DocKind::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return detect_zip(bytes);
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        let encrypted: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes).collect();
        return Err(if find(bytes, &encrypted).is_some() {
            ParseError::Encrypted { kind: "Office" }
        } else {
            ParseError::Unsupported("an old Microsoft Office file (.doc, .xls or .ppt)".into())
        });
    }
    for (magic, what) in BINARY_MAGIC {
        if bytes.starts_with(magic) {
            return Err(ParseError::Unsupported((*what).into()));
        }
    }
    let by_ext = DocKind::from_extension(ext);
    match by_ext {
        Some(DocKind::Html) => return Ok(DocKind::Html),
        Some(k @ (DocKind::Markdown | DocKind::Csv)) if !looks_like_html(head) => return Ok(k),
        _ => {}
    }
    if looks_like_html(head) { Ok(DocKind::Html) } else { Ok(DocKind::Text) }
}

const BINARY_MAGIC: &[(&[u8], &str)] = &[
    (b"\x89PNG", "a PNG image"),
    (b"\xFF\xD8\xFF", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x7FELF", "a program"),
    (b"MZ", "a Windows program"),
    (b"\x1F\x8B", "a gzip archive"),
    (b"7z\xBC\xAF", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"{\\rtf", "an RTF document"),
    (b"RIFF", "an audio or video file"),
    (b"ID3", "an MP3 audio file"),
    (b"fLaC", "a FLAC audio file"),
    (b"OggS", "an Ogg audio file"),
    (b"SQLite format 3\0", "a SQLite database"),
];

fn detect_zip(bytes: &[u8]) -> Result<DocKind, ParseError> {
    let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ParseError::corrupt("zip", e))?;
    let has = |name: &str| archive.file_names().any(|n| n.eq_ignore_ascii_case(name));
    if has("word/document.xml") {
        Ok(DocKind::Docx)
    } else if has("ppt/presentation.xml") {
        Ok(DocKind::Pptx)
    } else if has("xl/workbook.xml") {
        Ok(DocKind::Xlsx)
    } else if has("content.xml") && has("mimetype") {
        Err(ParseError::Unsupported("an OpenDocument file (save it as .docx, .pptx or .xlsx)".into()))
    } else {
        Err(ParseError::Unsupported("a zip archive (unpack it into the documents folder)".into()))
    }
}

/// Markup at the start of the file that only HTML has.
fn looks_like_html(head: &[u8]) -> bool {
    // Skip a BOM and leading whitespace; compare case-insensitively.
    let start = head.iter().position(|b| !b.is_ascii_whitespace() && *b < 0x80).unwrap_or(head.len());
    let lower: Vec<u8> = head[start..].iter().map(u8::to_ascii_lowercase).collect();
    ["<!doctype html", "<html", "<head", "<body", "<meta ", "<title>", "<!-- "]
        .iter()
        .any(|tag| lower.starts_with(tag.as_bytes()))
        || (lower.starts_with(b"<") && find(&lower, b"<html").is_some())
}

pub(crate) fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_content_not_name() {
        assert_eq!(detect_kind(b"%PDF-1.4\n...", "txt").unwrap(), DocKind::Pdf);
        assert_eq!(detect_kind(b"<!DOCTYPE html><html><body>x", "pdf").unwrap(), DocKind::Html);
        assert_eq!(detect_kind(b"  <html lang=en>", "").unwrap(), DocKind::Html);
        assert_eq!(detect_kind(b"# Title\n\ntext", "md").unwrap(), DocKind::Markdown);
        assert_eq!(detect_kind(b"a,b\n1,2", "csv").unwrap(), DocKind::Csv);
        assert_eq!(detect_kind(b"hello", "weird").unwrap(), DocKind::Text);
        assert!(matches!(detect_kind(b"\x89PNG\r\n", "pdf"), Err(ParseError::Unsupported(_))));
        assert!(matches!(detect_kind(b"PK\x03\x04garbage", "docx"), Err(ParseError::Corrupt { .. })));
    }
}
