//! Markdown: headings (ATX `#` and setext underlines) open sections; blank
//! lines separate paragraphs; fenced code stays together; list items and
//! table rows stay with their paragraph. Line-based, so nesting cannot
//! overflow anything.

use super::{Loc, Role, Sink};

pub(crate) fn parse(text: &str, sink: &mut Sink) {
    let lines: Vec<&str> = text.lines().collect();
    let mut para = String::new();
    let mut n = 0u32;
    let mut in_fence: Option<&str> = None;
    let mut i = 0;
    let flush = |para: &mut String, n: &mut u32, sink: &mut Sink| -> bool {
        let ok = if para.trim().is_empty() {
            true
        } else {
            *n += 1;
            sink.push(para, Role::Para, Loc::Para(*n))
        };
        para.clear();
        ok
    };
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        i += 1;
        if let Some(fence) = in_fence {
            if trimmed.starts_with(fence) {
                in_fence = None;
                if !flush(&mut para, &mut n, sink) {
                    return;
                }
            } else {
                para.push_str(line);
                para.push('\n');
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            if !flush(&mut para, &mut n, sink) {
                return;
            }
            in_fence = Some(&trimmed[..3]);
            continue;
        }
        if let Some((level, title)) = atx_heading(trimmed) {
            if !flush(&mut para, &mut n, sink) {
                return;
            }
            n += 1;
            if !sink.push(title, Role::Heading(level), Loc::Para(n)) {
                return;
            }
            continue;
        }
        // Setext: a single-line paragraph underlined with === or ---.
        if !para.is_empty() && !para.trim_end().contains('\n') && is_setext(trimmed) {
            let level = if trimmed.starts_with('=') { 1 } else { 2 };
            let title = std::mem::take(&mut para);
            n += 1;
            if !sink.push(&title, Role::Heading(level), Loc::Para(n)) {
                return;
            }
            continue;
        }
        if trimmed.is_empty() {
            if !flush(&mut para, &mut n, sink) {
                return;
            }
            continue;
        }
        para.push_str(clean_inline(line.trim_end()).as_str());
        para.push('\n');
    }
    flush(&mut para, &mut n, sink);
}

fn atx_heading(line: &str) -> Option<(u8, &str)> {
    let hashes = line.bytes().take_while(|b| *b == b'#').count();
    if !(1..=6).contains(&hashes) {
        return None;
    }
    let rest = &line[hashes..];
    if !rest.is_empty() && !rest.starts_with(' ') && !rest.starts_with('\t') {
        return None;
    }
    let title = rest.trim().trim_end_matches('#').trim();
    (!title.is_empty()).then_some((hashes as u8, title))
}

fn is_setext(line: &str) -> bool {
    let t = line.trim();
    t.len() >= 2 && (t.bytes().all(|b| b == b'=') || t.bytes().all(|b| b == b'-'))
}

/// Drops emphasis markers and link targets that only add noise to search.
fn clean_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' | '_' if chars.peek() == Some(&c) => {
                chars.next();
            }
            // [text](url) keeps the text.
            ']' if chars.peek() == Some(&'(') => {
                for c2 in chars.by_ref() {
                    if c2 == ')' {
                        break;
                    }
                }
            }
            '[' | '`' => {}
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_and_paragraphs() {
        let md = "# Maya\n\nProduct **manager** since 2021.\nSecond line.\n\n## Team\nFour [engineers](http://x).\n\nSub\n---\n```\ncode # not heading\n```\n";
        let mut sink = Sink::new(10_000);
        parse(md, &mut sink);
        let got: Vec<(Role, &str)> = sink.blocks.iter().map(|b| (b.role, b.text.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (Role::Heading(1), "Maya"),
                (Role::Para, "Product manager since 2021.\nSecond line."),
                (Role::Heading(2), "Team"),
                (Role::Para, "Four engineers."),
                (Role::Heading(2), "Sub"),
                (Role::Para, "code # not heading"),
            ]
        );
    }
}
