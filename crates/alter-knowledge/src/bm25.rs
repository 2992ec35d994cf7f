//! BM25 over the word index, held in memory beside the vectors.
//!
//! FTS5 ranks by scoring every chunk that matches any term of the question:
//! on a large twin a question of common words scores tens of thousands of
//! chunks at about a microsecond each. This index holds the same postings —
//! the bodies the `kn_fts` table stores, split as its `unicode61
//! remove_diacritics 2` tokenizer splits them — in flat arrays, and adds
//! each posting's share into one dense score array: nanoseconds a posting.
//! The formula is FTS5's `bm25()` (k1 = 1.2, b = 0.75, an IDF of at least
//! 1e-6), so the ranking is the one FTS5 gives.
//!
//! Invariant: the postings of term `t` are `rows[starts[t]..starts[t + 1]]`
//! (with `tfs` alongside), in increasing row order; row `r` is chunk `ids[r]`.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

const K1: f32 = 1.2;
const B: f32 = 0.75;

#[derive(Debug, Clone, Default)]
pub struct Bm25Index {
    terms: HashMap<String, u32>,
    starts: Vec<u32>,
    rows: Vec<u32>,
    tfs: Vec<u16>,
    ids: Vec<i64>,
    lengths: Vec<u32>,
    avg_len: f32,
}

impl Bm25Index {
    /// Indexes `(chunk id, body)` pairs, bodies as stored in the word index.
    pub fn build<'a>(chunks: impl IntoIterator<Item = (i64, &'a str)>) -> Self {
        let mut terms: HashMap<String, u32> = HashMap::new();
        let mut postings: Vec<Vec<(u32, u16)>> = Vec::new();
        let (mut ids, mut lengths) = (Vec::new(), Vec::new());
        let mut seen: Vec<u32> = Vec::new();
        let mut buf = String::new();
        for (row, (id, body)) in chunks.into_iter().enumerate() {
            seen.clear();
            for token in body.split(|c: char| !c.is_alphanumeric()).filter(|t| !t.is_empty()) {
                normalize_into(token, &mut buf);
                // Looked up by `&str` first: a key is allocated only for a new term.
                let t = match terms.get(buf.as_str()) {
                    Some(&t) => t,
                    None => {
                        let t = terms.len() as u32;
                        terms.insert(buf.clone(), t);
                        postings.push(Vec::new());
                        t
                    }
                };
                seen.push(t);
            }
            lengths.push(seen.len() as u32);
            ids.push(id);
            seen.sort_unstable();
            for run in seen.chunk_by(|a, b| a == b) {
                postings[run[0] as usize].push((row as u32, run.len().min(u16::MAX as usize) as u16));
            }
        }
        let mut starts = Vec::with_capacity(postings.len() + 1);
        let total: usize = postings.iter().map(Vec::len).sum();
        let (mut rows, mut tfs) = (Vec::with_capacity(total), Vec::with_capacity(total));
        starts.push(0);
        for list in postings {
            for (r, tf) in list {
                rows.push(r);
                tfs.push(tf);
            }
            starts.push(rows.len() as u32);
        }
        let avg_len = lengths.iter().map(|&l| l as f64).sum::<f64>() / lengths.len().max(1) as f64;
        Self { terms, starts, rows, tfs, ids, lengths, avg_len: avg_len as f32 }
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// How many chunks hold `word` (as a query word: case and accents ignored).
    pub fn chunks_with(&self, word: &str) -> usize {
        self.postings(word).map_or(0, |(rows, _)| rows.len())
    }

    fn postings(&self, word: &str) -> Option<(&[u32], &[u16])> {
        let mut buf = String::new();
        normalize_into(word, &mut buf);
        let t = *self.terms.get(&buf)? as usize;
        let range = self.starts[t] as usize..self.starts[t + 1] as usize;
        Some((&self.rows[range.clone()], &self.tfs[range]))
    }

    /// The best `k` chunks matching any of `words`, best first, as (chunk
    /// id, BM25 score); ties go to the lower chunk id.
    pub fn search(&self, words: &[String], k: usize) -> Vec<(i64, f32)> {
        let n = self.ids.len();
        if n == 0 || k == 0 {
            return Vec::new();
        }
        let mut scores = vec![0f32; n];
        let mut any = false;
        for word in words {
            let Some((rows, tfs)) = self.postings(word) else { continue };
            let df = rows.len() as f32;
            let idf = (((n as f32 - df + 0.5) / (df + 0.5)).ln()).max(1e-6);
            for (&r, &tf) in rows.iter().zip(tfs) {
                let tf = tf as f32;
                let norm = K1 * (1.0 - B + B * self.lengths[r as usize] as f32 / self.avg_len);
                scores[r as usize] += idf * tf * (K1 + 1.0) / (tf + norm);
            }
            any |= !rows.is_empty();
        }
        if !any {
            return Vec::new();
        }
        let mut hits: Vec<(i64, f32)> =
            scores.iter().enumerate().filter(|(_, s)| **s > 0.0).map(|(r, &s)| (self.ids[r], s)).collect();
        let better = |a: &(i64, f32), b: &(i64, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if hits.len() > k {
            hits.select_nth_unstable_by(k - 1, better);
            hits.truncate(k);
        }
        hits.sort_by(better);
        hits
    }
}

/// Lowercase without accents, as FTS5's `unicode61 remove_diacritics 2` folds a token.
fn normalize_into(token: &str, out: &mut String) {
    out.clear();
    if token.is_ascii() {
        out.extend(token.chars().map(|c| c.to_ascii_lowercase()));
    } else {
        out.extend(token.nfd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(ws: &[&str]) -> Vec<String> {
        ws.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn rarer_terms_and_shorter_chunks_rank_first() {
        let index = Bm25Index::build([
            (10, "the depot in Rotterdam has 42 vans"),
            (11, "the depot in Antwerp has 30 vans and a long list of other things to say about vans"),
            (12, "budget review every January"),
            (13, "Café opening in Zürich"),
        ]);
        let hits = index.search(&words(&["vans", "rotterdam"]), 5);
        assert_eq!(hits.iter().map(|h| h.0).collect::<Vec<_>>(), vec![10, 11]);
        assert!(hits[0].1 > hits[1].1);
        // Case and accents fold as in FTS5's unicode61 tokenizer.
        assert_eq!(index.search(&words(&["cafe", "ZURICH"]), 5)[0].0, 13);
        assert_eq!(index.chunks_with("Depot"), 2);
        assert!(index.search(&words(&["nowhere"]), 5).is_empty());
        assert!(index.search(&words(&["vans"]), 0).is_empty());
        assert_eq!(index.search(&words(&["vans", "depot", "the"]), 1).len(), 1);
    }

    #[test]
    fn the_score_is_fts5s_formula() {
        // Two chunks of equal length, one holding the term twice: N = 3, df = 2.
        let index = Bm25Index::build([(1, "a b c d"), (2, "a a c d"), (3, "x y z w")]);
        let hits = index.search(&words(&["a"]), 5);
        let idf = ((3.0f32 - 2.0 + 0.5) / (2.0 + 0.5)).ln().max(1e-6);
        let f = |tf: f32| idf * tf * (K1 + 1.0) / (tf + K1);
        assert_eq!(hits.iter().map(|h| h.0).collect::<Vec<_>>(), vec![2, 1]);
        assert!((hits[0].1 - f(2.0)).abs() < 1e-6 && (hits[1].1 - f(1.0)).abs() < 1e-6, "{hits:?}");
    }

    #[test]
    fn empty_and_hostile_bodies_index_cleanly() {
        let long = "word ".repeat(100_000);
        let index = Bm25Index::build([(1, ""), (2, "!!! ??? ..."), (3, long.as_str()), (4, "需求 评审 每 两周")]);
        assert_eq!(index.chunks_with("word"), 1);
        assert_eq!(index.search(&words(&["需求"]), 5)[0].0, 4);
        assert!(Bm25Index::build([]).search(&words(&["a"]), 5).is_empty());
    }
}
