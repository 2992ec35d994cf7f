//! Sentences and words of English and Chinese text.
//!
//! Sentence splitting understands both `.!?` followed by a space and the
//! full-width `。！？`, keeps decimals ("3.0") and common abbreviations
//! together, and treats line breaks as boundaries (documents are full of
//! headings and list items) unless the next line goes on in lower case. Chinese is segmented with jieba; the dictionary
//! loads once per process (a few hundred milliseconds) and is shared.

use std::sync::OnceLock;

use crate::lang::is_han;

/// Abbreviations whose final dot does not end a sentence.
const ABBREVIATIONS: &[&str] =
    &["e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "dr", "prof", "a.m", "p.m", "no", "fig", "approx", "inc", "ltd"];

/// Splits text into trimmed, non-empty sentences.
pub fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in unwrapped_lines(text) {
        split_line(&line, &mut out);
    }
    out
}

/// Lines with hard-wrapped sentences joined again: a line that does not end
/// a sentence, followed by one that starts in lower case, is one sentence
/// broken by the editor or the PDF layout ("…why I care about" / "tools
/// that work…").
fn unwrapped_lines(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in text.lines() {
        let continues = line.trim_start().starts_with(|c: char| c.is_ascii_lowercase());
        match out.last_mut() {
            Some(prev) if continues && !prev.trim_end().is_empty() && !ends_sentence(prev) => {
                prev.push(' ');
                prev.push_str(line.trim());
            }
            _ => out.push(line.to_owned()),
        }
    }
    out
}

fn ends_sentence(line: &str) -> bool {
    line.trim_end().ends_with(['.', '!', '?', ':', '。', '！', '？', '：', '；'])
}

fn split_line(line: &str, out: &mut Vec<String>) {
    let chars: Vec<char> = line.chars().collect();
    let mut start = 0;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let end_here = match c {
            '。' | '！' | '？' | '；' => true,
            '!' | '?' => chars.get(i + 1).is_none_or(|n| n.is_whitespace() || is_closing(*n)),
            '.' => {
                let next_ok = chars.get(i + 1).is_none_or(|n| n.is_whitespace() || is_closing(*n));
                next_ok && !is_abbreviation(&chars[start..i])
            }
            _ => false,
        };
        if end_here {
            let mut j = i + 1;
            while j < chars.len() && is_closing(chars[j]) {
                j += 1;
            }
            push_trimmed(&chars[start..j], out);
            start = j;
            i = j;
            continue;
        }
        i += 1;
    }
    push_trimmed(&chars[start..], out);
}

fn is_closing(c: char) -> bool {
    matches!(c, '"' | '\'' | ')' | '”' | '’' | '」' | '』' | '）')
}

fn is_abbreviation(before: &[char]) -> bool {
    let word: String = before
        .iter()
        .rev()
        .take_while(|c| c.is_alphanumeric() || **c == '.')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let w = word.to_lowercase();
    !w.is_empty() && (ABBREVIATIONS.contains(&w.as_str()) || (w.len() == 1 && w.chars().all(|c| c.is_alphabetic())))
}

fn push_trimmed(chars: &[char], out: &mut Vec<String>) {
    let s: String = chars.iter().collect();
    let s = s.trim().trim_start_matches(['#', '-', '*', '>', '•']).trim();
    if s.chars().any(|c| c.is_alphanumeric()) {
        out.push(s.to_owned());
    }
}

/// The shared jieba segmenter.
pub fn jieba() -> &'static jieba_rs::Jieba {
    static JIEBA: OnceLock<jieba_rs::Jieba> = OnceLock::new();
    JIEBA.get_or_init(jieba_rs::Jieba::new)
}

/// Lower-cased word tokens: Latin words (with inner apostrophes and digits)
/// and jieba words for runs of Han characters. Punctuation is dropped.
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut latin = String::new();
    let mut han = String::new();
    let flush_latin = |latin: &mut String, out: &mut Vec<String>| {
        let w = latin.trim_matches('\'');
        if !w.is_empty() {
            out.push(w.to_lowercase());
        }
        latin.clear();
    };
    let flush_han = |han: &mut String, out: &mut Vec<String>| {
        if !han.is_empty() {
            out.extend(jieba().cut(han, false).into_iter().map(|t| t.word.to_owned()));
        }
        han.clear();
    };
    for c in text.chars() {
        if is_han(c) {
            flush_latin(&mut latin, &mut out);
            han.push(c);
        } else if c.is_alphanumeric() || (c == '\'' || c == '’') && !latin.is_empty() {
            flush_han(&mut han, &mut out);
            latin.push(if c == '’' { '\'' } else { c });
        } else {
            flush_latin(&mut latin, &mut out);
            flush_han(&mut han, &mut out);
        }
    }
    flush_latin(&mut latin, &mut out);
    flush_han(&mut han, &mut out);
    out
}

/// Words with stop words removed, for lexical overlap: content words of
/// Latin text (≥ 2 letters) and every Han word except particles.
pub fn content_words(text: &str) -> Vec<String> {
    words(text).into_iter().filter(|w| !is_stop_word(w)).collect()
}

/// English and Chinese function words that carry no topic.
pub fn is_stop_word(w: &str) -> bool {
    const EN: &[&str] = &[
        "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by", "from", "is", "are",
        "was", "were", "be", "been", "am", "i", "i'm", "me", "my", "you", "your", "we", "our", "it", "its", "this",
        "that", "these", "those", "what", "when", "where", "who", "why", "how", "which", "do", "does", "did", "have",
        "has", "had", "as", "so", "if", "not", "no", "can", "could", "would", "should", "will", "there", "their",
        "they", "he", "she", "his", "her", "them", "about", "into", "than", "then", "also", "just", "very", "much",
        "many", "any", "some", "s", "per",
    ];
    const ZH: &[&str] = &[
        "的", "了", "是", "在", "我", "你", "他", "她", "我们", "你们", "和", "与", "也", "就", "都", "吗", "呢", "吧",
        "啊", "什么", "多少", "怎么", "哪", "哪里", "一个", "这", "那", "有", "要", "会", "能", "为", "对", "把", "被",
        "么", "时候", "多久", "几",
    ];
    (w.len() < 2 && w.is_ascii()) || EN.contains(&w) || ZH.contains(&w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_english_and_chinese() {
        let s = sentences(
            "Dispatch Planner 3.0 shipped on 4 March 2025. Fuel use fell, e.g. at Rotterdam! Really?\n需求评审每两周一次，在周二上午10点。线上故障需要在30分钟内响应。",
        );
        assert_eq!(
            s,
            vec![
                "Dispatch Planner 3.0 shipped on 4 March 2025.",
                "Fuel use fell, e.g. at Rotterdam!",
                "Really?",
                "需求评审每两周一次，在周二上午10点。",
                "线上故障需要在30分钟内响应。"
            ]
        );
    }

    #[test]
    fn headings_and_bullets_are_lines() {
        assert_eq!(sentences("# Maya Okafor\n\n- one item\n* two"), vec!["Maya Okafor", "one item", "two"]);
        assert_eq!(
            sentences(
                "Before Bluefin I was a supervisor, which is why I care about\ntools that work at 5 a.m. with gloves on.\nNext line."
            ),
            vec![
                "Before Bluefin I was a supervisor, which is why I care about tools that work at 5 a.m. with gloves on.",
                "Next line."
            ],
            "a hard-wrapped sentence is joined again"
        );
        assert_eq!(sentences("Time fell from 22\nminutes to 6."), vec!["Time fell from 22 minutes to 6."]);
        assert!(sentences("").is_empty());
        assert!(sentences("   \n ... \n").is_empty());
    }

    #[test]
    fn words_mixed() {
        let w = words("I'd rather watch Dispatch Planner 3.0 在周四晚上发布");
        assert!(w.contains(&"i'd".to_string()), "{w:?}");
        assert!(w.contains(&"planner".to_string()));
        assert!(w.contains(&"周四".to_string()), "{w:?}");
        assert!(!content_words("what is the time").contains(&"the".to_string()));
    }
}
