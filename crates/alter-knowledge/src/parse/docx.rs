//! Word documents (DOCX): paragraphs, headings and tables, in reading order.
//!
//! Headings are recognised by style: the style's name ("heading 2", "Title",
//! also in documents whose style ids are localised, e.g. Chinese "1", "2")
//! or its outline level. Table rows become "header: value" records when the
//! table has a header row, so a number can be found by its label. Text boxes
//! nest paragraphs inside paragraphs; a stack keeps them apart.

use std::collections::HashMap;

use super::xml::{Ev, as_text, attr, walk};
use super::zipread::ZipDoc;
use super::{Loc, ParseLimits, Role, Sink, squash_ws};
use crate::error::ParseError;

pub(crate) fn parse(bytes: &[u8], limits: &ParseLimits, sink: &mut Sink) -> Result<(), ParseError> {
    let mut zip = ZipDoc::open(bytes, "Word", limits.max_unzipped_bytes)?;
    let styles = match zip.read("word/styles.xml")? {
        Some(xml) => heading_styles(&as_text(&xml))?,
        None => HashMap::new(),
    };
    let doc = zip.read("word/document.xml")?.ok_or_else(|| ParseError::corrupt("Word", "no word/document.xml"))?;
    let xml = as_text(&doc);
    let mut w = DocWalker { styles: &styles, sink, paras: Vec::new(), tables: Vec::new(), in_t: false, n: 0 };
    walk(&xml, "Word", |ev| w.event(ev))
}

/// Style id → heading level, from `word/styles.xml`.
fn heading_styles(xml: &str) -> Result<HashMap<String, u8>, ParseError> {
    let mut map = HashMap::new();
    let mut id: Option<String> = None;
    walk(xml, "Word", |ev| {
        match ev {
            Ev::Start { name: "style", el, .. } => id = attr(el, "styleId"),
            Ev::Start { name: "name", el, .. } => {
                if let (Some(id), Some(name)) = (&id, attr(el, "val"))
                    && let Some(level) = level_from_name(&name)
                {
                    map.insert(id.clone(), level);
                }
            }
            Ev::Start { name: "outlineLvl", el, .. } => {
                if let (Some(id), Some(lvl)) = (&id, attr(el, "val").and_then(|v| v.parse::<u8>().ok()))
                    && lvl < 9
                {
                    map.entry(id.clone()).or_insert(lvl + 1);
                }
            }
            Ev::End { name: "style" } => id = None,
            _ => {}
        }
        true
    })?;
    Ok(map)
}

fn level_from_name(name: &str) -> Option<u8> {
    let lower = name.to_ascii_lowercase();
    if lower == "title" {
        return Some(1);
    }
    let rest = lower.strip_prefix("heading").or_else(|| name.strip_prefix("标题"))?;
    rest.trim().parse::<u8>().ok().filter(|l| (1..=9).contains(l))
}

struct Para {
    text: String,
    level: Option<u8>,
}

struct Table {
    rows: Vec<Vec<String>>,
    cells: Vec<String>,
    cell: Option<String>,
}

struct DocWalker<'s> {
    styles: &'s HashMap<String, u8>,
    sink: &'s mut Sink,
    paras: Vec<Para>,
    tables: Vec<Table>,
    in_t: bool,
    n: u32,
}

impl DocWalker<'_> {
    fn event(&mut self, ev: Ev<'_, '_>) -> bool {
        match ev {
            Ev::Start { name, el, .. } => match name {
                "p" => self.paras.push(Para { text: String::new(), level: None }),
                "pStyle" => {
                    if let (Some(p), Some(id)) = (self.paras.last_mut(), attr(el, "val")) {
                        p.level = self.styles.get(&id).copied().or_else(|| level_from_name(&id));
                    }
                }
                "outlineLvl" => {
                    if let (Some(p), Some(lvl)) =
                        (self.paras.last_mut(), attr(el, "val").and_then(|v| v.parse::<u8>().ok()))
                        && lvl < 9
                    {
                        p.level = Some(lvl + 1);
                    }
                }
                "t" => self.in_t = true,
                "tab" => self.push_text("\t"),
                "br" | "cr" => self.push_text("\n"),
                "tbl" => self.tables.push(Table { rows: Vec::new(), cells: Vec::new(), cell: None }),
                "tr" => {
                    if let Some(t) = self.tables.last_mut() {
                        t.cells.clear();
                    }
                }
                "tc" => {
                    if let Some(t) = self.tables.last_mut() {
                        t.cell = Some(String::new());
                    }
                }
                _ => {}
            },
            Ev::Text(text) => {
                if self.in_t {
                    self.push_text(text);
                }
            }
            Ev::End { name } => match name {
                "t" => self.in_t = false,
                "p" => {
                    if let Some(p) = self.paras.pop() {
                        return self.finish_para(p);
                    }
                }
                "tc" => {
                    if let Some(t) = self.tables.last_mut() {
                        let cell = t.cell.take().unwrap_or_default();
                        t.cells.push(squash_ws(&cell));
                    }
                }
                "tr" => {
                    if let Some(t) = self.tables.last_mut() {
                        let cells = std::mem::take(&mut t.cells);
                        if cells.iter().any(|c| !c.is_empty()) {
                            t.rows.push(cells);
                        }
                    }
                }
                "tbl" => {
                    if let Some(t) = self.tables.pop() {
                        return self.finish_table(t);
                    }
                }
                _ => {}
            },
        }
        true
    }

    fn push_text(&mut self, text: &str) {
        if let Some(p) = self.paras.last_mut() {
            p.text.push_str(text);
        }
    }

    fn finish_para(&mut self, p: Para) -> bool {
        // Inside a text box: join the outer paragraph.
        if let Some(outer) = self.paras.last_mut() {
            outer.text.push(' ');
            outer.text.push_str(&p.text);
            return true;
        }
        // Inside a table cell: join the cell.
        if let Some(cell) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
            if !cell.is_empty() {
                cell.push(' ');
            }
            cell.push_str(&p.text);
            return true;
        }
        self.n += 1;
        let role = match p.level {
            Some(level) if p.text.chars().count() <= 200 => Role::Heading(level),
            _ => Role::Para,
        };
        self.sink.push(&p.text, role, Loc::Para(self.n))
    }

    fn finish_table(&mut self, t: Table) -> bool {
        let rendered = render_rows(&t.rows);
        // A table nested in a cell joins that cell.
        if let Some(cell) = self.tables.last_mut().and_then(|t| t.cell.as_mut()) {
            for row in rendered {
                cell.push(' ');
                cell.push_str(&row);
            }
            return true;
        }
        for row in rendered {
            self.n += 1;
            if !self.sink.push(&row, Role::Row, Loc::Para(self.n)) {
                return false;
            }
        }
        true
    }
}

/// Renders table rows; with a header row, later rows become "header: value" pairs.
pub(crate) fn render_rows(rows: &[Vec<String>]) -> Vec<String> {
    let Some(header) = rows.first() else { return Vec::new() };
    let has_header = rows.len() > 1 && header.iter().all(|h| !h.is_empty() && h.chars().count() <= 60);
    let mut out = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        if has_header && i > 0 {
            let pairs: Vec<String> = row
                .iter()
                .enumerate()
                .filter(|(_, v)| !v.is_empty())
                .map(|(j, v)| match header.get(j) {
                    Some(h) => format!("{h}: {v}"),
                    None => v.clone(),
                })
                .collect();
            out.push(pairs.join("; "));
        } else {
            out.push(row.iter().filter(|c| !c.is_empty()).cloned().collect::<Vec<_>>().join(" | "));
        }
    }
    out
}
