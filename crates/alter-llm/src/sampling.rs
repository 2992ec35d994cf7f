//! Next-token selection: repetition penalty, temperature, top-k, top-p,
//! with a seeded generator so that a seed reproduces an answer exactly.
//! Temperature ≤ 0 means greedy (arg-max), which ignores the seed.

use serde::{Deserialize, Serialize};

use crate::tokenizer::TokenId;

/// How to pick tokens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SamplingParams {
    /// 0 = greedy. Typical: 0.7.
    pub temperature: f32,
    /// Nucleus sampling mass in (0, 1]; 1 disables it.
    pub top_p: f32,
    /// Keep only the k most likely tokens; 0 disables it.
    pub top_k: usize,
    /// > 1 discourages repeating recent tokens (llama.cpp semantics); 1 disables it.
    pub repeat_penalty: f32,
    /// How many recent tokens the penalty looks at.
    pub repeat_last_n: usize,
    pub seed: u64,
}

impl Default for SamplingParams {
    fn default() -> Self {
        Self { temperature: 0.7, top_p: 0.9, top_k: 40, repeat_penalty: 1.1, repeat_last_n: 64, seed: 42 }
    }
}

impl SamplingParams {
    /// Deterministic arg-max decoding.
    pub fn greedy() -> Self {
        Self { temperature: 0.0, top_p: 1.0, top_k: 0, repeat_penalty: 1.0, repeat_last_n: 0, seed: 0 }
    }
}

/// A small seeded generator (SplitMix64); quality is ample for sampling.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_f32(&mut self) -> f32 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 40) as f32 / (1u64 << 24) as f32
    }
}

/// Pick the next token from `logits`, given the tokens so far.
pub fn sample(logits: &mut [f32], history: &[TokenId], p: &SamplingParams, rng: &mut Rng) -> TokenId {
    if p.repeat_penalty != 1.0 && p.repeat_penalty > 0.0 {
        let start = history.len().saturating_sub(p.repeat_last_n);
        let mut seen = std::collections::HashSet::new();
        for &t in &history[start..] {
            if seen.insert(t)
                && let Some(l) = logits.get_mut(t as usize)
            {
                *l = if *l > 0.0 { *l / p.repeat_penalty } else { *l * p.repeat_penalty };
            }
        }
    }
    let argmax = || {
        logits.iter().enumerate().fold((0usize, f32::NEG_INFINITY), |b, (i, &v)| if v > b.1 { (i, v) } else { b }).0
            as TokenId
    };
    if p.temperature <= 0.0 || !p.temperature.is_finite() {
        return argmax();
    }
    let mut cand: Vec<(TokenId, f32)> =
        logits.iter().enumerate().filter(|(_, v)| v.is_finite()).map(|(i, &v)| (i as TokenId, v)).collect();
    if cand.is_empty() {
        return argmax();
    }
    let k = if p.top_k == 0 { cand.len() } else { p.top_k.min(cand.len()) };
    cand.select_nth_unstable_by(k - 1, |a, b| b.1.total_cmp(&a.1));
    cand.truncate(k);
    cand.sort_by(|a, b| b.1.total_cmp(&a.1));
    let max = cand[0].1;
    let mut sum = 0.0;
    for c in cand.iter_mut() {
        c.1 = ((c.1 - max) / p.temperature).exp();
        sum += c.1;
    }
    let top_p = if p.top_p > 0.0 && p.top_p < 1.0 { p.top_p } else { 1.0 };
    let mut kept = 0.0;
    let mut n = 0;
    for c in &cand {
        kept += c.1 / sum;
        n += 1;
        if kept >= top_p {
            break;
        }
    }
    cand.truncate(n.max(1));
    let total: f32 = cand.iter().map(|c| c.1).sum();
    let mut r = rng.next_f32() * total;
    for c in &cand {
        r -= c.1;
        if r <= 0.0 {
            return c.0;
        }
    }
    cand[cand.len() - 1].0
}
