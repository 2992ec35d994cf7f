//! How the owner writes: sentence length, formality, first-person habits,
//! signature phrases, openings and closings, and language mix.
//!
//! Everything is computed from the owner's own texts; no number here is a
//! guess. Signature phrases are n-grams the owner uses repeatedly that are
//! rare in the general background (log-likelihood against
//! [`crate::background`]), plus phrases the owner explicitly calls their own
//! ("I say \"show me the floor\" a lot", "我常说……").

use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::background::word_freq;
use crate::facts::OwnerText;
use crate::lang::{self, Lang, is_han};
use crate::text;

/// The learned style.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct StyleProfile {
    /// Mean words per English sentence (0 when none).
    pub mean_words_en: f32,
    /// Mean characters per Chinese sentence (0 when none).
    pub mean_chars_zh: f32,
    /// 0 = casual, 1 = formal.
    pub formality: f32,
    /// Share of sentences using I/me/my (我).
    pub first_person_singular: f32,
    /// Share of sentences using we/our/us (我们).
    pub first_person_plural: f32,
    /// Most distinctive phrases first.
    pub signature_phrases: Vec<String>,
    pub openings: Vec<String>,
    pub closings: Vec<String>,
    /// Share of Chinese in the owner's text, in `[0, 1]`.
    pub zh_share: f32,
    /// Sentences the profile was learned from.
    pub sentences: usize,
}

impl StyleProfile {
    /// The language the owner mostly writes in.
    pub fn main_language(&self) -> Lang {
        if self.zh_share > 0.5 { Lang::Zh } else { Lang::En }
    }
}

const FORMAL: &[&str] = &[
    "therefore",
    "however",
    "furthermore",
    "moreover",
    "regarding",
    "accordingly",
    "hereby",
    "kindly",
    "shall",
    "please note",
    "in addition",
    "consequently",
    "sincerely",
    "respectfully",
    "您",
    "敬请",
    "此致",
    "特此",
    "烦请",
    "贵司",
    "恳请",
    "予以",
    "鉴于",
];
const CASUAL: &[&str] = &[
    "gonna", "wanna", "yeah", "hey", "lol", "cool", "awesome", "stuff", "kinda", "okay", "ok", "btw", "a lot", "啦",
    "呀", "哈", "嘛", "呗", "哦", "嗯", "挺",
];
const OPENINGS: &[&str] = &[
    "hi all",
    "hi everyone",
    "hi team",
    "hello everyone",
    "hello",
    "hi",
    "hey",
    "dear",
    "good morning",
    "good afternoon",
    "大家好",
    "各位好",
    "各位",
    "您好",
    "你好",
];
const CLOSINGS: &[&str] = &[
    "thanks",
    "thank you",
    "best",
    "best regards",
    "regards",
    "cheers",
    "kind regards",
    "talk soon",
    "谢谢",
    "辛苦了",
    "祝好",
    "感谢",
    "多谢",
];

/// Counts `needle` as a whole word in Latin text, as a substring in Chinese.
fn count_marker(lower: &str, needle: &str) -> usize {
    if needle.chars().any(is_han) {
        return lower.matches(needle).count();
    }
    lower
        .match_indices(needle)
        .filter(|(i, _)| {
            let before = lower[..*i].chars().next_back();
            let after = lower[i + needle.len()..].chars().next();
            before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
        })
        .count()
}

/// A formality score in `[0, 1]` for a set of sentences (0.5 when neutral).
pub fn formality(sentences: &[String]) -> f32 {
    if sentences.is_empty() {
        return 0.5;
    }
    let (mut formal, mut casual) = (0usize, 0usize);
    for s in sentences {
        let lower = s.to_lowercase();
        formal += FORMAL.iter().map(|m| count_marker(&lower, m)).sum::<usize>();
        casual += CASUAL.iter().map(|m| count_marker(&lower, m)).sum::<usize>();
        casual += ["'m ", "'re ", "'d ", "n't ", "'ll ", "'ve ", "'s "]
            .iter()
            .map(|m| lower.matches(m).count())
            .sum::<usize>();
        casual += s.matches('!').count() + s.matches('！').count();
    }
    let n = sentences.len() as f32;
    let diff = (formal as f32 - casual as f32) / n;
    1.0 / (1.0 + (-3.0 * diff).exp())
}

fn quoted_signature_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r#"(?i)(?:\bi (?:always |often )?say|\bas i (?:always |like to )?say|\bmy motto is|我(?:常|经常|总是)说|我的口头禅是)[\s:：,，]*["“'‘「]([^"”'’」]{3,60})["”'’」]"#)
            .expect("static regex compiles")
    })
}

/// Learns the style from the owner's texts.
pub fn learn_style(texts: &[OwnerText]) -> StyleProfile {
    let mut all = Vec::new();
    let mut first_sentences = Vec::new();
    let mut last_sentences = Vec::new();
    for t in texts {
        let s = text::sentences(&t.text);
        if let Some(f) = s.first() {
            first_sentences.push(f.clone());
        }
        if let Some(l) = s.last() {
            last_sentences.push(l.clone());
        }
        all.extend(s);
    }
    let (mut en_words, mut en_n, mut zh_chars, mut zh_n) = (0usize, 0usize, 0usize, 0usize);
    let (mut singular, mut plural) = (0usize, 0usize);
    for s in &all {
        if lang::detect(s) == Lang::Zh {
            zh_chars += s.chars().filter(|c| c.is_alphanumeric()).count();
            zh_n += 1;
            if s.contains("我们") {
                plural += 1;
            }
            if s.replace("我们", "").contains('我') {
                singular += 1;
            }
        } else {
            let words = text::words(s);
            en_words += words.len();
            en_n += 1;
            if words.iter().any(|w| matches!(w.as_str(), "i" | "me" | "my" | "i'm" | "i'd" | "i've" | "mine")) {
                singular += 1;
            }
            if words.iter().any(|w| matches!(w.as_str(), "we" | "our" | "us" | "we're" | "ours")) {
                plural += 1;
            }
        }
    }
    let joined: String = texts.iter().map(|t| t.text.as_str()).collect::<Vec<_>>().join("\n");
    let n = all.len().max(1) as f32;
    StyleProfile {
        mean_words_en: if en_n > 0 { en_words as f32 / en_n as f32 } else { 0.0 },
        mean_chars_zh: if zh_n > 0 { zh_chars as f32 / zh_n as f32 } else { 0.0 },
        formality: formality(&all),
        first_person_singular: singular as f32 / n,
        first_person_plural: plural as f32 / n,
        signature_phrases: signature_phrases(&all, 8),
        openings: lexicon_hits(&first_sentences, OPENINGS, true),
        closings: lexicon_hits(&last_sentences, CLOSINGS, false),
        zh_share: lang::ScriptCounts::of(&joined).han_share(),
        sentences: all.len(),
    }
}

fn lexicon_hits(sentences: &[String], lexicon: &[&str], at_start: bool) -> Vec<String> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for s in sentences {
        let lower = s.to_lowercase();
        // Longest matching entry wins ("hi all" over "hi").
        let hit = lexicon
            .iter()
            .filter(|m| {
                let ok = if at_start { lower.starts_with(*m) } else { lower.starts_with(*m) || lower.ends_with(*m) };
                ok && (m.chars().any(is_han)
                    || lower[if at_start || lower.starts_with(*m) { m.len() } else { 0 }..]
                        .chars()
                        .next()
                        .is_none_or(|c| !c.is_alphanumeric()))
            })
            .max_by_key(|m| m.len());
        if let Some(m) = hit {
            *counts.entry(m).or_default() += 1;
        }
    }
    let mut v: Vec<(&str, usize)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    v.into_iter().take(3).map(|(m, _)| m.to_owned()).collect()
}

/// The owner's most distinctive phrases: explicit "I say …" quotes first,
/// then repeated n-grams ranked by log-likelihood against the background.
pub fn signature_phrases(sentences: &[String], max: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in sentences {
        for caps in quoted_signature_re().captures_iter(s) {
            if let Some(m) = caps.get(1) {
                let p = m.as_str().trim().to_owned();
                if !out.contains(&p) {
                    out.push(p);
                }
            }
        }
    }
    let mut counts: HashMap<Vec<String>, usize> = HashMap::new();
    let mut total = 0usize;
    for s in sentences {
        let words = text::words(s);
        total += words.len();
        for n in 1..=3 {
            for gram in words.windows(n) {
                let edges_ok = !text::is_stop_word(&gram[0]) && !text::is_stop_word(&gram[n - 1]);
                if edges_ok && gram.iter().all(|w| !w.chars().all(|c| c.is_ascii_digit())) {
                    *counts.entry(gram.to_vec()).or_default() += 1;
                }
            }
        }
    }
    let total = total.max(1) as f64;
    let mut scored: Vec<(f64, String)> = counts
        .into_iter()
        .filter(|(_, c)| *c >= 2)
        .map(|(gram, c)| {
            let zh = gram.iter().any(|w| w.chars().any(is_han));
            let bg = word_freq(if zh { Lang::Zh } else { Lang::En });
            let p_bg: f64 = gram.iter().map(|w| bg.prob(w)).product();
            let p_owner = c as f64 / total;
            let joiner = if zh { "" } else { " " };
            (c as f64 * (p_owner / p_bg).ln(), gram.join(joiner))
        })
        .filter(|(score, _)| *score > 0.0)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, phrase) in scored {
        if out.len() >= max {
            break;
        }
        // Skip a phrase already covered by a longer one.
        if !out.iter().any(|p| p.contains(&phrase) || phrase.contains(p.as_str())) {
            out.push(phrase);
        }
    }
    out.truncate(max);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formality_moves_the_right_way() {
        let formal = vec!["Please note that, regarding the budget, we shall therefore proceed.".to_string()];
        let casual = vec!["Yeah, that's cool stuff, I'm gonna try it!".to_string()];
        assert!(formality(&formal) > 0.8, "{}", formality(&formal));
        assert!(formality(&casual) < 0.2, "{}", formality(&casual));
        assert_eq!(formality(&[]), 0.5);
    }

    #[test]
    fn signature_phrases_found() {
        let s: Vec<String> = [
            "I say \"show me the floor\" a lot.",
            "Honestly, the dispatch board is the heart of it.",
            "Honestly, the dispatch board needs work.",
            "The weather is nice.",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let p = signature_phrases(&s, 5);
        assert_eq!(p[0], "show me the floor");
        assert!(p.iter().any(|x| x.contains("dispatch board")), "{p:?}");
        assert!(!p.iter().any(|x| x == "the"), "{p:?}");
    }

    #[test]
    fn learns_from_eval_docs() {
        let profile =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/eval/docs/profile.md"))
                .expect("eval profile readable");
        let zh = "产品组工作约定\n需求评审每两周一次，在周二上午10点。\n线上故障需要在30分钟内响应。\n发布窗口：周四晚上8点以后。";
        let style = learn_style(&[
            OwnerText::document("profile.md", "", &profile),
            OwnerText::document("工作约定.docx", "", zh),
        ]);
        assert!(style.signature_phrases.contains(&"show me the floor".to_string()), "{style:?}");
        assert!(style.mean_words_en > 5.0 && style.mean_words_en < 30.0, "{style:?}");
        assert!(style.mean_chars_zh > 5.0, "{style:?}");
        assert!(style.zh_share > 0.05 && style.zh_share < 0.6, "{style:?}");
        assert!(style.first_person_singular > 0.3, "{style:?}");
        assert_eq!(style.main_language(), Lang::En);
        let empty = learn_style(&[]);
        assert_eq!(empty.sentences, 0);
    }

    #[test]
    fn openings_and_closings() {
        let t = [
            OwnerText::document("a", "", "Hi all, quick update on routes.\nWe ship Thursday.\nThanks, Maya"),
            OwnerText::document("b", "", "Hi all, the board is live.\nCheers"),
            OwnerText::document("c", "", "大家好，本周发布。\n谢谢"),
        ];
        let s = learn_style(&t);
        assert_eq!(s.openings[0], "hi all");
        assert!(s.openings.contains(&"大家好".to_string()), "{s:?}");
        assert!(s.closings.contains(&"thanks".to_string()) && s.closings.contains(&"谢谢".to_string()), "{s:?}");
    }
}
