//! Script-based language detection for English and Chinese, mixed text allowed.
//!
//! Alter supports English and Chinese; anything else is reported as
//! [`Lang::Other`] so the caller can answer in the best supported language or
//! decline politely. Detection counts letters by script: Han characters make
//! a text Chinese as soon as they are a meaningful share of it (a Chinese
//! question often carries Latin product names), kana or hangul or Latin
//! letters with many non-English accents make it "other". Never panics and
//! scans at most the first [`SCAN_LIMIT`] characters, so a 50k-character
//! question costs the same as a short one.

use serde::{Deserialize, Serialize};

/// Characters looked at; enough to decide, bounded for huge inputs.
pub const SCAN_LIMIT: usize = 4_000;

/// A language Alter can detect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Zh,
    /// Neither English nor Chinese (e.g. French, Japanese).
    Other,
}

impl Lang {
    /// The BCP-47 code (`"en"`, `"zh"`, `"und"`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
            Lang::Other => "und",
        }
    }

    /// Parses `"en"`, `"en-GB"`, `"zh"`, `"zh-CN"`…; anything else is `Other`.
    pub fn from_code(code: &str) -> Lang {
        let c = code.trim().to_ascii_lowercase();
        if c == "en" || c.starts_with("en-") || c.starts_with("en_") {
            Lang::En
        } else if c == "zh" || c.starts_with("zh-") || c.starts_with("zh_") || c == "cmn" {
            Lang::Zh
        } else {
            Lang::Other
        }
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// Letter counts by script.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ScriptCounts {
    pub han: usize,
    pub latin: usize,
    /// Latin letters with diacritics (é, ü, ñ…), a hint of French, German, Spanish.
    pub latin_accented: usize,
    pub kana: usize,
    pub hangul: usize,
    pub other_letters: usize,
}

impl ScriptCounts {
    pub fn of(text: &str) -> Self {
        let mut c = ScriptCounts::default();
        for ch in text.chars().take(SCAN_LIMIT) {
            if is_han(ch) {
                c.han += 1;
            } else if ch.is_ascii_alphabetic() {
                c.latin += 1;
            } else if ('\u{c0}'..='\u{24f}').contains(&ch) && ch.is_alphabetic() {
                c.latin += 1;
                c.latin_accented += 1;
            } else if ('\u{3040}'..='\u{30ff}').contains(&ch) || ('\u{31f0}'..='\u{31ff}').contains(&ch) {
                c.kana += 1;
            } else if ('\u{ac00}'..='\u{d7af}').contains(&ch) || ('\u{1100}'..='\u{11ff}').contains(&ch) {
                c.hangul += 1;
            } else if ch.is_alphabetic() {
                c.other_letters += 1;
            }
        }
        c
    }

    /// Share of Han characters among Han + Latin letters, in `[0, 1]`.
    pub fn han_share(&self) -> f32 {
        // A Han character carries about a word; weigh Latin letters as ~1/4 of one.
        let han = self.han as f32;
        let latin = self.latin as f32 / 4.0;
        if han + latin == 0.0 { 0.0 } else { han / (han + latin) }
    }
}

/// True for CJK unified ideographs (the blocks Chinese text uses).
pub fn is_han(ch: char) -> bool {
    matches!(ch,
        '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{2a6df}')
}

/// Common words of French, Spanish, German, Italian, Portuguese that English
/// text almost never contains; two hits mark a Latin-script text as foreign.
const FOREIGN_WORDS: &[&str] = &[
    "le", "les", "des", "est", "une", "vous", "nous", "avec", "pour", "quel", "quelle", "quand", "où", "qui", "que",
    "el", "los", "las", "es", "por", "qué", "cuándo", "dónde", "usted", "der", "die", "das", "und", "ist", "nicht",
    "wann", "wie", "wo", "ich", "sie", "wir", "il", "di", "che", "sono", "della", "não", "você", "quem", "du", "ein",
    "eine", "mit", "von", "zu", "y", "del", "al", "lo", "la", "de", "tu", "avez", "êtes", "combien", "tiene", "tienes",
    "cuántos", "cuántas", "cuál", "sind", "haben", "hast", "wer", "wieviel", "wieviele", "quanto", "quando", "perché",
    "dove",
];

/// Detects the language of `text`. Empty or letterless text is English (the default).
pub fn detect(text: &str) -> Lang {
    let c = ScriptCounts::of(text);
    if c.kana > 0 && c.kana * 5 >= c.han {
        return Lang::Other; // Japanese mixes kana with kanji.
    }
    if c.hangul > c.han && c.hangul > c.latin / 4 {
        return Lang::Other;
    }
    if c.han > 0 && c.han_share() >= 0.3 {
        return Lang::Zh;
    }
    if c.latin == 0 {
        return if c.other_letters > 0 { Lang::Other } else { Lang::En };
    }
    if c.other_letters > c.latin {
        return Lang::Other; // Cyrillic, Arabic, Greek…
    }
    let lower: String = text.chars().take(SCAN_LIMIT).collect::<String>().to_lowercase();
    let words: Vec<&str> = lower.split(|ch: char| !ch.is_alphabetic()).filter(|w| !w.is_empty()).collect();
    let foreign = words.iter().filter(|w| FOREIGN_WORDS.contains(w)).count();
    let english = words.iter().filter(|w| ENGLISH_WORDS.contains(w)).count();
    if (c.latin_accented * 20 > c.latin && english == 0) || (foreign >= 2 && foreign > english) {
        return Lang::Other;
    }
    Lang::En
}

const ENGLISH_WORDS: &[&str] = &[
    "the", "a", "an", "is", "are", "was", "what", "when", "how", "who", "where", "why", "you", "your", "i", "my", "of",
    "to", "in", "and", "do", "does", "did", "many", "much", "can",
];

/// Picks the language to answer in: the detected one when the twin speaks it,
/// otherwise the twin's first language (English when none are set).
pub fn reply_language(detected: Lang, twin_languages: &[String]) -> Lang {
    let supported: Vec<Lang> =
        twin_languages.iter().map(|c| Lang::from_code(c)).filter(|l| *l != Lang::Other).collect();
    if detected != Lang::Other && (supported.is_empty() || supported.contains(&detected)) {
        return detected;
    }
    supported.first().copied().unwrap_or(Lang::En)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_languages() {
        let cases = [
            ("When did you join Bluefin?", Lang::En),
            ("需求评审多久一次?", Lang::Zh),
            ("Dispatch Planner 3.0 是什么时候发布的?", Lang::Zh),
            ("我们用 Dispatch Planner and route optimisation every day", Lang::En),
            ("Quand avez-vous rejoint Bluefin ?", Lang::Other),
            ("Quand as-tu rejoint Bluefin ?", Lang::Other),
            ("What was the plan for the depot de Rotterdam?", Lang::En),
            ("¿Cuántas furgonetas tiene el depósito de Amberes?", Lang::Other),
            ("いつブルーフィンに入社しましたか？", Lang::Other),
            ("Wann sind Sie zu Bluefin gekommen und wie ist das Team?", Lang::Other),
            ("Когда вы пришли в компанию?", Lang::Other),
            ("", Lang::En),
            ("???", Lang::En),
            ("Café opening hours at the Rotterdam office?", Lang::En),
        ];
        for (text, want) in cases {
            assert_eq!(detect(text), want, "{text}");
        }
    }

    #[test]
    fn huge_and_binary_input() {
        let big = "why ".repeat(20_000);
        assert_eq!(detect(&big), Lang::En);
        let binary = String::from_utf8_lossy(&[0u8, 159, 146, 150, 255, 1, 2, 3]).into_owned();
        assert_eq!(detect(&binary), Lang::En);
    }

    #[test]
    fn reply_language_falls_back() {
        let both = vec!["en".to_string(), "zh".to_string()];
        assert_eq!(reply_language(Lang::Zh, &both), Lang::Zh);
        assert_eq!(reply_language(Lang::Other, &both), Lang::En);
        assert_eq!(reply_language(Lang::Zh, &["en".to_string()]), Lang::En);
        assert_eq!(reply_language(Lang::Other, &["zh-CN".to_string()]), Lang::Zh);
        assert_eq!(reply_language(Lang::En, &[]), Lang::En);
    }
}
