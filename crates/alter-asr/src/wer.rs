//! Word and character error rates, with the normalisation both sides get:
//! lower case, punctuation removed (ASCII and CJK), whitespace collapsed.

/// Lower-cases and strips punctuation so "Bluefin?" matches "bluefin".
pub fn normalise_text(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| if c.is_alphanumeric() || c == '\'' || c.is_whitespace() { c } else { ' ' })
        .collect::<String>()
        .to_lowercase();
    cleaned.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn edit_distance<T: PartialEq>(a: &[T], b: &[T]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        for j in 1..=b.len() {
            let sub = prev[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            cur[j] = sub.min(prev[j] + 1).min(cur[j - 1] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// (errors, reference words) after normalisation.
pub fn word_error_rate(reference: &str, hypothesis: &str) -> (usize, usize) {
    let (r, h) = (normalise_text(reference), normalise_text(hypothesis));
    let rw: Vec<&str> = r.split_whitespace().collect();
    let hw: Vec<&str> = h.split_whitespace().collect();
    (edit_distance(&rw, &hw), rw.len())
}

/// (errors, reference characters), spaces ignored: the measure for Chinese.
pub fn character_error_rate(reference: &str, hypothesis: &str) -> (usize, usize) {
    let chars = |s: &str| normalise_text(s).chars().filter(|c| !c.is_whitespace()).collect::<Vec<char>>();
    let (r, h) = (chars(reference), chars(hypothesis));
    (edit_distance(&r, &h), r.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_count_edits_after_normalising() {
        assert_eq!(word_error_rate("When did you join Bluefin?", "when did you join bluefin"), (0, 5));
        assert_eq!(word_error_rate("a b c d", "a x c"), (2, 4));
        assert_eq!(character_error_rate("发布窗口是什么时候？", "发布窗口是什么时间"), (1, 9));
        assert_eq!(word_error_rate("", "extra words"), (2, 0));
    }
}
