//! "Sounds like me": a small classifier of the owner's sentences against
//! other people's, trained at build time in well under a second.
//!
//! Logistic regression over hashed character n-grams (the owner's words,
//! spelling and punctuation habits) plus hashed style tokens (length bucket,
//! first person, contractions, digits). Negatives are general sentences from
//! [`crate::background`] in the owner's languages; classes are re-weighted so
//! a handful of owner sentences still counts. Training is deterministic. The
//! score of an answer is the mean probability of its sentences.

use serde::{Deserialize, Serialize};

use crate::background::general_sentences;
use crate::lang::{self, Lang, is_han};
use crate::text;

/// Hash buckets (2^16 weights, 256 KiB).
const DIM_BITS: u32 = 16;
const DIM: usize = 1 << DIM_BITS;
const MAGIC: &[u8; 4] = b"ASM1";

/// Training settings.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    pub epochs: usize,
    pub learning_rate: f32,
    pub l2: f32,
    /// Negatives per positive (bounded by the background's size).
    pub negatives_per_positive: usize,
    pub min_negatives: usize,
}

impl Default for TrainOptions {
    fn default() -> Self {
        Self { epochs: 12, learning_rate: 0.5, l2: 1e-5, negatives_per_positive: 6, min_negatives: 300 }
    }
}

/// A trained style classifier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StyleModel {
    bias: f32,
    weights: Vec<f32>,
}

type Features = Vec<(u32, f32)>;

fn fnv(bytes: impl IntoIterator<Item = u8>, seed: u64) -> u32 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
    for b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h as u32) & (DIM as u32 - 1)
}

fn features(sentence: &str) -> Features {
    let clean = strip_markers(sentence);
    let lower: Vec<char> = format!(" {} ", clean.to_lowercase()).chars().take(2_000).collect();
    let mut idx: Vec<u32> = Vec::new();
    for n in 1..=4usize {
        for w in lower.windows(n) {
            // Han characters carry meaning alone; Latin needs 2-4 letters.
            if n == 1 && !is_han(w[0]) {
                continue;
            }
            let s: String = w.iter().collect();
            idx.push(fnv(s.bytes(), n as u64));
        }
    }
    let words = text::words(&clean);
    for w in &words {
        idx.push(fnv(w.bytes(), 17));
    }
    let lang = lang::detect(&clean);
    let len = if lang == Lang::Zh { clean.chars().count() / 4 } else { words.len() };
    let bucket = (len as f32).max(1.0).log2().round() as u8;
    idx.push(fnv([b'L', bucket, lang as u8], 99));
    let fp = words.iter().any(|w| matches!(w.as_str(), "i" | "i'm" | "i'd" | "my" | "me")) || clean.contains('我');
    idx.push(fnv([b'F', u8::from(fp)], 99));
    idx.push(fnv([b'C', u8::from(clean.contains("n't") || clean.contains("'m") || clean.contains("'d"))], 99));
    idx.push(fnv([b'D', u8::from(clean.chars().any(|c| c.is_ascii_digit()))], 99));
    idx.sort_unstable();
    idx.dedup();
    let norm = 1.0 / (idx.len().max(1) as f32).sqrt();
    idx.into_iter().map(|i| (i, norm)).collect()
}

/// Removes inline citation markers like `[1]` before scoring.
fn strip_markers(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '[' {
            let rest: String = chars.clone().take(4).collect();
            if let Some(end) = rest.find(']')
                && end > 0
                && rest[..end].chars().all(|d| d.is_ascii_digit())
            {
                for _ in 0..=rest[..end].chars().count() {
                    chars.next();
                }
                continue;
            }
        }
        out.push(c);
    }
    out
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

impl StyleModel {
    /// Trains on the owner's sentences against general sentences in the
    /// owner's languages. Returns `None` when there are fewer than 3 owner sentences.
    pub fn train(owner_sentences: &[String], options: &TrainOptions) -> Option<StyleModel> {
        let owner: Vec<&String> = owner_sentences.iter().filter(|s| s.chars().any(char::is_alphanumeric)).collect();
        if owner.len() < 3 {
            return None;
        }
        let zh = owner.iter().filter(|s| lang::detect(s) == Lang::Zh).count();
        let en = owner.len() - zh;
        let want = (owner.len() * options.negatives_per_positive).max(options.min_negatives);
        let mut negatives: Vec<&str> = Vec::new();
        for (lang, n) in [(Lang::En, en), (Lang::Zh, zh)] {
            if n == 0 {
                continue;
            }
            let pool = general_sentences(lang);
            let take = (want * n / owner.len()).max(50).min(pool.len());
            // An even spread over the pool, deterministic.
            let step = (pool.len() / take.max(1)).max(1);
            negatives.extend(pool.iter().step_by(step).take(take));
        }
        let mut data: Vec<(Features, f32, f32)> = Vec::new();
        let pos_weight = negatives.len() as f32 / owner.len() as f32;
        data.extend(owner.iter().map(|s| (features(s), 1.0, pos_weight.max(1.0))));
        data.extend(negatives.iter().map(|s| (features(s), 0.0, 1.0)));
        let mut model = StyleModel { bias: 0.0, weights: vec![0.0; DIM] };
        let mut grad_sq = vec![1e-6f32; DIM];
        let mut bias_sq = 1e-6f32;
        let mut order: Vec<usize> = (0..data.len()).collect();
        let mut rng = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..options.epochs {
            for i in (1..order.len()).rev() {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                order.swap(i, (rng % (i as u64 + 1)) as usize);
            }
            for &k in &order {
                let (x, y, w) = &data[k];
                let g = (model.logit(x) - 0.0).clamp(-30.0, 30.0);
                let err = (sigmoid(g) - y) * w;
                for &(i, v) in x {
                    let i = i as usize;
                    let grad = err * v + options.l2 * model.weights[i];
                    grad_sq[i] += grad * grad;
                    model.weights[i] -= options.learning_rate * grad / grad_sq[i].sqrt();
                }
                bias_sq += err * err;
                model.bias -= options.learning_rate * err / bias_sq.sqrt();
            }
        }
        Some(model)
    }

    fn logit(&self, x: &Features) -> f32 {
        self.bias + x.iter().map(|&(i, v)| self.weights[i as usize] * v).sum::<f32>()
    }

    /// Probability in `[0, 1]` that one sentence is the owner's.
    pub fn sentence_score(&self, sentence: &str) -> f32 {
        sigmoid(self.logit(&features(sentence)))
    }

    /// "Sounds like me" for a whole answer: the mean over its sentences
    /// (0 for text without sentences).
    pub fn score(&self, answer: &str) -> f32 {
        let sentences = text::sentences(&answer.chars().take(20_000).collect::<String>());
        if sentences.is_empty() {
            return 0.0;
        }
        sentences.iter().map(|s| self.sentence_score(s)).sum::<f32>() / sentences.len() as f32
    }

    /// Compact binary form for the twin database.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(12 + DIM * 4);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&(DIM as u32).to_le_bytes());
        out.extend_from_slice(&self.bias.to_le_bytes());
        for w in &self.weights {
            out.extend_from_slice(&w.to_le_bytes());
        }
        out
    }

    /// Reads [`StyleModel::to_bytes`]; the error says what is wrong.
    pub fn from_bytes(bytes: &[u8]) -> Result<StyleModel, String> {
        if bytes.len() < 12 || &bytes[..4] != MAGIC {
            return Err("not a style model".into());
        }
        let dim = u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
        if dim != DIM || bytes.len() != 12 + dim * 4 {
            return Err(format!("style model has {dim} weights and {} bytes; expected {DIM}", bytes.len()));
        }
        let bias = f32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
        let weights =
            bytes[12..].chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect::<Vec<f32>>();
        if !bias.is_finite() || weights.iter().any(|w| !w.is_finite()) {
            return Err("style model contains non-finite weights".into());
        }
        Ok(StyleModel { bias, weights })
    }
}

/// Area under the ROC curve of `positives` scored above `negatives`
/// (0.5 = no separation, 1.0 = perfect).
pub fn auc(positives: &[f32], negatives: &[f32]) -> f32 {
    if positives.is_empty() || negatives.is_empty() {
        return 0.5;
    }
    let mut wins = 0.0f64;
    for p in positives {
        for n in negatives {
            wins += if p > n {
                1.0
            } else if p == n {
                0.5
            } else {
                0.0
            };
        }
    }
    (wins / (positives.len() * negatives.len()) as f64) as f32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_stripped() {
        assert_eq!(strip_markers("I joined in 2021.[1] Next [12] and [x]"), "I joined in 2021. Next  and [x]");
    }

    #[test]
    fn too_little_text() {
        assert!(StyleModel::train(&["one".into(), "".into()], &TrainOptions::default()).is_none());
    }

    #[test]
    fn bytes_round_trip_and_reject_garbage() {
        let owner: Vec<String> =
            ["I like maps.", "I ride to work.", "I say show me the floor.", "My team ships on Thursday."]
                .map(String::from)
                .to_vec();
        let m = StyleModel::train(&owner, &TrainOptions::default()).expect("trains");
        let back = StyleModel::from_bytes(&m.to_bytes()).expect("reads back");
        assert_eq!(back, m);
        assert!(StyleModel::from_bytes(b"garbage").is_err());
        assert!(StyleModel::from_bytes(&m.to_bytes()[..100]).is_err());
        assert_eq!(m.score(""), 0.0);
        let s = m.score(&"x".repeat(50_000));
        assert!((0.0..=1.0).contains(&s));
    }
}
