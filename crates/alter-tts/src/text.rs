//! Text before phonemes: cleaning, checking the script, splitting into sentences.
//!
//! Invariants: [`normalize`] output holds no control characters, emoji or
//! pictographs, and no run of whitespace; [`sentences`] never returns an empty
//! sentence nor one longer than [`MAX_SENTENCE_CHARS`] (a long run without
//! punctuation is cut at a comma or space), so one graph call stays small.
//! Digits are kept: espeak-ng reads numbers, dates and money in the voice's
//! language better than a rule table here would.

/// Longest sentence handed to the voice in one call.
pub const MAX_SENTENCE_CHARS: usize = 300;

/// Makes text speakable: control characters become spaces, emoji and other
/// pictographs are dropped, a few symbols become words, whitespace collapses.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() || is_format(c) {
            out.push(' ');
            continue;
        }
        if is_pictograph(c) {
            continue;
        }
        match c {
            '&' => out.push_str(" and "),
            '%' => out.push_str(" percent "),
            '@' => out.push_str(" at "),
            '+' => out.push_str(" plus "),
            '=' => out.push_str(" equals "),
            '#' | '*' | '_' | '~' | '^' | '`' | '|' | '<' | '>' | '{' | '}' | '[' | ']' | '\\' => out.push(' '),
            '“' | '”' | '„' | '«' | '»' => out.push('"'),
            '‘' | '’' => out.push('\''),
            '–' | '—' => out.push_str(", "),
            _ => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// True when the text has at least one letter or digit to say.
pub fn has_speech(text: &str) -> bool {
    text.chars().any(char::is_alphanumeric)
}

/// Zero-width and formatting characters (joiners, variation selectors, tags, BOM).
fn is_format(c: char) -> bool {
    matches!(c as u32, 0x200B..=0x200F | 0x2028..=0x202E | 0x2060..=0x206F | 0xFE00..=0xFE0F | 0xFEFF | 0xE0000..=0xE007F)
}

/// Emoji, pictographs, dingbats and similar symbols that have no reading.
fn is_pictograph(c: char) -> bool {
    matches!(c as u32,
        0x1F000..=0x1FAFF   // mahjong … symbols and pictographs extended-A (emoji)
        | 0x2190..=0x21FF   // arrows
        | 0x2300..=0x23FF   // technical
        | 0x2460..=0x24FF   // enclosed alphanumerics
        | 0x2500..=0x27BF   // box drawing, shapes, misc symbols, dingbats
        | 0x2900..=0x2BFF   // arrows, misc symbols and arrows
        | 0x3030 | 0x303D | 0x3297 | 0x3299
        | 0xE000..=0xF8FF   // private use
        | 0xFFF0..=0xFFFF
        | 0x1FB00..=0x1FBFF)
}

/// The writing system of a letter, as far as voices care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Latin,
    Han,
    Kana,
    Hangul,
    Cyrillic,
    Greek,
    Arabic,
    Hebrew,
    Devanagari,
    Thai,
    Other,
}

impl Script {
    pub fn of(c: char) -> Option<Script> {
        if !c.is_alphabetic() {
            return None;
        }
        let u = c as u32;
        Some(match u {
            0..=0x024F | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF | 0xFF21..=0xFF5A => Script::Latin,
            0x0250..=0x02AF => Script::Latin,
            0x0370..=0x03FF | 0x1F00..=0x1FFF => Script::Greek,
            0x0400..=0x052F => Script::Cyrillic,
            0x0590..=0x05FF => Script::Hebrew,
            0x0600..=0x06FF | 0x0750..=0x077F => Script::Arabic,
            0x0900..=0x097F => Script::Devanagari,
            0x0E00..=0x0E7F => Script::Thai,
            0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F => Script::Kana,
            0x1100..=0x11FF | 0x3130..=0x318F | 0xAC00..=0xD7AF => Script::Hangul,
            0x2E80..=0x2FDF
            | 0x3005..=0x3007
            | 0x3021..=0x3029
            | 0x3400..=0x4DBF
            | 0x4E00..=0x9FFF
            | 0xF900..=0xFAFF => Script::Han,
            0x20000..=0x3134F => Script::Han,
            _ => Script::Other,
        })
    }

    /// The language people would name for text in this script.
    pub fn language_name(self) -> &'static str {
        match self {
            Script::Latin => "Latin-script languages",
            Script::Han => "Chinese",
            Script::Kana => "Japanese",
            Script::Hangul => "Korean",
            Script::Cyrillic => "Cyrillic-script languages",
            Script::Greek => "Greek",
            Script::Arabic => "Arabic",
            Script::Hebrew => "Hebrew",
            Script::Devanagari => "Hindi",
            Script::Thai => "Thai",
            Script::Other => "this script",
        }
    }
}

/// The scripts a voice of language family `lang` (`en`, `zh`, `ru`...) can read.
pub fn voice_scripts(lang: &str) -> &'static [Script] {
    match lang {
        "zh" | "cmn" | "yue" => &[Script::Han, Script::Latin],
        "ja" => &[Script::Kana, Script::Han, Script::Latin],
        "ko" => &[Script::Hangul, Script::Latin],
        "ru" | "uk" | "bg" | "sr" | "kk" | "mk" | "be" => &[Script::Cyrillic, Script::Latin],
        "el" => &[Script::Greek, Script::Latin],
        "ar" | "fa" | "ur" => &[Script::Arabic, Script::Latin],
        "he" => &[Script::Hebrew, Script::Latin],
        "hi" | "ne" | "mr" => &[Script::Devanagari, Script::Latin],
        "th" => &[Script::Thai, Script::Latin],
        _ => &[Script::Latin],
    }
}

/// The first script in `text` that a voice of language `lang` cannot read.
pub fn unsupported_script(text: &str, lang: &str) -> Option<Script> {
    let ok = voice_scripts(lang);
    text.chars().filter_map(Script::of).find(|s| !ok.contains(s))
}

/// Replaces every run of letters in scripts the voice cannot read by a pause
/// (a comma), so the caller can speak only the other parts.
pub fn strip_unsupported(text: &str, lang: &str) -> String {
    let ok = voice_scripts(lang);
    let mut out = String::with_capacity(text.len());
    let mut in_gap = false;
    for c in text.chars() {
        let unreadable = Script::of(c).is_some_and(|s| !ok.contains(&s));
        if unreadable {
            if !in_gap {
                out.push_str(", ");
            }
            in_gap = true;
        } else {
            // Chinese punctuation inside a skipped run belongs to it.
            if in_gap && matches!(c, '，' | '、' | '：' | '；' | '“' | '”' | '（' | '）') {
                continue;
            }
            in_gap = false;
            out.push(c);
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Splits normalised text into sentences on `.!?…` (English) and `。！？`
/// (Chinese), keeping the punctuation; long runs are cut at commas or spaces.
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        current.push(c);
        let next = chars.get(i + 1).copied();
        let ends = match c {
            '。' | '！' | '？' => true,
            // "3.5" and "e.g." stay inside the sentence: an end needs a space (or the end) next.
            '.' | '!' | '?' | '…' => next.is_none_or(|n| n.is_whitespace() || n == '"' || n == '\''),
            _ => false,
        };
        if ends && !matches!(next, Some('.' | '!' | '?')) {
            push_sentence(&mut out, &current);
            current.clear();
        }
    }
    push_sentence(&mut out, &current);
    out
}

fn push_sentence(out: &mut Vec<String>, sentence: &str) {
    let mut rest = sentence.trim();
    while rest.chars().count() > MAX_SENTENCE_CHARS {
        let cut = cut_point(rest);
        let (head, tail) = rest.split_at(cut);
        if has_speech(head) {
            out.push(head.trim().to_owned());
        }
        rest = tail.trim();
    }
    if has_speech(rest) {
        out.push(rest.to_owned());
    }
}

/// A byte offset at most [`MAX_SENTENCE_CHARS`] characters in: after the last
/// comma, else before the last space, else a hard cut.
fn cut_point(text: &str) -> usize {
    let limit = text.char_indices().nth(MAX_SENTENCE_CHARS).map_or(text.len(), |(i, _)| i);
    let window = &text[..limit];
    let half = limit / 2;
    if let Some(i) = window.rfind([',', ';', ':', '，', '；']).filter(|&i| i > half) {
        return i + window[i..].chars().next().map_or(1, char::len_utf8);
    }
    if let Some(i) = window.rfind(' ').filter(|&i| i > 0) {
        return i;
    }
    limit
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_cleans() {
        assert_eq!(normalize("Hi 🙂 there!\u{0007}\nOK"), "Hi there! OK");
        assert_eq!(normalize("A & B = 50%"), "A and B equals 50 percent");
        assert_eq!(normalize("👍🏽👨‍👩‍👧"), "");
        assert_eq!(normalize("\u{1}\u{2}\u{7f}\t"), "");
        assert!(!has_speech(&normalize("!!! ... ???")));
    }

    #[test]
    fn splits_english_and_chinese() {
        let s = sentences("Hello there. It costs 3.5 dollars! Really? Yes");
        assert_eq!(s, vec!["Hello there.", "It costs 3.5 dollars!", "Really?", "Yes"]);
        assert_eq!(sentences("你好。你是谁？好！"), vec!["你好。", "你是谁？", "好！"]);
        assert_eq!(sentences("Wait... what?!"), vec!["Wait...", "what?!"]);
        assert!(sentences("  ...  ").is_empty());
    }

    #[test]
    fn long_runs_are_cut() {
        let long = "word ".repeat(1000);
        let s = sentences(long.trim());
        assert!(s.len() >= 15);
        assert!(s.iter().all(|x| x.chars().count() <= MAX_SENTENCE_CHARS && !x.is_empty()));
        let no_spaces = "x".repeat(1000);
        assert!(sentences(&no_spaces).iter().all(|x| x.chars().count() <= MAX_SENTENCE_CHARS));
        let han = "中".repeat(1000);
        assert_eq!(sentences(&han).iter().map(|x| x.chars().count()).sum::<usize>(), 1000);
    }

    #[test]
    fn scripts() {
        assert_eq!(unsupported_script("Hello 你好", "en"), Some(Script::Han));
        assert_eq!(unsupported_script("Hello café", "en"), None);
        assert_eq!(unsupported_script("你好 hello", "zh"), None);
        assert_eq!(unsupported_script("Привет", "en"), Some(Script::Cyrillic));
        assert_eq!(strip_unsupported("Maya said 你好，世界 to me.", "en"), "Maya said , to me.");
    }
}
