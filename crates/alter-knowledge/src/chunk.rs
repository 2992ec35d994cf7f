//! Structure-aware chunking with exact locations.
//!
//! Blocks are cut into sentences (English `.!?` followed by a space, Chinese
//! `。!?;` at once, and line breaks) and packed into chunks of about
//! `target_tokens`, never above `max_tokens`. A heading, a new slide, or a new
//! sheet always starts a new chunk, so a chunk never mixes sections; within
//! a section, consecutive chunks of prose share `overlap_tokens` of trailing
//! sentences. Table rows are never split or overlapped. Each chunk carries
//! its heading path and a location ("page 2", "pages 2-3", "slide 3",
//! "rows 2-3", "paragraphs 4-6") computed from the blocks it holds.

use crate::parse::{Block, Loc, ParsedDoc, Role};

/// Chunk sizes in (estimated) model tokens.
#[derive(Debug, Clone, PartialEq)]
pub struct ChunkOptions {
    pub target_tokens: usize,
    pub max_tokens: usize,
    pub overlap_tokens: usize,
}

impl Default for ChunkOptions {
    fn default() -> Self {
        Self { target_tokens: 260, max_tokens: 350, overlap_tokens: 40 }
    }
}

/// One retrievable, citable piece of a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    /// Position within the document, from 0.
    pub ord: u32,
    pub text: String,
    /// Heading path, outermost first, joined with " > " (empty when none).
    pub heading: String,
    /// Human-readable place: "page 2", "slide 3", "rows 2-3"…
    pub location: String,
    pub tokens: usize,
}

/// Whether `c` is a CJK ideograph or CJK punctuation (no spaces between words).
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3000..=0x303F | 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF |
        0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x2FA1F | 0xAC00..=0xD7AF)
}

/// A cheap, slightly generous estimate of model tokens: one per CJK
/// character, one per four letters of a word (at least one), one per
/// punctuation mark.
pub fn estimate_tokens(s: &str) -> usize {
    let (mut tokens, mut word_len) = (0usize, 0usize);
    for c in s.chars() {
        if c.is_alphanumeric() && !is_cjk(c) {
            word_len += 1;
            continue;
        }
        tokens += word_len.div_ceil(4);
        word_len = 0;
        if !c.is_whitespace() {
            tokens += 1;
        }
    }
    tokens + word_len.div_ceil(4)
}

/// Splits text into sentences, keeping their punctuation.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut iter = text.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let next = iter.peek().map(|(_, n)| *n);
        let end = i + c.len_utf8();
        let boundary = match c {
            // Chinese full stop, exclamation, question mark and semicolon end a sentence at once.
            '\u{3002}' | '\u{FF01}' | '\u{FF1F}' | '\u{FF1B}' | '\n' => true,
            '.' | '!' | '?' => next.is_none_or(char::is_whitespace) && !is_abbreviation(&text[start..i]),
            _ => false,
        };
        if boundary {
            // Keep closing quotes and brackets with the sentence.
            let mut end = end;
            while let Some(&(j, q)) = iter.peek() {
                if matches!(q, '"' | '\'' | ')' | '\u{201D}' | '\u{2019}' | '\u{300D}' | '\u{FF09}') {
                    end = j + q.len_utf8();
                    iter.next();
                } else {
                    break;
                }
            }
            push_trimmed(&mut out, &text[start..end]);
            start = end;
        }
    }
    push_trimmed(&mut out, &text[start..]);
    out
}

fn push_trimmed<'a>(out: &mut Vec<&'a str>, s: &'a str) {
    let s = s.trim();
    if !s.is_empty() {
        out.push(s);
    }
}

fn is_abbreviation(before: &str) -> bool {
    let last = before.rsplit(|c: char| c.is_whitespace()).next().unwrap_or("");
    let bare = last.trim_start_matches(['(', '"']);
    (bare.len() == 1 && bare.chars().all(|c| c.is_ascii_uppercase()))
        || ["e.g", "i.e", "etc", "vs", "Dr", "Mr", "Mrs", "Ms", "No", "Fig", "approx", "p", "pp"].contains(&bare)
}

/// One sentence (or row) waiting to be packed.
struct Unit {
    text: String,
    loc: Loc,
    tokens: usize,
    /// First unit of its block: joined with a newline, not a space.
    starts_block: bool,
    row: bool,
}

/// Cuts a parsed document into chunks.
pub fn chunk_document(doc: &ParsedDoc, opts: &ChunkOptions) -> Vec<Chunk> {
    let mut b = Builder { opts, out: Vec::new(), cur: Vec::new(), cur_tokens: 0, headings: Vec::new() };
    let mut container: Option<String> = None;
    for block in &doc.blocks {
        let key = container_key(&block.loc);
        if key != container {
            b.flush(false);
            container = key;
        }
        match block.role {
            Role::Heading(level) => {
                b.flush(false);
                b.headings.retain(|(l, _)| *l < level);
                b.headings.push((level, block.text.clone()));
            }
            Role::Row => b.add(Unit {
                tokens: estimate_tokens(&block.text),
                text: block.text.clone(),
                loc: block.loc.clone(),
                starts_block: true,
                row: true,
            }),
            Role::Para => add_para(&mut b, block),
        }
    }
    b.flush(false);
    b.out
}

fn add_para(b: &mut Builder<'_>, block: &Block) {
    let mut first = true;
    for sentence in sentences(&block.text) {
        for piece in hard_split(sentence, b.opts.max_tokens) {
            b.add(Unit {
                tokens: estimate_tokens(piece),
                text: piece.to_owned(),
                loc: block.loc.clone(),
                starts_block: first,
                row: false,
            });
            first = false;
        }
    }
}

/// Splits an over-long sentence at whitespace (or anywhere, for CJK) so no
/// piece exceeds `max` tokens.
fn hard_split(s: &str, max: usize) -> Vec<&str> {
    if estimate_tokens(s) <= max {
        return vec![s];
    }
    let mut out = Vec::new();
    let mut start = 0;
    let mut last_space = None;
    let mut tokens = 0usize;
    for (i, c) in s.char_indices() {
        tokens += usize::from(!c.is_whitespace());
        if c.is_whitespace() {
            last_space = Some(i);
        }
        // Counting characters over-counts Latin tokens, which only makes pieces smaller.
        if tokens >= max {
            let cut = last_space.filter(|&p| p > start).unwrap_or(i + c.len_utf8());
            push_trimmed(&mut out, &s[start..cut]);
            start = cut;
            tokens = 0;
            last_space = None;
        }
    }
    push_trimmed(&mut out, &s[start..]);
    out
}

/// Blocks with different keys never share a chunk.
fn container_key(loc: &Loc) -> Option<String> {
    match loc {
        Loc::Slide(n) => Some(format!("slide {n}")),
        Loc::Row { sheet, .. } => Some(format!("sheet {}", sheet.as_deref().unwrap_or(""))),
        Loc::Page(_) | Loc::Para(_) => None,
    }
}

struct Builder<'o> {
    opts: &'o ChunkOptions,
    out: Vec<Chunk>,
    cur: Vec<Unit>,
    cur_tokens: usize,
    headings: Vec<(u8, String)>,
}

impl Builder<'_> {
    fn add(&mut self, unit: Unit) {
        if !self.cur.is_empty() && self.cur_tokens + unit.tokens > self.opts.target_tokens {
            self.flush(!unit.row);
        }
        self.cur_tokens += unit.tokens;
        self.cur.push(unit);
    }

    /// Emits the current chunk; with `overlap`, trailing prose sentences seed the next.
    fn flush(&mut self, overlap: bool) {
        if self.cur.is_empty() {
            return;
        }
        let mut text = String::new();
        for (i, u) in self.cur.iter().enumerate() {
            if i > 0 {
                let prev_cjk = text.chars().last().is_some_and(is_cjk);
                let next_cjk = u.text.chars().next().is_some_and(is_cjk);
                if u.starts_block {
                    text.push('\n');
                } else if !(prev_cjk && next_cjk) {
                    text.push(' ');
                }
            }
            text.push_str(&u.text);
        }
        let heading = self.headings.iter().map(|(_, h)| h.as_str()).collect::<Vec<_>>().join(" > ");
        let location = describe(&self.cur[0].loc, &self.cur[self.cur.len() - 1].loc);
        self.out.push(Chunk { ord: self.out.len() as u32, text, heading, location, tokens: self.cur_tokens });
        let mut keep = Vec::new();
        if overlap {
            let mut budget = self.opts.overlap_tokens;
            let n = self.cur.len();
            while let Some(u) = self.cur.pop() {
                if u.row || u.tokens > budget || keep.len() + 1 >= n {
                    break;
                }
                budget -= u.tokens;
                keep.push(u);
            }
            keep.reverse();
        }
        self.cur = keep;
        self.cur_tokens = self.cur.iter().map(|u| u.tokens).sum();
    }
}

/// "page 2", "pages 2-3", "slide 4", "rows 2-3", "sheet Q1, rows 5-9", "paragraphs 1-4".
pub fn describe(first: &Loc, last: &Loc) -> String {
    fn span(word: &str, plural: &str, a: u64, b: u64) -> String {
        if a == b { format!("{word} {a}") } else { format!("{plural} {a}-{b}") }
    }
    match (first, last) {
        (Loc::Page(a), Loc::Page(b)) => span("page", "pages", *a as u64, *b as u64),
        (Loc::Slide(a), Loc::Slide(b)) => span("slide", "slides", *a as u64, *b as u64),
        (Loc::Row { sheet, row: a }, Loc::Row { row: b, .. }) => {
            let rows = span("row", "rows", *a, *b);
            match sheet {
                Some(s) => format!("sheet {s}, {rows}"),
                None => rows,
            }
        }
        (Loc::Para(a), Loc::Para(b)) => span("paragraph", "paragraphs", *a as u64, *b as u64),
        (first, _) => describe(first, first),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::DocKind;

    #[test]
    fn sentences_in_both_languages() {
        assert_eq!(
            sentences("It shipped on 4 March 2025. Dr. Smith agreed! Version 3.0 works? Yes"),
            vec!["It shipped on 4 March 2025.", "Dr. Smith agreed!", "Version 3.0 works?", "Yes"]
        );
        assert_eq!(
            sentences("需求评审每两周一次。发布窗口是周四\u{FF01}还有问题吗\u{FF1F}好"),
            vec!["需求评审每两周一次。", "发布窗口是周四\u{FF01}", "还有问题吗\u{FF1F}", "好"]
        );
    }

    fn doc(blocks: Vec<Block>) -> ParsedDoc {
        ParsedDoc { kind: DocKind::Text, blocks, notes: vec![] }
    }

    fn para(text: &str, loc: Loc) -> Block {
        Block { text: text.into(), role: Role::Para, loc }
    }

    #[test]
    fn sizes_overlap_and_locations() {
        let sentence = "The route planner cut planning time by six minutes per depot each morning.";
        let blocks: Vec<Block> = (1..=6).map(|p| para(&[sentence; 8].join(" "), Loc::Page(p))).collect();
        let opts = ChunkOptions::default();
        let chunks = chunk_document(&doc(blocks), &opts);
        assert!(chunks.len() >= 4, "{}", chunks.len());
        for c in &chunks {
            assert!(c.tokens <= opts.max_tokens, "{}", c.tokens);
            assert!(c.location.starts_with("page"), "{}", c.location);
        }
        assert_eq!(chunks[0].location, "pages 1-2");
        // Overlap: the next chunk starts with the previous one's last sentence.
        assert!(chunks[0].text.ends_with(sentence) && chunks[1].text.starts_with(sentence));
    }

    #[test]
    fn headings_slides_and_rows_split_chunks() {
        let blocks = vec![
            Block { text: "Plan".into(), role: Role::Heading(1), loc: Loc::Para(1) },
            para("Intro text.", Loc::Para(2)),
            Block { text: "Team".into(), role: Role::Heading(2), loc: Loc::Para(3) },
            para("Four engineers.", Loc::Para(4)),
            para("One designer.", Loc::Para(5)),
            para("Slide one.", Loc::Slide(1)),
            para("Slide two.", Loc::Slide(2)),
            Block { text: "depot: D01".into(), role: Role::Row, loc: Loc::Row { sheet: None, row: 2 } },
            Block { text: "depot: D02".into(), role: Role::Row, loc: Loc::Row { sheet: None, row: 3 } },
        ];
        let got: Vec<(String, String, String)> = chunk_document(&doc(blocks), &ChunkOptions::default())
            .into_iter()
            .map(|c| (c.heading, c.location, c.text))
            .collect();
        let want = [
            ("Plan", "paragraph 2", "Intro text."),
            ("Plan > Team", "paragraphs 4-5", "Four engineers.\nOne designer."),
            ("Plan > Team", "slide 1", "Slide one."),
            ("Plan > Team", "slide 2", "Slide two."),
            ("Plan > Team", "rows 2-3", "depot: D01\ndepot: D02"),
        ];
        let want: Vec<(String, String, String)> =
            want.iter().map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string())).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn huge_unbroken_text_is_split() {
        let blocks = vec![para(&"字".repeat(5000), Loc::Page(1)), para(&"x".repeat(50_000), Loc::Page(2))];
        let chunks = chunk_document(&doc(blocks), &ChunkOptions::default());
        assert!(chunks.len() >= 10);
        assert!(chunks.iter().all(|c| c.tokens <= 350));
    }
}
