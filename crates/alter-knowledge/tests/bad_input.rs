//! Broken, hostile, huge and mislabelled files: each gets a clear error (or
//! is read for what it really is), never a panic, a hang or unbounded memory.

mod common;

use std::io::Write;

use alter_knowledge::parse::{parse_bytes, parse_file};
use alter_knowledge::{DocKind, ParseError, ParseLimits};
use common::fixture;

fn parse_named(bytes: &[u8], name: &str) -> Result<alter_knowledge::ParsedDoc, ParseError> {
    parse_bytes(bytes, std::path::Path::new(name), &ParseLimits::default())
}

#[test]
fn truncated_pdf_is_corrupt() {
    let pdf = std::fs::read(fixture("handbook.pdf")).unwrap();
    for cut in [pdf.len() / 2, 200, 9] {
        let err = parse_named(&pdf[..cut], "cut.pdf").unwrap_err();
        assert!(matches!(err, ParseError::Corrupt { .. } | ParseError::NoText), "cut at {cut}: {err:?}");
        assert!(err.to_string().contains("PDF"), "{err}");
    }
}

#[test]
fn corrupt_pdf_is_corrupt() {
    let mut pdf = std::fs::read(fixture("handbook.pdf")).unwrap();
    // Overwrite the middle, including the object streams, with noise.
    let mid = pdf.len() / 4;
    for (i, b) in pdf[mid..].iter_mut().enumerate() {
        *b = (i.wrapping_mul(2_654_435_761) >> 7) as u8;
    }
    let err = parse_named(&pdf, "noise.pdf").unwrap_err();
    assert!(matches!(err, ParseError::Corrupt { .. } | ParseError::NoText), "{err:?}");
    let err = parse_named(b"%PDF-1.7\nthis is not really a pdf at all", "fake.pdf").unwrap_err();
    assert!(matches!(err, ParseError::Corrupt { .. }), "{err:?}");
}

#[test]
fn encrypted_pdf_says_so() {
    let err = parse_file(&fixture("encrypted.pdf"), &ParseLimits::default()).unwrap_err();
    assert!(matches!(err, ParseError::Encrypted { .. }), "{err:?}");
    assert!(err.to_string().contains("password"), "{err}");
}

#[test]
fn scanned_pdf_says_no_text_and_no_ocr() {
    let err = parse_file(&fixture("scanned.pdf"), &ParseLimits::default()).unwrap_err();
    assert!(matches!(err, ParseError::NoText), "{err:?}");
    assert!(err.to_string().contains("no text found") && err.to_string().contains("OCR is not available"), "{err}");
}

#[test]
fn docx_zip_bomb_is_refused() {
    // 300 MB of zeros deflate to about 300 KB; the default budget is 256 MB.
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("[Content_Types].xml", opts).unwrap();
        zip.write_all(b"<Types/>").unwrap();
        zip.start_file("word/document.xml", opts).unwrap();
        let block = vec![b' '; 1 << 20];
        for _ in 0..300 {
            zip.write_all(&block).unwrap();
        }
        zip.finish().unwrap();
    }
    let bytes = buf.into_inner();
    assert!(bytes.len() < 2 << 20, "{}", bytes.len());
    let err = parse_named(&bytes, "bomb.docx").unwrap_err();
    assert!(matches!(err, ParseError::ZipBomb { .. }), "{err:?}");
}

#[test]
fn empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.pdf");
    std::fs::write(&path, b"").unwrap();
    assert!(matches!(parse_file(&path, &ParseLimits::default()), Err(ParseError::Empty)));
    assert!(matches!(parse_named(b"   \n\n  ", "blank.txt"), Err(ParseError::Empty)));
}

#[test]
fn two_gigabyte_file_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.pdf");
    let file = std::fs::File::create(&path).unwrap();
    file.set_len(2 << 30).unwrap(); // Sparse: no disk used.
    let t = std::time::Instant::now();
    let err = parse_file(&path, &ParseLimits::default()).unwrap_err();
    assert!(matches!(err, ParseError::TooLarge { size, .. } if size == 2 << 30), "{err:?}");
    assert!(t.elapsed().as_secs() < 2);
    // The limit is configurable.
    let small = ParseLimits { max_file_bytes: 10, ..ParseLimits::default() };
    std::fs::write(&path, b"more than ten bytes").unwrap();
    assert!(matches!(parse_file(&path, &small), Err(ParseError::TooLarge { .. })));
}

#[test]
fn pdf_that_is_really_html_is_read_as_html() {
    let doc = parse_named(b"<!DOCTYPE html><html><body><p>Quarterly numbers are up.</p></body></html>", "report.pdf")
        .unwrap();
    assert_eq!(doc.kind, DocKind::Html);
    assert_eq!(doc.blocks[0].text, "Quarterly numbers are up.");
    assert!(doc.notes.iter().any(|n| n.contains(".pdf") && n.contains("HTML")), "{:?}", doc.notes);
}

#[test]
fn binary_garbage_is_refused() {
    let garbage: Vec<u8> = (0..100_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 11) as u8).collect();
    for name in ["data.bin", "notes.txt", "slides.pptx", "sheet.csv"] {
        let err = parse_named(&garbage, name).unwrap_err();
        assert!(matches!(err, ParseError::Binary | ParseError::Unsupported(_)), "{name}: {err:?}");
    }
    assert!(matches!(parse_named(b"\x89PNG\r\n\x1a\n....", "photo.pdf"), Err(ParseError::Unsupported(_))));
    assert!(matches!(parse_named(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest", "old.doc"), Err(ParseError::Unsupported(_))));
}

#[test]
fn invalid_utf8_is_read() {
    let doc =
        parse_named(b"Budget review \xff\xfe\xfd moved to Friday.\n\nSecond \xc3 paragraph.", "notes.txt").unwrap();
    assert_eq!(doc.blocks.len(), 2);
    assert!(doc.blocks[0].text.contains("moved to Friday"));
}

#[test]
fn deeply_nested_html_does_not_overflow() {
    let depth = 100_000;
    let html = format!("<html><body>{}<p>bottom</p>{}</body></html>", "<div>".repeat(depth), "</div>".repeat(depth));
    // A small stack proves no recursion on nesting depth.
    let handle = std::thread::Builder::new()
        .stack_size(256 << 10)
        .spawn(move || parse_named(html.as_bytes(), "deep.html").map(|d| d.blocks.len()))
        .unwrap();
    assert_eq!(handle.join().unwrap().unwrap(), 1);
}

#[test]
fn million_row_csv_is_bounded() {
    let mut csv = String::with_capacity(40 << 20);
    csv.push_str("order,customer,amount\n");
    for i in 0..1_000_000u32 {
        csv.push_str(&format!("{i},customer {},{}\n", i % 5000, i % 977));
    }
    let t = std::time::Instant::now();
    let doc = parse_named(csv.as_bytes(), "orders.csv").unwrap();
    assert!(t.elapsed().as_secs() < 30, "{:?}", t.elapsed());
    let limits = ParseLimits::default();
    let chars: usize = doc.blocks.iter().map(|b| b.text.chars().count()).sum();
    assert!(chars <= limits.max_text_chars);
    assert!(doc.notes.iter().any(|n| n.contains("only the first")), "{:?}", doc.notes);
    assert_eq!(doc.blocks[0].text, "order: 0; customer: customer 0; amount: 0");
}

#[test]
fn truncated_office_files_are_corrupt() {
    for name in ["handbook.docx", "deck.pptx", "budget.xlsx"] {
        let bytes = std::fs::read(fixture(name)).unwrap();
        let err = parse_named(&bytes[..bytes.len() / 2], name).unwrap_err();
        assert!(matches!(err, ParseError::Corrupt { .. }), "{name}: {err:?}");
    }
}
