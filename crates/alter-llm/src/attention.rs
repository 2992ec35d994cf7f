//! Causal softmax for attention scores, in one pass: the scale, the causal
//! mask and the softmax together, each row over only the keys it may see
//! (the masked ones are never exponentiated, and no mask tensor is built).
//! Invariant: scores are laid out `[.., rows, keys]` with the query index
//! cycling fastest over rows: row `i` is query `i % queries`.

use candle_core::{CpuStorage, CustomOp1, Layout, Shape, Tensor};
use rayon::prelude::*;

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
            let (x, y) = (&x[..seen], &mut y[..seen]);
            let max = x.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
            let mut sum = 0f32;
            for (y, &x) in y.iter_mut().zip(x) {
                *y = ((x - max) * self.scale).exp();
                sum += *y;
            }
            let inv = 1.0 / sum;
            y.iter_mut().for_each(|v| *v *= inv);
        });
        Ok((CpuStorage::F32(dst), Shape::from_dims(dims)))
    }
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
    fn refuses_other_types() {
        let scores = Tensor::zeros((2, 2), candle_core::DType::F64, &Device::Cpu).unwrap();
        assert!(causal_softmax(&scores, 1.0, 2, 0).is_err());
    }
}
