//! Element-wise work in single passes over plain slices, written so that
//! the compiler vectorises it: `exp` as a polynomial (the C library's is a
//! call per value), sums and dot products in sixteen lanes, softmax rows, and SwiGLU (`silu(gate) · up`) fused
//! instead of three tensor passes.

use candle_core::{CpuStorage, CustomOp2, Layout, Shape, Tensor};
use rayon::prelude::*;

/// `e^x` to within 3e-7 relatively (tiny below −87): `2^n · e^f` with `n`
/// the nearest integer to `x·log₂e`, `f = x − n·ln 2` (ln 2 in two parts, so
/// `f` keeps its precision) and `e^f`, `|f| ≤ ½ ln 2`, from its Taylor
/// series to the sixth power. No branches, so loops of it vectorise.
#[inline(always)]
pub fn exp(x: f32) -> f32 {
    const LN2_HI: f32 = 0.693_359_4;
    const LN2_LO: f32 = -2.121_944_4e-4;
    let x = x.clamp(-87.0, 88.0);
    let n = (x * std::f32::consts::LOG2_E + 0.5).floor();
    let f = x - n * LN2_HI - n * LN2_LO;
    let p = 1.0 + f * (1.0 + f * (0.5 + f * (1.0 / 6.0 + f * (1.0 / 24.0 + f * (1.0 / 120.0 + f * (1.0 / 720.0))))));
    p * f32::from_bits(((n as i32 + 127) as u32) << 23)
}

/// Replaces `row` by `softmax(scale · row)`.
pub fn softmax_in_place(row: &mut [f32], scale: f32) {
    let max = row.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
    row.iter_mut().for_each(|v| *v = exp((*v - max) * scale));
    let inv = 1.0 / sum(row);
    row.iter_mut().for_each(|v| *v *= inv);
}

/// Σ values in sixteen lanes (so that it vectorises).
pub fn sum(values: &[f32]) -> f32 {
    let mut lanes = [0f32; 16];
    let chunks = values.chunks_exact(16);
    let tail: f32 = chunks.remainder().iter().sum();
    for c in chunks {
        for l in 0..16 {
            lanes[l] += c[l];
        }
    }
    lanes.iter().sum::<f32>() + tail
}

/// Σ a·b in sixteen lanes (so that it vectorises).
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0f32; 16];
    let (a16, b16) = (a.chunks_exact(16), b.chunks_exact(16));
    let tail: f32 = a16.remainder().iter().zip(b16.remainder()).map(|(x, y)| x * y).sum();
    for (a, b) in a16.zip(b16) {
        for l in 0..16 {
            lanes[l] += a[l] * b[l];
        }
    }
    lanes.iter().sum::<f32>() + tail
}

/// `silu(gate) · up` element-wise, for two f32 tensors of one shape.
pub fn swiglu(gate: &Tensor, up: &Tensor) -> candle_core::Result<Tensor> {
    gate.apply_op2_no_bwd(up, &SwiGlu)
}

struct SwiGlu;

impl CustomOp2 for SwiGlu {
    fn name(&self) -> &'static str {
        "swiglu"
    }

    fn cpu_fwd(
        &self,
        s1: &CpuStorage,
        l1: &Layout,
        s2: &CpuStorage,
        l2: &Layout,
    ) -> candle_core::Result<(CpuStorage, Shape)> {
        let (CpuStorage::F32(gate), CpuStorage::F32(up)) = (s1, s2) else {
            candle_core::bail!("swiglu takes f32 tensors")
        };
        let (Some((g0, g1)), Some((u0, u1))) = (l1.contiguous_offsets(), l2.contiguous_offsets()) else {
            candle_core::bail!("swiglu takes contiguous tensors")
        };
        if l1.shape() != l2.shape() {
            candle_core::bail!("swiglu takes tensors of one shape, not {:?} and {:?}", l1.shape(), l2.shape())
        }
        let (gate, up) = (&gate[g0..g1], &up[u0..u1]);
        let mut out = vec![0f32; gate.len()];
        const CHUNK: usize = 4096;
        out.par_chunks_mut(CHUNK).zip(gate.par_chunks(CHUNK).zip(up.par_chunks(CHUNK))).for_each(|(o, (g, u))| {
            for ((o, &g), &u) in o.iter_mut().zip(g).zip(u) {
                *o = g / (1.0 + exp(-g)) * u;
            }
        });
        Ok((CpuStorage::F32(out), l1.shape().clone()))
    }
}

#[cfg(test)]
mod tests {
    use candle_core::Device;

    use super::*;

    #[test]
    fn exp_is_close_to_the_library_one() {
        for i in -2000..=2000 {
            let x = i as f32 / 25.0;
            let (got, want) = (exp(x), x.exp());
            assert!((got - want).abs() <= 3e-7 * want, "exp({x}) = {got}, not {want}");
        }
        assert_eq!(exp(-1000.0).min(1e-37), exp(-1000.0));
        assert!(exp(f32::NEG_INFINITY) < 1e-37);
    }

    #[test]
    fn softmax_rows_sum_to_one() {
        let mut row: Vec<f32> = (0..37).map(|i| (i as f32 * 0.7).sin() * 5.0).collect();
        let want: Vec<f32> = {
            let e: Vec<f32> = row.iter().map(|v| (v * 0.5).exp()).collect();
            let s: f32 = e.iter().sum();
            e.iter().map(|v| v / s).collect()
        };
        softmax_in_place(&mut row, 0.5);
        for (a, b) in row.iter().zip(&want) {
            assert!((a - b).abs() < 1e-6, "{a} vs {b}");
        }
    }

    #[test]
    fn swiglu_matches_the_definition() {
        let g: Vec<f32> = (0..5000).map(|i| (i as f32 - 2500.0) / 300.0).collect();
        let u: Vec<f32> = (0..5000).map(|i| (i % 7) as f32 - 3.0).collect();
        let d = &Device::Cpu;
        let got = swiglu(
            &Tensor::from_vec(g.clone(), (2, 2500), d).unwrap(),
            &Tensor::from_vec(u.clone(), (2, 2500), d).unwrap(),
        )
        .unwrap()
        .flatten_all()
        .unwrap()
        .to_vec1::<f32>()
        .unwrap();
        for i in 0..g.len() {
            let want = g[i] / (1.0 + (-g[i]).exp()) * u[i];
            assert!((got[i] - want).abs() <= 1e-5 * want.abs().max(1.0), "{i}: {} vs {want}", got[i]);
        }
        let other = Tensor::zeros((3, 2), candle_core::DType::F32, d).unwrap();
        assert!(swiglu(&other, &Tensor::zeros((2, 3), candle_core::DType::F32, d).unwrap()).is_err());
    }
}
