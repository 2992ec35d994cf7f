//! Our own Qwen2 / Llama forward pass over GGUF weights.
//!
//! Structure follows candle_transformers' `quantized_qwen2` and
//! `quantized_llama`, with three changes that matter for speed and reuse:
//! every linear layer goes through [`QMat`] (fused quantized dot for one
//! token, dequantised tiles + GEMM for many); the KV cache is a value the
//! caller owns ([`KvCache`], grown in place) so it can be snapshotted,
//! truncated and restored, and one new token attends straight over it
//! ([`attention::attend_one`]); and only the last position goes through the vocabulary
//! projection during prefill. Grouped-query attention reshapes queries per
//! KV head instead of copying K/V per query head.
//! Invariant: `KvCache::tokens` is exactly the token sequence whose keys and
//! values the cache holds, in order.

use std::fs::File;

use candle_core::{DType, Device, Tensor};

use crate::attention;
use crate::error::LlmError;
use crate::gguf::{GgmlType, GgufHeader, MetaValue, read_tensor_bytes};
use crate::linear::QMat;
use crate::ops;
use crate::tokenizer::TokenId;

/// Architectures we run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arch {
    Qwen2,
    Llama,
}

/// Hyper-parameters read from GGUF metadata.
#[derive(Debug, Clone)]
pub struct ModelConfig {
    pub arch: Arch,
    pub n_layer: usize,
    pub n_embd: usize,
    pub n_head: usize,
    pub n_kv_head: usize,
    pub head_dim: usize,
    pub rope_base: f32,
    pub eps: f32,
    /// Context window in tokens after applying the caller's cap.
    pub ctx_len: usize,
    pub vocab: usize,
}

impl ModelConfig {
    pub fn from_gguf(h: &GgufHeader, ctx_cap: usize) -> Result<Self, LlmError> {
        let arch_name = h.metadata.get("general.architecture").and_then(MetaValue::as_str).unwrap_or("");
        let arch = match arch_name {
            "qwen2" => Arch::Qwen2,
            "llama" => Arch::Llama,
            other => return Err(LlmError::Unsupported(format!("architecture '{other}' (qwen2 or llama expected)"))),
        };
        let get = |k: &str| h.metadata.get(&format!("{arch_name}.{k}"));
        let int = |k: &str| {
            get(k)
                .and_then(MetaValue::as_u64)
                .map(|v| v as usize)
                .ok_or_else(|| LlmError::BadGguf(format!("missing {k}")))
        };
        let n_embd = int("embedding_length")?;
        let n_head = int("attention.head_count")?;
        let n_kv_head = int("attention.head_count_kv").unwrap_or(n_head);
        if n_head == 0 || n_kv_head == 0 || n_embd % n_head != 0 || n_head % n_kv_head != 0 || n_embd > 1 << 16 {
            return Err(LlmError::BadGguf("inconsistent attention heads".into()));
        }
        let head_dim = n_embd / n_head;
        if head_dim % 2 != 0 {
            return Err(LlmError::BadGguf("odd head dimension".into()));
        }
        let n_layer = int("block_count")?;
        if n_layer == 0 || n_layer > 512 {
            return Err(LlmError::BadGguf(format!("{n_layer} layers")));
        }
        let ctx = int("context_length").unwrap_or(4096).clamp(16, 1 << 20);
        Ok(Self {
            arch,
            n_layer,
            n_embd,
            n_head,
            n_kv_head,
            head_dim,
            rope_base: get("rope.freq_base").and_then(MetaValue::as_f64).unwrap_or(10_000.0) as f32,
            eps: get("attention.layer_norm_rms_epsilon").and_then(MetaValue::as_f64).unwrap_or(1e-6) as f32,
            ctx_len: ctx.min(ctx_cap.max(16)),
            vocab: 0,
        })
    }
}

struct Layer {
    attn_norm: Tensor,
    q: QMat,
    k: QMat,
    v: QMat,
    o: QMat,
    bq: Option<Tensor>,
    bk: Option<Tensor>,
    bv: Option<Tensor>,
    ffn_norm: Tensor,
    gate: QMat,
    up: QMat,
    down: QMat,
}

/// Keys and values for a token sequence: per layer and KV head, the rows
/// of `head_dim` values one after another, grown in place as tokens are
/// added. Cloning copies them (a snapshot, e.g. the pinned persona prefix,
/// never shares storage with the live cache that grows from it).
#[derive(Clone, Default)]
pub struct KvCache {
    layers: Vec<LayerKv>,
    head_dim: usize,
    pub tokens: Vec<TokenId>,
}

/// One layer's keys and values, one `[T × head_dim]` vector per KV head.
#[derive(Clone, Default)]
struct LayerKv {
    k: Vec<Vec<f32>>,
    v: Vec<Vec<f32>>,
}

impl LayerKv {
    /// Appends `[n_kv_head, m, head_dim]` keys and values.
    fn push(&mut self, k: &Tensor, v: &Tensor) -> Result<(), LlmError> {
        let (nkv, m, hd) = k.dims3()?;
        for (heads, new) in [(&mut self.k, k), (&mut self.v, v)] {
            heads.resize_with(nkv, Vec::new);
            let new = new.flatten_all()?.to_vec1::<f32>()?;
            for (head, part) in heads.iter_mut().zip(new.chunks_exact(m * hd)) {
                head.extend_from_slice(part);
            }
        }
        Ok(())
    }

    /// All keys (or values) as one `[n_kv_head, T, head_dim]` tensor.
    fn tensor(heads: &[Vec<f32>], head_dim: usize) -> Result<Tensor, LlmError> {
        let t = heads.first().map_or(0, |h| h.len() / head_dim);
        Ok(Tensor::from_vec(heads.concat(), (heads.len(), t, head_dim), &Device::Cpu)?)
    }
}

impl KvCache {
    pub fn len(&self) -> usize {
        self.tokens.len()
    }
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }
    /// Keep the first `n` positions.
    pub fn truncate(&mut self, n: usize) -> Result<(), LlmError> {
        if n >= self.tokens.len() {
            return Ok(());
        }
        self.tokens.truncate(n);
        for layer in &mut self.layers {
            layer.k.iter_mut().chain(&mut layer.v).for_each(|h| h.truncate(n * self.head_dim));
        }
        Ok(())
    }
    /// Bytes held by the keys and values.
    pub fn n_bytes(&self) -> usize {
        self.layers.iter().flat_map(|l| l.k.iter().chain(&l.v)).map(|h| h.len() * 4).sum()
    }
}

/// The loaded weights.
pub struct Model {
    pub cfg: ModelConfig,
    embd: QMat,
    output: Option<QMat>,
    out_norm: Tensor,
    layers: Vec<Layer>,
    cos: Tensor,
    sin: Tensor,
    pub weight_bytes: usize,
}

fn vec_f32(file: &mut File, h: &GgufHeader, name: &str) -> Result<Tensor, LlmError> {
    let t = h.tensors.get(name).ok_or_else(|| LlmError::BadGguf(format!("tensor {name} is missing")))?;
    let bytes = read_tensor_bytes(file, t)?;
    let n = t.dims.iter().product::<u64>() as usize;
    let mut v = vec![0f32; n];
    if t.ty == GgmlType::F32 {
        for (o, c) in v.iter_mut().zip(bytes.chunks_exact(4)) {
            *o = f32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        }
    } else {
        crate::quant::dequant_row(t.ty, &bytes, &mut v);
    }
    Ok(Tensor::from_vec(v, n, &Device::Cpu)?)
}

fn qmat(file: &mut File, h: &GgufHeader, name: &str) -> Result<QMat, LlmError> {
    let t = h.tensors.get(name).ok_or_else(|| LlmError::BadGguf(format!("tensor {name} is missing")))?;
    QMat::new(t, read_tensor_bytes(file, t)?)
}

impl Model {
    pub fn load(file: &mut File, h: &GgufHeader, mut cfg: ModelConfig) -> Result<Self, LlmError> {
        let embd = qmat(file, h, "token_embd.weight")?;
        if embd.cols != cfg.n_embd {
            return Err(LlmError::BadGguf("embedding width disagrees with metadata".into()));
        }
        cfg.vocab = embd.rows;
        let output = if h.tensors.contains_key("output.weight") { Some(qmat(file, h, "output.weight")?) } else { None };
        let mut layers = Vec::with_capacity(cfg.n_layer);
        let opt = |file: &mut File, n: String| -> Result<Option<Tensor>, LlmError> {
            if h.tensors.contains_key(&n) { Ok(Some(vec_f32(file, h, &n)?)) } else { Ok(None) }
        };
        for i in 0..cfg.n_layer {
            let p = format!("blk.{i}");
            layers.push(Layer {
                attn_norm: vec_f32(file, h, &format!("{p}.attn_norm.weight"))?,
                q: qmat(file, h, &format!("{p}.attn_q.weight"))?,
                k: qmat(file, h, &format!("{p}.attn_k.weight"))?,
                v: qmat(file, h, &format!("{p}.attn_v.weight"))?,
                o: qmat(file, h, &format!("{p}.attn_output.weight"))?,
                bq: opt(file, format!("{p}.attn_q.bias"))?,
                bk: opt(file, format!("{p}.attn_k.bias"))?,
                bv: opt(file, format!("{p}.attn_v.bias"))?,
                ffn_norm: vec_f32(file, h, &format!("{p}.ffn_norm.weight"))?,
                gate: qmat(file, h, &format!("{p}.ffn_gate.weight"))?,
                up: qmat(file, h, &format!("{p}.ffn_up.weight"))?,
                down: qmat(file, h, &format!("{p}.ffn_down.weight"))?,
            });
        }
        let kv_dim = cfg.n_kv_head * cfg.head_dim;
        for l in &layers {
            if l.q.rows != cfg.n_embd || l.k.rows != kv_dim || l.v.rows != kv_dim || l.o.cols != cfg.n_embd {
                return Err(LlmError::BadGguf("attention weights disagree with metadata".into()));
            }
            if l.gate.cols != cfg.n_embd || l.down.rows != cfg.n_embd || l.down.cols != l.up.rows {
                return Err(LlmError::BadGguf("feed-forward weights disagree with metadata".into()));
            }
        }
        let half = cfg.head_dim / 2;
        let inv: Vec<f32> = (0..half).map(|i| 1.0 / cfg.rope_base.powf(2.0 * i as f32 / cfg.head_dim as f32)).collect();
        let mut cos = Vec::with_capacity(cfg.ctx_len * half);
        let mut sin = Vec::with_capacity(cfg.ctx_len * half);
        for p in 0..cfg.ctx_len {
            for f in &inv {
                let a = p as f32 * f;
                cos.push(a.cos());
                sin.push(a.sin());
            }
        }
        let weight_bytes = embd.n_bytes()
            + output.as_ref().map_or(0, QMat::n_bytes)
            + layers
                .iter()
                .map(|l| [&l.q, &l.k, &l.v, &l.o, &l.gate, &l.up, &l.down].iter().map(|m| m.n_bytes()).sum::<usize>())
                .sum::<usize>();
        Ok(Self {
            out_norm: vec_f32(file, h, "output_norm.weight")?,
            cos: Tensor::from_vec(cos, (cfg.ctx_len, half), &Device::Cpu)?,
            sin: Tensor::from_vec(sin, (cfg.ctx_len, half), &Device::Cpu)?,
            cfg,
            embd,
            output,
            layers,
            weight_bytes,
        })
    }

    fn rope(&self, x: &Tensor, pos: usize, m: usize) -> Result<Tensor, LlmError> {
        let cos = self.cos.narrow(0, pos, m)?;
        let sin = self.sin.narrow(0, pos, m)?;
        let x = x.unsqueeze(0)?;
        let y = match self.cfg.arch {
            Arch::Qwen2 => candle_nn::rotary_emb::rope(&x, &cos, &sin)?,
            Arch::Llama => candle_nn::rotary_emb::rope_i(&x, &cos, &sin)?,
        };
        Ok(y.squeeze(0)?)
    }

    /// Run `tokens` after what `cache` holds, extend the cache, and return the
    /// logits of the last position. The caller checks the context length.
    pub fn forward(&self, cache: &mut KvCache, tokens: &[TokenId]) -> Result<Vec<f32>, LlmError> {
        let x = self.run(cache, tokens)?;
        let m = tokens.len();
        Ok(self.logits(&x.narrow(0, m - 1, 1)?)?.pop().unwrap_or_default())
    }

    /// As [`Model::forward`], with the logits after every one of `tokens`
    /// (to check several guessed tokens in one pass).
    pub fn forward_all(&self, cache: &mut KvCache, tokens: &[TokenId]) -> Result<Vec<Vec<f32>>, LlmError> {
        let x = self.run(cache, tokens)?;
        self.logits(&x)
    }

    /// The vocabulary projection of hidden states `[n, n_embd]`.
    fn logits(&self, x: &Tensor) -> Result<Vec<Vec<f32>>, LlmError> {
        let x = candle_nn::ops::rms_norm(x, &self.out_norm, self.cfg.eps)?;
        let head = self.output.as_ref().unwrap_or(&self.embd);
        Ok(head.forward(&x)?.to_dtype(DType::F32)?.to_vec2::<f32>()?)
    }

    /// The layers over `tokens` after what `cache` holds: extends the cache
    /// and returns the last hidden states `[m, n_embd]`.
    fn run(&self, cache: &mut KvCache, tokens: &[TokenId]) -> Result<Tensor, LlmError> {
        let c = &self.cfg;
        let m = tokens.len();
        let pos = cache.len();
        if m == 0 || pos + m > c.ctx_len {
            return Err(LlmError::Internal(format!("forward of {m} tokens at {pos} (context {})", c.ctx_len)));
        }
        if cache.layers.len() != c.n_layer {
            cache.layers = vec![LayerKv::default(); c.n_layer];
            cache.head_dim = c.head_dim;
        }
        let mut emb = vec![0f32; m * c.n_embd];
        for (t, row) in tokens.iter().zip(emb.chunks_exact_mut(c.n_embd)) {
            let t = (*t as usize).min(self.embd.rows - 1);
            self.embd.row_f32(t, row);
        }
        let mut x = Tensor::from_vec(emb, (m, c.n_embd), &Device::Cpu)?;
        let (nh, nkv, hd) = (c.n_head, c.n_kv_head, c.head_dim);
        let g = nh / nkv;
        let scale = 1.0 / (hd as f32).sqrt();
        for (li, l) in self.layers.iter().enumerate() {
            let h = candle_nn::ops::rms_norm(&x, &l.attn_norm, c.eps)?;
            let add = |t: Tensor, b: &Option<Tensor>| -> Result<Tensor, LlmError> {
                Ok(match b {
                    Some(b) => t.broadcast_add(b)?,
                    None => t,
                })
            };
            let q = add(l.q.forward(&h)?, &l.bq)?;
            let k = add(l.k.forward(&h)?, &l.bk)?;
            let v = add(l.v.forward(&h)?, &l.bv)?;
            let q = self.rope(&q.reshape((m, nh, hd))?.transpose(0, 1)?.contiguous()?, pos, m)?;
            let k = self.rope(&k.reshape((m, nkv, hd))?.transpose(0, 1)?.contiguous()?, pos, m)?;
            let v = v.reshape((m, nkv, hd))?.transpose(0, 1)?.contiguous()?;
            let layer = &mut cache.layers[li];
            layer.push(&k, &v)?;
            let y = if m == 1 {
                let q = q.flatten_all()?.to_vec1::<f32>()?;
                Tensor::from_vec(
                    attention::attend_one(&q, &layer.k, &layer.v, g, hd, scale),
                    (1, nh * hd),
                    &Device::Cpu,
                )?
            } else {
                let k = LayerKv::tensor(&layer.k, hd)?;
                let v = LayerKv::tensor(&layer.v, hd)?;
                // [nh, m, hd] → [nkv, g*m, hd]: the g query heads sharing one KV head.
                let q = q.reshape((nkv, g * m, hd))?;
                // Scaled, causally masked and normalised in one pass (`attention`).
                let att = attention::causal_softmax(&q.matmul(&k.t()?)?, scale, m, pos)?;
                att.matmul(&v)?.reshape((nh, m, hd))?.transpose(0, 1)?.reshape((m, nh * hd))?
            };
            x = (x + l.o.forward(&y)?)?;
            let h = candle_nn::ops::rms_norm(&x, &l.ffn_norm, c.eps)?;
            let ff = ops::swiglu(&l.gate.forward(&h)?, &l.up.forward(&h)?)?;
            x = (x + l.down.forward(&ff)?)?;
        }
        cache.tokens.extend_from_slice(tokens);
        Ok(x)
    }
}
