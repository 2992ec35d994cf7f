//! Guessing the next tokens from the text so far (prompt lookup): an
//! answer grounded in sources copies their phrases, so when the last few
//! tokens appeared earlier, the tokens that followed them there are a good
//! guess for what comes next. The model checks all the guesses in one
//! forward pass and keeps those it would have chosen itself; each kept
//! guess saves a decoding step.

use crate::tokenizer::TokenId;

/// The longest run of tokens looked up, and the shortest.
const MAX_NGRAM: usize = 3;
const MIN_NGRAM: usize = 2;

/// Up to `max` tokens that followed the most recent earlier occurrence of
/// the context's last `MAX_NGRAM` (or fewer, down to `MIN_NGRAM`) tokens,
/// where `context` is everything so far and `next` the token chosen last.
pub fn draft(context: &[TokenId], next: TokenId, max: usize) -> Vec<TokenId> {
    if max == 0 {
        return Vec::new();
    }
    for n in (MIN_NGRAM..=MAX_NGRAM).rev() {
        if context.len() < n {
            continue;
        }
        // The tail to find: the last n − 1 tokens of the context, then `next`.
        let tail = |i: usize| if i + 1 == n { next } else { context[context.len() - (n - 1) + i] };
        // Occurrences ending before the tail itself, latest first.
        for end in (n..=context.len()).rev() {
            let start = end - n;
            if (0..n).all(|i| context[start + i] == tail(i)) {
                let after = &context[end..];
                if !after.is_empty() {
                    return after.iter().copied().take(max).collect();
                }
            }
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn continues_a_phrase_seen_before() {
        // "... planning time fell by 22 % ..." seen; the answer says "time fell" next.
        let context = [1, 2, 3, 4, 5, 6, 7, 8, 9, 20, 21, 3];
        assert_eq!(draft(&context, 4, 3), vec![5, 6, 7]);
        // The latest occurrence wins.
        let context = [3, 4, 5, 9, 3, 4, 6, 7, 3];
        assert_eq!(draft(&context, 4, 2), vec![6, 7]);
    }

    #[test]
    fn nothing_to_guess() {
        assert!(draft(&[], 4, 3).is_empty());
        assert!(draft(&[1, 2, 3], 9, 3).is_empty());
        assert!(draft(&[1, 2, 3, 4], 5, 0).is_empty());
        // A match at the very end has nothing after it.
        assert!(draft(&[4, 4], 4, 3).is_empty());
    }
}
