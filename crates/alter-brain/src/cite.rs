//! From the model's raw answer to a cited answer.
//!
//! Inline markers ("[1]", "[1, 2]", "【2】", "[source 3]") are parsed; markers
//! that name no source are dropped, unless one stands between two words as a
//! quantity ("I have [4] engineers"); a marker whose sentence another source
//! plainly supports better (a number the cited source lacks) is moved to
//! that source. A marker that opens its sentence cites the words after it.
//! When the model cites nothing yet the answer clearly uses a snippet, the
//! snippet is attributed by lexical overlap. Citations come out in order of first
//! use, each once.

use std::sync::OnceLock;

use alter_persona::text::content_words;
use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::source::Source;

/// One citation of an answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Citation {
    /// The source's number in the prompt (1-based).
    pub marker: usize,
    pub file: String,
    pub location: String,
    pub heading: String,
    /// True when found by overlap rather than written by the model.
    pub inferred: bool,
}

/// A post-processed answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CitedAnswer {
    /// The answer with only valid markers, written as `[n]`.
    pub text: String,
    /// The answer without markers, for speech.
    pub spoken: String,
    pub citations: Vec<Citation>,
}

fn marker_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)\s*(?:\[\s*(?:sources?\s*)?(\d{1,3}(?:\s*[,，、]\s*\d{1,3})*)\s*\]|【\s*(\d{1,3})\s*】)")
            .expect("static regex compiles")
    })
}

/// Removes every marker (valid or not) and the space before it.
pub fn strip_markers(text: &str) -> String {
    marker_re().replace_all(text, "").into_owned()
}

/// `text` as it is spoken, given the number of sources the answer could
/// cite: markers removed, except a bracketed number between two words that
/// names no source, which is said as the number ("I have [4] engineers").
pub fn spoken_form(text: &str, sources: usize) -> String {
    marker_re()
        .replace_all(text, |caps: &regex::Captures| {
            let whole = caps.get(0).expect("group 0 is the match");
            let list = caps.get(1).or_else(|| caps.get(2)).map_or("", |m| m.as_str());
            match bracketed_quantity(text, whole.start(), whole.end(), list, sources) {
                Some(n) => format!(" {n}"),
                None => String::new(),
            }
        })
        .into_owned()
}

fn numbers(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    // Small numbers written as words count as the same number ("four
    // engineers" supports "4 engineers").
    const WORDS: [&str; 12] =
        ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"];
    for w in text.split(|c: char| !c.is_alphabetic()) {
        if let Some(i) = WORDS.iter().position(|n| n.eq_ignore_ascii_case(w)) {
            out.push((i + 1).to_string());
        }
    }
    out
}

/// How strongly `source` supports `claim`: 3 per shared number, 1 per shared content word.
pub fn support(claim: &str, source: &Source) -> f32 {
    let hay = format!("{} {} {}", source.heading, source.text, source.file).to_lowercase();
    let hay_words = content_words(&hay);
    let words = content_words(claim);
    let mut score = 0.0;
    let mut seen: Vec<&str> = Vec::new();
    for w in &words {
        if seen.contains(&w.as_str()) || w.chars().all(|c| c.is_ascii_digit()) {
            continue;
        }
        seen.push(w);
        if hay_words.iter().any(|h| h == w) {
            score += 1.0;
        }
    }
    let hay_numbers = numbers(&hay);
    for n in numbers(claim) {
        if hay_numbers.contains(&n) {
            score += 3.0;
        }
    }
    score
}

/// The sentence after a marker that opens it: up to the next marker or the end of the sentence.
fn following_claim(rest: &str) -> &str {
    let end = marker_re().find(rest).map_or(rest.len(), |m| m.start());
    let rest = &rest[..end];
    let stop = rest
        .char_indices()
        .find(|(_, c)| matches!(c, '.' | '!' | '?' | '。' | '！' | '？'))
        .map_or(rest.len(), |(i, _)| i);
    &rest[..stop]
}

/// A lone bracketed number that names no source, between two words ("I
/// have [4] engineers", "我有[4]名工程师"), is the number itself, not a
/// marker.
fn bracketed_quantity(answer: &str, start: usize, end: usize, list: &str, sources: usize) -> Option<usize> {
    let n = list.trim().parse::<usize>().ok().filter(|&n| n == 0 || n > sources)?;
    let after_word = answer[..start].chars().next_back().is_some_and(char::is_alphanumeric);
    let rest = answer[end..].strip_prefix(' ').unwrap_or(&answer[end..]);
    let before_word = rest.chars().next().is_some_and(char::is_alphabetic);
    (after_word && before_word).then_some(n)
}

/// Maps markers to citations, fixes or drops bad ones, and attributes an
/// uncited answer by overlap.
pub fn cite(answer: &str, sources: &[Source]) -> CitedAnswer {
    let mut text = String::new();
    let mut used: Vec<(usize, bool)> = Vec::new();
    let mut last = 0;
    let mut segment_start = 0;
    for caps in marker_re().captures_iter(answer) {
        let Some(whole) = caps.get(0) else { continue };
        let segment = &answer[segment_start..whole.start()];
        text.push_str(&answer[last..whole.start()]);
        let list = caps.get(1).or_else(|| caps.get(2)).map(|m| m.as_str()).unwrap_or("");
        if let Some(n) = bracketed_quantity(answer, whole.start(), whole.end(), list, sources.len()) {
            // Written as it was meant: "I have [4] engineers" says 4.
            text.push_str(&whole.as_str()[..whole.as_str().len() - whole.as_str().trim_start().len()]);
            text.push_str(&n.to_string());
            last = whole.end();
            continue;
        }
        let mut markers: Vec<usize> = Vec::new();
        for n in list.split([',', '，', '、']).filter_map(|n| n.trim().parse::<usize>().ok()) {
            if n == 0 || n > sources.len() {
                continue;
            }
            let mut n = n;
            // A marker that opens its sentence ("[2] Antwerp has 35 vans.") cites what follows it.
            let claim =
                if content_words(segment).is_empty() { following_claim(&answer[whole.end()..]) } else { segment };
            let cited = support(claim, &sources[n - 1]);
            let best = (1..=sources.len())
                .map(|b| (b, support(claim, &sources[b - 1])))
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
            // Moved only when another source plainly holds more of the claim: a number the cited one lacks.
            if let Some((b, _)) = best.filter(|&(b, s)| b != n && s >= 3.0 && s >= cited + 3.0) {
                n = b;
            }
            if !markers.contains(&n) {
                markers.push(n);
            }
        }
        for n in &markers {
            text.push_str(&format!("[{n}]"));
            if !used.iter().any(|(u, _)| u == n) {
                used.push((*n, false));
            }
        }
        last = whole.end();
        segment_start = whole.end();
    }
    text.push_str(&answer[last..]);
    if used.is_empty() && !sources.is_empty() {
        let scored: Vec<(usize, f32)> = sources.iter().enumerate().map(|(i, s)| (i + 1, support(answer, s))).collect();
        let best = scored.iter().map(|(_, s)| *s).fold(0.0f32, f32::max);
        if best >= 2.0 {
            for (n, s) in scored {
                if s >= best * 0.8 && s >= 2.0 && used.len() < 2 {
                    used.push((n, true));
                }
            }
        }
    }
    let citations = used
        .into_iter()
        .map(|(n, inferred)| {
            let s = &sources[n - 1];
            Citation {
                marker: n,
                file: s.file.clone(),
                location: s.location.clone(),
                heading: s.heading.clone(),
                inferred,
            }
        })
        .collect();
    let text = text.trim().to_owned();
    let spoken = strip_markers(&text).split_whitespace().collect::<Vec<_>>().join(" ");
    CitedAnswer { text, spoken, citations }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources() -> Vec<Source> {
        vec![
            Source::new(
                "profile.md",
                "section Maya Okafor",
                "Maya Okafor",
                "Product manager for route planning at Bluefin Logistics, Rotterdam office, since September 2021. My team: four engineers and one designer.",
            ),
            Source::new(
                "dispatch_planner_3_launch.pdf",
                "page 1",
                "Dispatch Planner 3.0 - launch summary",
                "Dispatch Planner 3.0 shipped on 4 March 2025 to 14 depots. Average route planning time fell from 22 minutes to 6 minutes.",
            ),
            Source::new("depots.csv", "rows 2-4", "", "depot: D02, city: Antwerp, vans: 35"),
        ]
    }

    #[test]
    fn valid_invalid_and_moved_markers() {
        let c = cite("I joined Bluefin in September 2021 [1]. It shipped on 4 March 2025 [7].", &sources());
        assert_eq!(c.text, "I joined Bluefin in September 2021[1]. It shipped on 4 March 2025.");
        assert_eq!(c.citations.len(), 1);
        assert_eq!(c.citations[0].file, "profile.md");
        assert!(!c.citations[0].inferred);
        // Cited the wrong source, but the number is plainly in another one.
        let c = cite("Antwerp has 35 vans [1].", &sources());
        assert_eq!(c.citations[0].file, "depots.csv", "{c:?}");
        assert_eq!(c.text, "Antwerp has 35 vans[3].");
        // The marker opens the sentence, and the cited source shares a word ("depot") but not the number.
        let mut with_depots = sources();
        with_depots[1].text.push_str(" Planning takes 6 minutes per depot.");
        let c = cite("[2] The Antwerp depot has 35 vans.", &with_depots);
        assert_eq!(c.citations[0].file, "depots.csv", "{c:?}");
        // A source that holds the claim's number keeps its marker.
        let c = cite("Planning fell to 6 minutes [2], in Antwerp [3].", &with_depots);
        assert_eq!(c.citations.iter().map(|c| c.marker).collect::<Vec<_>>(), vec![2, 3], "{c:?}");
        let c = cite("Both [1, 2] and 【3】 count. [Source 2]", &sources());
        assert_eq!(c.citations.iter().map(|c| c.marker).collect::<Vec<_>>(), vec![1, 2, 3]);
    }

    #[test]
    fn a_bracketed_number_between_words_is_a_quantity() {
        let c = cite("I have [4] engineers on my team.", &sources());
        assert_eq!(c.spoken, "I have 4 engineers on my team.");
        assert_eq!(c.citations.first().map(|c| c.file.as_str()), Some("profile.md"), "{c:?}");
        assert_eq!(cite("我有[5]名工程师。", &sources()).spoken, "我有5名工程师。");
        // A source's number there is a citation, and an unknown one at a sentence's end is dropped.
        assert_eq!(cite("Antwerp has 35 vans [3] today.", &sources()).spoken, "Antwerp has 35 vans today.");
        assert_eq!(cite("Antwerp has 35 vans [9].", &sources()).spoken, "Antwerp has 35 vans.");
        // Spoken while streaming, before the answer is cited.
        assert_eq!(spoken_form("I have [4] engineers [1].", 3), "I have 4 engineers.");
        assert_eq!(spoken_form("I have [4] engineers [1].", usize::MAX), "I have engineers.");
    }

    #[test]
    fn uncited_answer_is_attributed() {
        let c = cite("Planning time fell from 22 minutes to 6 minutes.", &sources());
        assert_eq!(c.citations.len(), 1, "{c:?}");
        assert_eq!(c.citations[0].file, "dispatch_planner_3_launch.pdf");
        assert!(c.citations[0].inferred);
        // "4" is in the launch summary's date, but "four engineers" is the profile's.
        let c = cite("I have 4 engineers on my team.", &sources());
        assert_eq!(c.citations.iter().map(|c| c.file.as_str()).collect::<Vec<_>>(), ["profile.md"], "{c:?}");
        let c = cite("I like sunny weather.", &sources());
        assert!(c.citations.is_empty(), "{c:?}");
        assert!(cite("", &[]).citations.is_empty());
        assert!(cite("[1] [2]", &[]).text.is_empty());
    }

    #[test]
    fn spoken_has_no_markers() {
        let c = cite("需求评审每两周一次【1】。", &[Source::new("工作约定.docx", "", "", "需求评审每两周一次")]);
        assert_eq!(c.spoken, "需求评审每两周一次。");
        assert_eq!(c.text, "需求评审每两周一次[1]。");
    }
}
