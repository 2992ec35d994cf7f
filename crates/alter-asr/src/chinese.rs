//! Traditional→Simplified Chinese by character, from OpenCC's table
//! (`data/ts_chars.txt`, made by `data/make_ts_chars.py`). Whisper often
//! writes Mandarin in Traditional characters; Alter shows Simplified.
//! Character-level mapping is enough for recognised speech: the phrase-level
//! ambiguities OpenCC handles are rare in this direction.

use std::collections::HashMap;
use std::sync::OnceLock;

static TABLE: &str = include_str!("../data/ts_chars.txt");

fn table() -> &'static HashMap<char, char> {
    static MAP: OnceLock<HashMap<char, char>> = OnceLock::new();
    MAP.get_or_init(|| {
        TABLE
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut c = l.chars();
                Some((c.next()?, c.next()?))
            })
            .collect()
    })
}

/// Rewrites Traditional characters as Simplified; everything else passes through.
pub fn to_simplified(text: &str) -> String {
    let t = table();
    text.chars().map(|c| *t.get(&c).unwrap_or(&c)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_common_traditional_text() {
        assert_eq!(to_simplified("發佈窗口是什麼時候？"), "发布窗口是什么时候？");
        assert_eq!(to_simplified("線上故障要在多長時間內響應"), "线上故障要在多长时间内响应");
        assert_eq!(to_simplified("hello 你好"), "hello 你好");
        assert!(table().len() > 2000);
    }
}
