//! A BERT encoder whose linear layers run in 8 bits ([`super::int8`]).
//!
//! candle's `BertModel` pads every batch to its longest text, runs f32 GEMMs
//! with 256-bit kernels, and spends a third of its time allocating and
//! copying between ops. This forward packs all texts of a batch into one
//! token matrix (no padding, so no attention mask), runs Q·K·V as one
//! product, and fuses the bias, GELU and layer norms in place. Attention
//! stays f32, one (text, head) at a time.
//!
//! Invariants: hidden states are `[tokens, hidden]` row-major; `spans` gives
//! each text's rows; the word-embedding table stays memory-mapped and only
//! the rows of tokens seen are read.

use std::path::Path;

use rayon::prelude::*;
use safetensors::{Dtype, SafeTensors};

use super::int8::{QActs, QLinear};

pub struct Bert {
    map: memmap2::Mmap,
    /// Byte offset of the `[vocab, hidden]` f32 word table inside `map`.
    words: usize,
    vocab: usize,
    positions: Vec<f32>,
    token_type: Vec<f32>,
    norm: LayerNorm,
    layers: Vec<Layer>,
    hidden: usize,
    heads: usize,
}

struct Layer {
    qkv: QLinear,
    attn_out: QLinear,
    attn_norm: LayerNorm,
    up: QLinear,
    down: QLinear,
    out_norm: LayerNorm,
}

struct LayerNorm {
    weight: Vec<f32>,
    bias: Vec<f32>,
    eps: f32,
}

impl Bert {
    /// Loads `model.safetensors` (f32, BERT names with or without a `bert.` prefix).
    pub fn load(weights: &Path, heads: usize, eps: f64) -> Result<Self, String> {
        let file = std::fs::File::open(weights).map_err(|e| e.to_string())?;
        // SAFETY: the file is mapped read-only; Alter never writes model files while running.
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(|e| e.to_string())?;
        let (words, vocab, hidden, rest) = {
            let st = SafeTensors::deserialize(&map).map_err(|e| e.to_string())?;
            let names = st.names();
            let prefix = if names.iter().any(|n| n.starts_with("bert.")) { "bert." } else { "" };
            let get = |name: &str| -> Result<(Vec<f32>, Vec<usize>), String> {
                let t = st.tensor(&format!("{prefix}{name}")).map_err(|_| format!("no tensor {prefix}{name}"))?;
                if t.dtype() != Dtype::F32 {
                    return Err(format!("{name} is {:?}, expected F32", t.dtype()));
                }
                let v = t.data().chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
                Ok((v, t.shape().to_vec()))
            };
            let word = st.tensor(&format!("{prefix}embeddings.word_embeddings.weight")).map_err(|e| e.to_string())?;
            let (vocab, hidden) = match (word.dtype(), word.shape()) {
                (Dtype::F32, [v, h]) => (*v, *h),
                (d, s) => return Err(format!("word embeddings are {d:?} {s:?}, expected F32 [vocab, hidden]")),
            };
            let words = word.data().as_ptr() as usize - map.as_ptr() as usize;
            if hidden % heads != 0 || !QLinear::fits(hidden, hidden) {
                return Err(format!("hidden size {hidden} does not suit {heads} heads"));
            }
            let norm = |name: &str| -> Result<LayerNorm, String> {
                Ok(LayerNorm {
                    weight: get(&format!("{name}.weight"))?.0,
                    bias: get(&format!("{name}.bias"))?.0,
                    eps: eps as f32,
                })
            };
            let linear = |names: &[&str]| -> Result<QLinear, String> {
                let (mut w, mut b, mut k) = (Vec::new(), Vec::new(), 0);
                for name in names {
                    let (wv, shape) = get(&format!("{name}.weight"))?;
                    k = shape.get(1).copied().unwrap_or(0);
                    w.extend(wv);
                    b.extend(get(&format!("{name}.bias"))?.0);
                }
                let n = b.len();
                if !QLinear::fits(n, k) || w.len() != n * k {
                    return Err(format!("{} has an unsupported shape {n}×{k}", names[0]));
                }
                Ok(QLinear::new(&w, b, n, k))
            };
            let mut layers = Vec::new();
            for i in 0.. {
                let p = format!("encoder.layer.{i}");
                if st.tensor(&format!("{prefix}{p}.attention.self.query.weight")).is_err() {
                    break;
                }
                let a = format!("{p}.attention");
                layers.push(Layer {
                    qkv: linear(&[&format!("{a}.self.query"), &format!("{a}.self.key"), &format!("{a}.self.value")])?,
                    attn_out: linear(&[&format!("{a}.output.dense")])?,
                    attn_norm: norm(&format!("{a}.output.LayerNorm"))?,
                    up: linear(&[&format!("{p}.intermediate.dense")])?,
                    down: linear(&[&format!("{p}.output.dense")])?,
                    out_norm: norm(&format!("{p}.output.LayerNorm"))?,
                });
            }
            if layers.is_empty() {
                return Err("no encoder layers in the weights".into());
            }
            let positions = get("embeddings.position_embeddings.weight")?.0;
            let token_type = get("embeddings.token_type_embeddings.weight")?.0[..hidden].to_vec();
            (words, vocab, hidden, (positions, token_type, norm("embeddings.LayerNorm")?, layers))
        };
        let (positions, token_type, norm, layers) = rest;
        Ok(Self { map, words, vocab, positions, token_type, norm, layers, hidden, heads })
    }

    /// The longest text the position table allows.
    pub fn max_tokens(&self) -> usize {
        self.positions.len() / self.hidden
    }

    /// Mean-pooled, L2-normalised vectors, one per text of token ids.
    pub fn embed(&self, texts: &[&[u32]]) -> Result<Vec<Vec<f32>>, String> {
        let h = self.hidden;
        let mut spans = Vec::with_capacity(texts.len());
        let mut total = 0;
        for ids in texts {
            if ids.len() > self.max_tokens() {
                return Err(format!("{} tokens exceed the model's {}", ids.len(), self.max_tokens()));
            }
            if let Some(bad) = ids.iter().find(|&&id| id as usize >= self.vocab) {
                return Err(format!("token id {bad} is outside the vocabulary"));
            }
            spans.push(total..total + ids.len());
            total += ids.len();
        }
        let table = &self.map[self.words..self.words + self.vocab * h * 4];
        let tokens: Vec<(u32, usize)> =
            texts.iter().flat_map(|ids| ids.iter().enumerate().map(|(p, &id)| (id, p))).collect();
        let mut x = vec![0f32; total * h];
        x.par_chunks_mut(h).zip(&tokens).for_each(|(row, &(id, p))| {
            let word = &table[id as usize * h * 4..][..h * 4];
            for (j, (o, w)) in row.iter_mut().zip(word.chunks_exact(4)).enumerate() {
                *o = f32::from_le_bytes([w[0], w[1], w[2], w[3]]) + self.positions[p * h + j] + self.token_type[j];
            }
        });
        self.norm.apply(&mut x, h);
        // Buffers reused by every layer: large fresh allocations cost page faults.
        let (mut acts, mut qkv, mut y, mut up) = (QActs::quantize(&[], h), Vec::new(), Vec::new(), Vec::new());
        for layer in &self.layers {
            acts.requantize(&x, h);
            layer.qkv.forward_into(&acts, &mut qkv);
            let ctx = self.attention(&qkv, &spans);
            acts.requantize(&ctx, h);
            layer.attn_out.forward_into(&acts, &mut y);
            add_into(&mut x, &y);
            layer.attn_norm.apply(&mut x, h);
            acts.requantize(&x, h);
            layer.up.forward_into(&acts, &mut up);
            up.par_chunks_mut(4096).for_each(|c| c.iter_mut().for_each(|v| *v = gelu(*v)));
            acts.requantize(&up, layer.up.outputs());
            layer.down.forward_into(&acts, &mut y);
            add_into(&mut x, &y);
            layer.out_norm.apply(&mut x, h);
        }
        Ok(spans
            .par_iter()
            .map(|span| {
                let mut mean = vec![0f32; h];
                for row in x[span.start * h..span.end * h].chunks_exact(h) {
                    mean.iter_mut().zip(row).for_each(|(m, v)| *m += v);
                }
                let norm = mean.iter().map(|v| v * v).sum::<f32>().sqrt().max(1e-12);
                mean.iter_mut().for_each(|m| *m /= norm);
                mean
            })
            .collect())
    }

    /// Scaled dot-product attention within each text, every head, from the
    /// fused `[tokens, 3·hidden]` projections.
    fn attention(&self, qkv: &[f32], spans: &[std::ops::Range<usize>]) -> Vec<f32> {
        let h = self.hidden;
        let d = h / self.heads;
        let scale = 1.0 / (d as f32).sqrt();
        let mut ctx = vec![0f32; qkv.len() / 3];
        // Disjoint row ranges of `ctx`, one per text.
        let mut parts = Vec::with_capacity(spans.len());
        let mut rest = ctx.as_mut_slice();
        for span in spans {
            let (part, tail) = rest.split_at_mut(span.len() * h);
            parts.push((span.clone(), part));
            rest = tail;
        }
        parts.into_par_iter().for_each(|(span, out)| {
            let n = span.len();
            let rows = qkv[span.start * 3 * h..span.end * 3 * h].as_ptr();
            let (rs, out_ptr) = (3 * h as isize, out.as_mut_ptr());
            let mut probs = vec![0f32; n * n];
            for head in 0..self.heads {
                // SAFETY: every view stays inside `rows` (n rows of 3h) or
                // `out` (n rows of h) or `probs` (n × n); `out` is this text's alone.
                unsafe {
                    // probs = scale · Q Kᵀ
                    gemm::gemm(
                        n,
                        n,
                        d,
                        probs.as_mut_ptr(),
                        1,
                        n as isize,
                        false,
                        rows.add(head * d),
                        1,
                        rs,
                        rows.add(h + head * d),
                        rs,
                        1,
                        0.0,
                        scale,
                        false,
                        false,
                        false,
                        gemm::Parallelism::None,
                    );
                }
                for row in probs.chunks_exact_mut(n) {
                    softmax(row);
                }
                // SAFETY: as above.
                unsafe {
                    // out[:, head] = probs V
                    gemm::gemm(
                        n,
                        d,
                        n,
                        out_ptr.add(head * d),
                        1,
                        h as isize,
                        false,
                        probs.as_ptr(),
                        1,
                        n as isize,
                        rows.add(2 * h + head * d),
                        1,
                        rs,
                        0.0,
                        1.0,
                        false,
                        false,
                        false,
                        gemm::Parallelism::None,
                    );
                }
            }
        });
        ctx
    }
}

impl LayerNorm {
    fn apply(&self, x: &mut [f32], h: usize) {
        x.par_chunks_mut(h * 64).for_each(|rows| {
            for row in rows.chunks_exact_mut(h) {
                let mean = sum(row) / h as f32;
                row.iter_mut().for_each(|v| *v -= mean);
                let var = row.chunks(16).fold([0f32; 16], |mut acc, c| {
                    acc.iter_mut().zip(c).for_each(|(a, v)| *a += v * v);
                    acc
                });
                let var = var.iter().sum::<f32>() / h as f32;
                let inv = 1.0 / (var + self.eps).sqrt();
                for ((v, w), b) in row.iter_mut().zip(&self.weight).zip(&self.bias) {
                    *v = *v * inv * w + b;
                }
            }
        });
    }
}

/// A sum in sixteen lanes, which the compiler vectorises.
fn sum(x: &[f32]) -> f32 {
    let lanes = x.chunks(16).fold([0f32; 16], |mut acc, c| {
        acc.iter_mut().zip(c).for_each(|(a, v)| *a += v);
        acc
    });
    lanes.iter().sum()
}

/// The largest value, in 16 lanes like [`sum`] (a running `f32::max` is one
/// comparison at a time).
fn max(x: &[f32]) -> f32 {
    let lanes = x.chunks(16).fold([f32::NEG_INFINITY; 16], |mut acc, c| {
        acc.iter_mut().zip(c).for_each(|(a, &v)| *a = if v > *a { v } else { *a });
        acc
    });
    lanes.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b))
}

fn softmax(row: &mut [f32]) {
    let max = max(row);
    row.iter_mut().for_each(|v| *v = exp(*v - max));
    let inv = 1.0 / sum(row);
    row.iter_mut().for_each(|v| *v *= inv);
}

/// `eˣ` to about 2 ulp, in a form the compiler vectorises (Cephes' `expf`
/// polynomial on `x − n·ln 2`, then `2ⁿ` through the exponent bits).
#[inline(always)]
fn exp(x: f32) -> f32 {
    let x = x.clamp(-87.3, 88.0);
    let n = (x * std::f32::consts::LOG2_E).round();
    let r = x - n * 0.693_359_4 + n * 2.121_944_4e-4;
    let p = 1.987_569_1e-4;
    let p = p * r + 1.398_199_9e-3;
    let p = p * r + 8.333_452e-3;
    let p = p * r + 4.166_579_6e-2;
    let p = p * r + 1.666_666_5e-1;
    let p = p * r + 5e-1;
    let e = p * r * r + r + 1.0;
    // 2ⁿ: adding 1.5·2²³ puts n + 127 in the low mantissa bits; shifting them
    // into the exponent field drops the rest (no float-to-int conversion).
    e * f32::from_bits((n + (12_582_912.0 + 127.0)).to_bits() << 23)
}

fn add_into(x: &mut [f32], y: &[f32]) {
    x.par_chunks_mut(4096).zip(y.par_chunks(4096)).for_each(|(x, y)| x.iter_mut().zip(y).for_each(|(a, b)| *a += b));
}

/// GELU with the exact error function (BERT's `gelu`). Inlined so that the
/// loop over a layer's activations is vectorised: called, it ran one value
/// at a time and took as long as the layer's matrix product.
#[inline(always)]
fn gelu(x: f32) -> f32 {
    0.5 * x * (1.0 + erf(x * std::f32::consts::FRAC_1_SQRT_2))
}

/// Abramowitz & Stegun 7.1.26: |error| < 1.5e-7.
#[inline(always)]
fn erf(x: f32) -> f32 {
    let t = 1.0 / (1.0 + 0.327_591_1 * x.abs());
    let poly = t * (0.254_829_6 + t * (-0.284_496_74 + t * (1.421_413_7 + t * (-1.453_152_1 + t * 1.061_405_4))));
    (1.0 - poly * exp(-x * x)).copysign(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_matches_the_library() {
        for i in -870..=879 {
            let x = i as f32 / 10.0 + 0.037;
            let (got, want) = (exp(x), x.exp());
            assert!(((got - want) / want).abs() < 1e-6, "exp({x}) = {got} not {want}");
        }
        assert_eq!(exp(-1000.0), (-87.3f32).exp());
    }

    #[test]
    fn softmax_matches_the_definition() {
        let row: Vec<f32> = (0..37).map(|i| ((i * 7919) % 23) as f32 / 3.0 - 4.0).collect();
        assert_eq!(max(&row), row.iter().copied().fold(f32::NEG_INFINITY, f32::max));
        assert_eq!(max(&[]), f32::NEG_INFINITY);
        let mut got = row.clone();
        softmax(&mut got);
        let total: f32 = row.iter().map(|v| v.exp()).sum();
        for (g, v) in got.iter().zip(&row) {
            assert!((g - v.exp() / total).abs() < 1e-6, "{g} vs {}", v.exp() / total);
        }
        assert!(gelu(-10.0).abs() < 1e-6 && (gelu(10.0) - 10.0).abs() < 1e-5 && gelu(0.0) == 0.0);
    }

    #[test]
    fn erf_matches_known_values() {
        for (x, want) in [(0.0, 0.0), (0.5, 0.520_499_9), (1.0, 0.842_700_8), (-2.0, -0.995_322_3), (4.0, 1.0)] {
            assert!((erf(x) - want).abs() < 1e-6, "erf({x}) = {} not {want}", erf(x));
        }
    }
}
