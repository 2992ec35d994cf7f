//! Attention beside candle's matrix products.
//!
//! * [`causal_softmax`] (prefill): the scale, the causal mask and the
//!   softmax in one pass, each row over only the keys it may see (the masked
//!   ones are never exponentiated, and no mask tensor is built). Scores are
//!   laid out `[.., rows, keys]` with the query index cycling fastest over
//!   rows: row `i` is query `i % queries`.
//! * [`attend_one`] (decoding one token): straight over the KV cache's
//!   vectors, the query heads that share a KV head reading each key and
//!   value once, KV heads in parallel — no tensors are built from the cache.

use candle_core::{CpuStorage, CustomOp1, Layout, Shape, Tensor};
use rayon::prelude::*;

use crate::ops;

/// `softmax(scale · scores)` where query `q` (at position `first + q`) sees
/// keys `0..=first + q`; the others get 0.
pub fn causal_softmax(scores: &Tensor, scale: f32, queries: usize, first: usize) -> candle_core::Result<Tensor> {
    scores.apply_op1_no_bwd(&CausalSoftmax { scale, queries, first })
}

struct CausalSoftmax {
    scale: f32,
    queries: usize,
    first: usize,
}

impl CustomOp1 for CausalSoftmax {
    fn name(&self) -> &'static str {
        "causal-softmax"
    }

    fn cpu_fwd(&self, storage: &CpuStorage, layout: &Layout) -> candle_core::Result<(CpuStorage, Shape)> {
        let CpuStorage::F32(src) = storage else { candle_core::bail!("causal softmax takes f32 scores") };
        let Some((start, end)) = layout.contiguous_offsets() else {
            candle_core::bail!("causal softmax takes contiguous scores")
        };
        let dims = layout.shape().dims();
        let keys = *dims.last().unwrap_or(&1);
        let mut dst = vec![0f32; end - start];
        src[start..end].par_chunks(keys).zip(dst.par_chunks_mut(keys)).enumerate().for_each(|(i, (x, y))| {
            let seen = (self.first + i % self.queries.max(1) + 1).min(keys);
            y[..seen].copy_from_slice(&x[..seen]);
            ops::softmax_in_place(&mut y[..seen], self.scale);
        });
        Ok((CpuStorage::F32(dst), Shape::from_dims(dims)))
    }
}

/// One new token's attention output `[n_head × head_dim]`: `q` holds its
/// query heads, `k[h]`/`v[h]` the `[T × head_dim]` keys and values of KV head
/// `h`, shared by `group` consecutive query heads.
pub fn attend_one(q: &[f32], k: &[Vec<f32>], v: &[Vec<f32>], group: usize, head_dim: usize, scale: f32) -> Vec<f32> {
    let mut out = vec![0f32; q.len()];
    let span = group * head_dim;
    out.par_chunks_mut(span).zip(q.par_chunks(span)).zip(k.par_iter().zip(v)).for_each(|((out, q), (k, v))| {
        let t = k.len() / head_dim;
        let mut scores = vec![0f32; group * t];
        for (ti, key) in k.chunks_exact(head_dim).enumerate() {
            for (j, q) in q.chunks_exact(head_dim).enumerate() {
                scores[j * t + ti] = ops::dot(q, key);
            }
        }
        for row in scores.chunks_exact_mut(t.max(1)) {
            ops::softmax_in_place(row, scale);
        }
        for (ti, value) in v.chunks_exact(head_dim).enumerate() {
            for (j, out) in out.chunks_exact_mut(head_dim).enumerate() {
                let p = scores[j * t + ti];
                out.iter_mut().zip(value).for_each(|(o, &x)| *o += p * x);
            }
        }
    });
    out
}

#[cfg(test)]
mod tests {
    use candle_core::Device;

    use super::*;

    #[test]
    fn matches_masked_softmax() {
        // Two heads, three new queries after two cached positions, five keys.
        let (heads, queries, first, keys) = (2, 3, 2, 5);
        let v: Vec<f32> = (0..heads * queries * keys).map(|i| ((i * 7 % 11) as f32 - 5.0) / 3.0).collect();
        let scores = Tensor::from_vec(v.clone(), (heads, queries, keys), &Device::Cpu).unwrap();
        let got =
            causal_softmax(&scores, 0.5, queries, first).unwrap().flatten_all().unwrap().to_vec1::<f32>().unwrap();
        for (row, x) in v.chunks(keys).enumerate() {
            let seen = first + row % queries + 1;
            let e: Vec<f32> = x.iter().map(|v| (v * 0.5).exp()).collect();
            let sum: f32 = e[..seen].iter().sum();
            for k in 0..keys {
                let want = if k < seen { e[k] / sum } else { 0.0 };
                assert!(
                    (got[row * keys + k] - want).abs() < 1e-6,
                    "row {row} key {k}: {} vs {want}",
                    got[row * keys + k]
                );
            }
        }
    }

    #[test]
    fn one_token_matches_the_tensor_path() {
        // Four query heads on two KV heads, three cached positions, head width 20 (a tail past 16).
        let (heads, kv_heads, t, hd) = (4, 2, 3, 20);
        let f =
            |n: usize, salt: usize| -> Vec<f32> { (0..n).map(|i| ((i * 13 + salt) % 17) as f32 / 8.0 - 1.0).collect() };
        let (q, k, v) = (f(heads * hd, 1), f(kv_heads * t * hd, 5), f(kv_heads * t * hd, 9));
        let per_head = |x: &[f32]| x.chunks(t * hd).map(<[f32]>::to_vec).collect::<Vec<_>>();
        let got = attend_one(&q, &per_head(&k), &per_head(&v), heads / kv_heads, hd, 0.25);
        let d = &Device::Cpu;
        let qt = Tensor::from_vec(q, (kv_heads, heads / kv_heads, hd), d).unwrap();
        let kt = Tensor::from_vec(k, (kv_heads, t, hd), d).unwrap();
        let vt = Tensor::from_vec(v, (kv_heads, t, hd), d).unwrap();
        let att = causal_softmax(&qt.matmul(&kt.t().unwrap()).unwrap(), 0.25, 1, t - 1).unwrap();
        let want = att.matmul(&vt).unwrap().flatten_all().unwrap().to_vec1::<f32>().unwrap();
        for (i, (a, b)) in got.iter().zip(&want).enumerate() {
            assert!((a - b).abs() < 1e-5, "value {i}: {a} vs {b}");
        }
    }

    #[test]
    fn refuses_other_types() {
        let scores = Tensor::zeros((2, 2), candle_core::DType::F64, &Device::Cpu).unwrap();
        assert!(causal_softmax(&scores, 1.0, 2, 0).is_err());
    }
}
