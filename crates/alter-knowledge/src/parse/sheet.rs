//! Spreadsheets and CSV: each row becomes a "column: value; …" record.
//!
//! Rendering rows with their column names lets a number be found by its
//! label ("Antwerp … vans: 35"). Rows are numbered as the user sees them:
//! the header is row 1. CSV is read record by record (never all rows at
//! once) and reading stops when the document's text cap is reached, so a
//! million-row file costs bounded memory and time.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use super::docx::render_rows;
use super::zipread::ZipDoc;
use super::{Loc, ParseLimits, Role, Sink, squash_ws};
use crate::error::ParseError;

/// Picks the most frequent of `,` `;` `\t` `|` on the first lines.
pub(crate) fn sniff_delimiter(text: &str) -> u8 {
    let head: String = text.lines().take(5).collect::<Vec<_>>().join("\n");
    [b',', b';', b'\t', b'|']
        .into_iter()
        .max_by_key(|d| head.bytes().filter(|b| b == d).count() * 4 + usize::from(*d == b','))
        .unwrap_or(b',')
}

pub(crate) fn parse_csv(text: &str, delimiter: u8, sink: &mut Sink) -> Result<(), ParseError> {
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut header: Option<Vec<String>> = None;
    let mut record = csv::StringRecord::new();
    let mut row = 0u64;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(ParseError::corrupt("CSV", e)),
        }
        row += 1;
        let cells: Vec<String> = record.iter().map(squash_ws).collect();
        if row == 1 && looks_like_header(&cells) {
            header = Some(cells);
            continue;
        }
        let text = render_record(header.as_deref(), &cells);
        if !sink.push(&text, Role::Row, Loc::Row { sheet: None, row }) {
            break;
        }
    }
    Ok(())
}

pub(crate) fn parse_xlsx(bytes: &[u8], limits: &ParseLimits, sink: &mut Sink) -> Result<(), ParseError> {
    // calamine inflates parts itself; refuse archives that claim to be huge
    // and bound the real inflation by reading the sheets through our budget first.
    let mut zip = ZipDoc::open(bytes, "Excel", limits.max_unzipped_bytes)?;
    if zip.declared_size() > limits.max_unzipped_bytes {
        return Err(ParseError::ZipBomb { kind: "Excel", limit: limits.max_unzipped_bytes });
    }
    for name in zip.names() {
        if name.starts_with("xl/") && name.ends_with(".xml") {
            zip.read(&name)?;
        }
    }
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| xlsx_error(&e))?;
    let names = book.sheet_names().to_vec();
    let many = names.len() > 1;
    for name in names {
        let range = book.worksheet_range(&name).map_err(|e| xlsx_error(&e))?;
        let first_row = range.start().map(|(r, _)| r as u64).unwrap_or(0);
        if many && !sink.push(&name, Role::Heading(1), Loc::Row { sheet: Some(name.clone()), row: first_row + 1 }) {
            return Ok(());
        }
        let mut header: Option<Vec<String>> = None;
        for (i, cells) in range.rows().enumerate() {
            let cells: Vec<String> = cells.iter().map(cell_text).collect();
            if cells.iter().all(String::is_empty) {
                continue;
            }
            let row = first_row + i as u64 + 1;
            if header.is_none() && looks_like_header(&cells) {
                header = Some(cells);
                continue;
            }
            let text = render_record(header.as_deref(), &cells);
            let sheet = many.then(|| name.clone());
            if !sink.push(&text, Role::Row, Loc::Row { sheet, row }) {
                return Ok(());
            }
        }
    }
    Ok(())
}

fn xlsx_error(e: &calamine::XlsxError) -> ParseError {
    let msg = e.to_string();
    if msg.to_ascii_lowercase().contains("password") || msg.to_ascii_lowercase().contains("encrypt") {
        ParseError::Encrypted { kind: "Excel" }
    } else {
        ParseError::corrupt("Excel", msg)
    }
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        other => squash_ws(&other.to_string()),
    }
}

/// A header row: every cell filled, none a number.
fn looks_like_header(cells: &[String]) -> bool {
    cells.len() > 1
        && cells.iter().all(|c| !c.is_empty() && c.chars().count() <= 60)
        && cells.iter().all(|c| c.parse::<f64>().is_err())
}

fn render_record(header: Option<&[String]>, cells: &[String]) -> String {
    match header {
        Some(h) => render_rows(&[h.to_vec(), cells.to_vec()]).pop().unwrap_or_default(),
        None => cells.iter().filter(|c| !c.is_empty()).cloned().collect::<Vec<_>>().join(" | "),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_are_labelled_records() {
        let mut sink = Sink::new(10_000);
        parse_csv("depot,city,vans\nD01,Rotterdam,42\nD02,Antwerp,35\n", b',', &mut sink).unwrap();
        let rows: Vec<(String, Loc)> = sink.blocks.into_iter().map(|b| (b.text, b.loc)).collect();
        assert_eq!(rows[1], ("depot: D02; city: Antwerp; vans: 35".to_string(), Loc::Row { sheet: None, row: 3 }));
        assert_eq!(sniff_delimiter("a;b;c\n1;2;3"), b';');
    }

    #[test]
    fn million_rows_stop_at_the_cap_quickly() {
        let mut csv = String::from("id,name,amount\n");
        for i in 0..1_000_000 {
            csv.push_str(&format!("{i},customer {i},{}\n", i % 977));
        }
        let t = std::time::Instant::now();
        let mut sink = Sink::new(2_000_000);
        parse_csv(&csv, b',', &mut sink).unwrap();
        assert!(sink.truncated);
        assert!(sink.blocks.len() > 10_000 && sink.blocks.len() < 100_000, "{}", sink.blocks.len());
        assert!(t.elapsed().as_secs() < 20);
    }
}
