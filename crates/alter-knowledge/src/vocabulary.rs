//! The names and terms of a twin's documents, for the speech recogniser.
//!
//! A question about the owner's work is full of the documents' own words:
//! product, company and place names, in-house terms. A general recogniser
//! hears "Bluefin" as "Broughin" and "Antwerp depot" as "artwork bebo";
//! given these words as its prompt it is biased toward them. Latin terms are
//! capitalised words and runs of them ("Dispatch Planner 3.0") that the
//! documents use more than once, or in a heading; Chinese terms are the
//! multi-character words of headings and the first words of their lines.

use std::collections::HashMap;

use crate::chunk::is_cjk;
use crate::segment::JIEBA;
use crate::store::ChunkRow;

/// What a recogniser prompt can carry: whisper keeps the last 224 tokens.
pub const MAX_TERMS: usize = 24;

/// The documents' terms, most frequent first, Latin and Chinese apart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vocabulary {
    pub latin: Vec<String>,
    pub chinese: Vec<String>,
}

impl Vocabulary {
    /// Collects the terms of `chunks` (at most [`MAX_TERMS`] of each kind).
    pub fn of(chunks: &[ChunkRow]) -> Vocabulary {
        let mut latin: HashMap<String, usize> = HashMap::new();
        let mut chinese: HashMap<String, usize> = HashMap::new();
        for chunk in chunks {
            // A heading counts twice: it names what the passage is about.
            for (text, weight) in [(chunk.heading.as_str(), 2), (chunk.text.as_str(), 1)] {
                for term in capitalised_runs(text) {
                    *latin.entry(term).or_default() += weight;
                }
                for line in text.lines() {
                    let han: String = line.chars().take_while(|c| is_cjk(*c) || c.is_whitespace()).collect();
                    // The opening words of a Chinese line name its subject ("需求评审…").
                    let words = JIEBA.cut(han.trim(), false);
                    let terms =
                        words.iter().map(|t| t.word).filter(|w| w.chars().count() >= 2 && w.chars().all(is_cjk));
                    for w in terms.take(if weight == 2 { usize::MAX } else { 2 }) {
                        *chinese.entry(w.to_owned()).or_default() += weight;
                    }
                }
            }
        }
        Vocabulary { latin: ranked(latin, 2), chinese: ranked(chinese, 1) }
    }

    pub fn is_empty(&self) -> bool {
        self.latin.is_empty() && self.chinese.is_empty()
    }
}

/// Terms seen at least `min` times, most frequent first (then alphabetical).
fn ranked(counts: HashMap<String, usize>, min: usize) -> Vec<String> {
    let mut terms: Vec<(String, usize)> = counts.into_iter().filter(|(_, n)| *n >= min).collect();
    terms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    terms.into_iter().take(MAX_TERMS).map(|(t, _)| t).collect()
}

/// Runs of capitalised words, with version numbers that follow them
/// ("Dispatch Planner 3.0"); single common sentence openers are left out.
fn capitalised_runs(text: &str) -> Vec<String> {
    const OPENERS: &[&str] = &[
        "The", "A", "An", "I", "We", "Our", "My", "It", "This", "That", "These", "In", "On", "At", "For", "And", "But",
        "If", "When", "What", "Before", "After", "Average", "Next",
    ];
    let mut out = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    let flush = |run: &mut Vec<&str>, out: &mut Vec<String>| {
        while run.last().is_some_and(|w| !w.starts_with(|c: char| c.is_uppercase())) {
            run.pop();
        }
        if !(run.is_empty() || run.len() == 1 && OPENERS.contains(&run[0])) {
            out.push(run.join(" "));
        }
        run.clear();
    };
    for raw in text.split_whitespace() {
        let word = raw.trim_matches(|c: char| !c.is_alphanumeric() && c != '.').trim_end_matches('.');
        let capital = word.starts_with(|c: char| c.is_uppercase()) && word.chars().any(char::is_lowercase);
        let version = !run.is_empty() && word.chars().next().is_some_and(|c| c.is_ascii_digit());
        if capital || version {
            run.push(word);
        } else {
            flush(&mut run, &mut out);
        }
        // A run ends at punctuation ("…in Rotterdam. Fuel…").
        if raw.ends_with(['.', ',', ';', ':', '!', '?', ')']) {
            flush(&mut run, &mut out);
        }
    }
    flush(&mut run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunk(heading: &str, text: &str) -> ChunkRow {
        ChunkRow { id: 0, file_name: "x".into(), location: String::new(), heading: heading.into(), text: text.into() }
    }

    #[test]
    fn names_and_terms_of_the_documents() {
        let v = Vocabulary::of(&[
            chunk(
                "Maya Okafor",
                "Product manager at Bluefin Logistics, Rotterdam office. I own the Dispatch Planner product.",
            ),
            chunk(
                "",
                "Dispatch Planner 3.0 shipped to 14 depots. The Antwerp depot has 35 vans. Bluefin Logistics grew.",
            ),
            chunk("产品组工作约定", "需求评审每两周一次。\n线上故障需要在30分钟内响应。\n发布窗口：周四晚上8点以后。"),
        ]);
        for term in ["Bluefin Logistics", "Maya Okafor"] {
            assert!(v.latin.contains(&term.to_owned()), "{term} in {v:?}");
        }
        assert!(v.latin.iter().any(|t| t.starts_with("Dispatch Planner")), "{v:?}");
        assert!(!v.latin.iter().any(|t| t == "The" || t == "I"), "sentence openers are not names: {v:?}");
        assert!(!v.latin.contains(&"Antwerp".to_owned()), "a name seen once in running text is left out: {v:?}");
        for term in ["需求", "评审", "故障", "发布", "窗口"] {
            assert!(v.chinese.iter().any(|t| t.starts_with(term)), "{term} in {v:?}");
        }
    }

    #[test]
    fn empty_and_hostile_text() {
        assert!(Vocabulary::of(&[]).is_empty());
        let binary = String::from_utf8_lossy(&(0..=255u8).cycle().take(5_000).collect::<Vec<_>>()).into_owned();
        let v = Vocabulary::of(&[chunk(&binary, &binary)]);
        assert!(v.latin.len() <= MAX_TERMS && v.chinese.len() <= MAX_TERMS);
        let many: String = (0..500).map(|i| format!("Name{i}. Name{i}. ")).collect();
        assert_eq!(Vocabulary::of(&[chunk("", &many)]).latin.len(), MAX_TERMS);
    }
}
