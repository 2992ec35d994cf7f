//! Word segmentation for the full-text index and for queries.
//!
//! SQLite's FTS5 `unicode61` tokenizer splits on spaces and punctuation,
//! which leaves a run of Chinese as one giant token. Chinese runs are
//! therefore segmented with jieba (search mode, which also emits the shorter
//! words inside long ones) before indexing and before querying; other
//! scripts pass through. The trigram variant exists for comparison (see
//! `bench`), which decided for jieba on the evaluation questions.

use std::sync::LazyLock;

use jieba_rs::Jieba;

use crate::chunk::is_cjk;

/// The dictionary loads once per process (a few hundred milliseconds).
pub(crate) static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// Words too common in questions to help ranking.
const STOP: &[&str] = &[
    "a", "an", "the", "is", "are", "was", "were", "be", "been", "do", "does", "did", "you", "your", "i", "me", "my",
    "we", "our", "us", "it", "its", "of", "to", "in", "on", "at", "by", "for", "and", "or", "with", "from", "that",
    "this", "what", "when", "where", "who", "whom", "which", "why", "how", "many", "much", "have", "has", "had", "can",
    "could", "would", "should", "will", "about", "there", "their", "they", "he", "she", "his", "her", "as", "的", "了",
    "是", "在", "吗", "呢", "吧", "啊", "什么", "多少", "怎么", "如何", "哪些", "哪里", "哪个", "谁", "你", "我", "他",
    "她", "你们", "我们", "要", "有", "和", "与", "多久", "多长", "时候", "么",
];

/// Splits text into runs of CJK and non-CJK characters.
fn runs(text: &str) -> impl Iterator<Item = (bool, &str)> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let first = rest.chars().next()?;
        let cjk = is_cjk(first);
        let end = rest.char_indices().find(|(_, c)| is_cjk(*c) != cjk).map_or(rest.len(), |(i, _)| i);
        let (run, tail) = rest.split_at(end);
        rest = tail;
        Some((cjk, run))
    })
}

/// The text as stored in the word index: Chinese words separated by spaces.
pub fn index_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 2);
    for (cjk, run) in runs(text) {
        if cjk {
            for word in JIEBA.cut_for_search(run, true) {
                out.push(' ');
                out.push_str(word.word);
            }
            out.push(' ');
        } else {
            out.push_str(run);
        }
    }
    out
}

/// Query words: segmented, lowercased, without stop words, deduplicated.
pub fn query_words(query: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for (cjk, run) in runs(query) {
        let pieces: Vec<String> = if cjk {
            JIEBA.cut_for_search(run, true).into_iter().map(|t| t.word.to_owned()).collect()
        } else {
            run.split(|c: char| !c.is_alphanumeric()).map(str::to_lowercase).collect()
        };
        for w in pieces {
            let keep = !w.is_empty()
                && !STOP.contains(&w.as_str())
                && w.chars().any(char::is_alphanumeric)
                && !words.contains(&w);
            if keep {
                words.push(w);
            }
        }
    }
    words
}

/// The query's terms as the trigram index holds them: every 3-character
/// window of Chinese runs and every Latin word of 3+ characters.
pub fn trigram_terms(query: &str) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for (cjk, run) in runs(query) {
        if cjk {
            let chars: Vec<char> = run.chars().filter(|c| c.is_alphanumeric()).collect();
            for w in chars.windows(3) {
                terms.push(w.iter().collect());
            }
        } else {
            for w in run.split(|c: char| !c.is_alphanumeric()) {
                let w = w.to_lowercase();
                if w.chars().count() >= 3 && !STOP.contains(&w.as_str()) {
                    terms.push(w);
                }
            }
        }
    }
    terms.dedup();
    terms
}

/// An FTS5 MATCH expression matching any of `terms` (`None` when there are none).
pub fn any_of(terms: &[String]) -> Option<String> {
    let quoted = |w: &String| format!("\"{}\"", w.replace('"', "\"\""));
    (!terms.is_empty()).then(|| terms.iter().map(quoted).collect::<Vec<_>>().join(" OR "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_segmented() {
        let indexed = index_text("需求评审每两周一次。Release on Thursday.");
        assert!(indexed.contains(" 需求 ") && indexed.contains("Release on Thursday."), "{indexed}");
        let q = query_words("需求评审多久一次? How many vans?");
        assert!(q.contains(&"需求".to_string()) && q.contains(&"vans".to_string()), "{q:?}");
        assert!(!q.contains(&"how".to_string()) && !q.contains(&"多久".to_string()), "{q:?}");
        assert_eq!(any_of(&query_words("?? the")), None);
        assert!(any_of(&trigram_terms("发布窗口")).unwrap().contains("\"发布窗\""));
    }
}
