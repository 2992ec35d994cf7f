//! Sentence boundaries in a token stream, so speech can start on the first
//! sentence while the rest is still being written.
//!
//! Text is pushed as it arrives; a sentence is released once its end is
//! certain: after `.`/`!`/`?` followed by whitespace (not a decimal point
//! nor a common abbreviation), or after a full-width `。！？`, with any
//! citation markers right after the terminator ("…2021.[1]") kept in the
//! sentence they belong to. Released sentences carry their markers; the
//! spoken form drops them.

use crate::cite::spoken_form;

const ABBREVIATIONS: &[&str] =
    &["e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "dr", "prof", "a.m", "p.m", "approx", "no"];

/// A complete sentence of the answer.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Sentence {
    /// 0-based position in the answer.
    pub index: usize,
    /// As written, with citation markers.
    pub text: String,
    /// For speech: markers removed, whitespace tidied.
    pub spoken: String,
}

/// Incremental splitter. Push text with [`SentenceSplitter::push`], then
/// call [`SentenceSplitter::finish`] for the remainder.
#[derive(Debug, Default)]
pub struct SentenceSplitter {
    buf: String,
    next_index: usize,
    /// Minimum characters before a boundary is accepted; avoids speaking "1." alone.
    min_chars: usize,
    /// Sources the answer can cite: a bracketed number beyond them between
    /// two words is a quantity, spoken ([`spoken_form`]).
    sources: usize,
}

impl SentenceSplitter {
    pub fn new() -> Self {
        Self::for_sources(usize::MAX)
    }

    /// A splitter for an answer that cites up to `sources` sources.
    pub fn for_sources(sources: usize) -> Self {
        Self { buf: String::new(), next_index: 0, min_chars: 4, sources }
    }

    /// Adds streamed text; returns the sentences completed by it.
    pub fn push(&mut self, text: &str) -> Vec<Sentence> {
        self.buf.push_str(text);
        let mut out = Vec::new();
        while let Some(end) = self.boundary() {
            let s: String = self.buf.drain(..end).collect();
            if let Some(sentence) = self.make(&s) {
                out.push(sentence);
            }
        }
        out
    }

    /// The rest of the text as a final sentence, if any.
    pub fn finish(&mut self) -> Option<Sentence> {
        let s = std::mem::take(&mut self.buf);
        self.make(&s)
    }

    fn make(&mut self, raw: &str) -> Option<Sentence> {
        let text = raw.trim().to_owned();
        let spoken = spoken_form(&text, self.sources).split_whitespace().collect::<Vec<_>>().join(" ");
        if !spoken.chars().any(char::is_alphanumeric) {
            return None;
        }
        let s = Sentence { index: self.next_index, text, spoken };
        self.next_index += 1;
        Some(s)
    }

    /// Byte offset just past a certain sentence end in the buffer.
    fn boundary(&self) -> Option<usize> {
        let b = &self.buf;
        let chars: Vec<(usize, char)> = b.char_indices().collect();
        for (k, &(i, c)) in chars.iter().enumerate() {
            let full_width = matches!(c, '。' | '！' | '？');
            let half = matches!(c, '.' | '!' | '?');
            let newline_para = c == '\n' && chars.get(k + 1).is_some_and(|(_, n)| *n == '\n');
            if !(full_width || half || newline_para) {
                continue;
            }
            if b[..i].chars().filter(|ch| ch.is_alphanumeric()).count() < self.min_chars && !newline_para {
                continue;
            }
            // Absorb closing quotes and citation markers after the terminator.
            let mut j = i + c.len_utf8();
            let rest = &b[j..];
            let absorbed = absorb_markers(rest)?; // None: a marker is still arriving
            j += absorbed;
            let after = b[j..].chars().next();
            if half {
                match after {
                    None => return None, // cannot know yet: "3." may become "3.0"
                    Some(n) if !n.is_whitespace() => continue,
                    _ => {}
                }
                if c == '.' && is_abbreviation(&b[..i]) {
                    continue;
                }
            }
            if full_width && after.is_none() && absorbed == 0 {
                // A marker may still follow "。"; wait for one more piece.
                return None;
            }
            return Some(j);
        }
        None
    }
}

/// Length of closing quotes and `[n]` markers at the start of `rest`;
/// `None` when `rest` ends inside a marker that may still be completing.
fn absorb_markers(rest: &str) -> Option<usize> {
    let mut n = 0;
    loop {
        let r = &rest[n..];
        if let Some(c) = r.chars().next().filter(|c| matches!(c, '"' | '”' | '’' | ')' | '）' | '」')) {
            n += c.len_utf8();
            continue;
        }
        if r.starts_with('[') || r.starts_with('【') {
            let open = if r.starts_with('[') { 1 } else { '【'.len_utf8() };
            let body: String = r[open..].chars().take_while(|c| c.is_ascii_digit() || *c == ',' || *c == ' ').collect();
            let after = &r[open + body.len()..];
            if after.is_empty() {
                return None;
            }
            if !body.trim().is_empty() && (after.starts_with(']') || after.starts_with('】')) {
                let close = if after.starts_with(']') { 1 } else { '】'.len_utf8() };
                n += open + body.len() + close;
                continue;
            }
        }
        return Some(n);
    }
}

fn is_abbreviation(before: &str) -> bool {
    let word: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '.')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let w = word.to_lowercase();
    ABBREVIATIONS.contains(&w.as_str()) || (w.chars().count() == 1 && w.chars().all(char::is_alphabetic))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(pieces: &[&str]) -> Vec<String> {
        let mut s = SentenceSplitter::new();
        let mut out: Vec<String> = pieces.iter().flat_map(|p| s.push(p)).map(|x| x.text).collect();
        out.extend(s.finish().map(|x| x.text));
        out
    }

    #[test]
    fn splits_streams() {
        assert_eq!(
            run(&[
                "I joined Bluefin in Sept",
                "ember 2021.",
                "[1] My team has four ",
                "engineers",
                ". Version 3",
                ".0 shipped."
            ]),
            vec!["I joined Bluefin in September 2021.[1]", "My team has four engineers.", "Version 3.0 shipped."]
        );
        assert_eq!(
            run(&["需求评审每两周一次。", "[1]", "发布窗口是周四。"]),
            vec!["需求评审每两周一次。[1]", "发布窗口是周四。"]
        );
        assert_eq!(
            run(&["We start at 5 a.m. with gloves on. Done"]),
            vec!["We start at 5 a.m. with gloves on.", "Done"]
        );
        assert_eq!(run(&["Really?! Yes."]), vec!["Really?!", "Yes."]);
        assert!(run(&["", "  ", "[1]"]).is_empty());
    }

    #[test]
    fn first_sentence_released_before_the_end() {
        let mut s = SentenceSplitter::new();
        assert!(s.push("I own the Dispatch Planner product.").is_empty(), "must wait for what follows the dot");
        let first = s.push(" Next");
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].spoken, "I own the Dispatch Planner product.");
        assert_eq!(s.finish().map(|x| x.index), Some(1));
    }

    #[test]
    fn spoken_form_drops_markers() {
        let mut s = SentenceSplitter::new();
        let out = s.push("It shipped on 4 March 2025 [2][3]. Then");
        assert_eq!(out[0].spoken, "It shipped on 4 March 2025.");
    }
}
