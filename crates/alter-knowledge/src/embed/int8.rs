//! 8-bit linear layers for the encoder: `Y = X Wᵀ + b` with integer products.
//!
//! Weights are quantized once per output row (symmetric, `w ≈ q × s`) and
//! packed in the layout AVX-512 VNNI consumes: sixteen output rows by four
//! inputs per 64-byte register. Activations are quantized per token and
//! stored offset by 128, because `vpdpbusd` multiplies unsigned bytes by
//! signed ones; each row's `128 × Σq` is subtracted afterwards. One
//! instruction thus does 64 multiply-adds, against 16 for an f32 FMA.
//!
//! Invariants: `n` is a multiple of [`NR`] and `k` of 4 ([`QLinear::fits`]);
//! the integer sums are exact, so the SIMD and portable kernels agree bit for
//! bit.

use rayon::prelude::*;

/// Tokens per kernel tile.
pub const MR: usize = 8;
/// Output rows per kernel tile (two 16-lane registers).
pub const NR: usize = 32;

/// A weight matrix of `n` outputs by `k` inputs, quantized and packed.
pub struct QLinear {
    n: usize,
    k: usize,
    /// `[n/16][k/4][16][4]` signed bytes.
    packed: Vec<i8>,
    scale: Vec<f32>,
    /// `128 × Σ_k q[row][k]`: what the activation offset adds to each row.
    offset: Vec<i32>,
    bias: Vec<f32>,
}

/// Activations quantized per token: `x ≈ (u − 128) × scale`, padded with
/// zero tokens to a multiple of [`MR`].
pub struct QActs {
    m: usize,
    k: usize,
    u: Vec<u8>,
    scale: Vec<f32>,
}

impl QActs {
    /// Quantizes `m` rows of `k` values (`x` row-major).
    pub fn quantize(x: &[f32], k: usize) -> Self {
        let mut acts = Self { m: 0, k, u: Vec::new(), scale: Vec::new() };
        acts.requantize(x, k);
        acts
    }

    /// [`Self::quantize`] into this one's buffers (a forward pass reuses them).
    pub fn requantize(&mut self, x: &[f32], k: usize) {
        let m = x.len() / k;
        let mp = m.div_ceil(MR) * MR;
        let (u, scale) = (&mut self.u, &mut self.scale);
        u.clear();
        u.resize(mp * k, 128);
        scale.clear();
        scale.resize(mp, 0.0);
        let vnni = vnni_available();
        u.par_chunks_mut(k).zip(scale.par_iter_mut()).zip(x.par_chunks(k)).for_each(|((u, s), x)| {
            #[cfg(target_arch = "x86_64")]
            if vnni {
                // SAFETY: the CPU has AVX-512; `u` and `x` have the same length.
                *s = unsafe { quantize_row_avx512(x, u) };
                return;
            }
            *s = quantize_row(x, u);
        });
        (self.m, self.k) = (m, k);
    }
}

impl QLinear {
    /// Whether the kernel's tiling fits these dimensions.
    pub fn fits(n: usize, k: usize) -> bool {
        n > 0 && k > 0 && n.is_multiple_of(NR) && k.is_multiple_of(4)
    }

    /// `w` is `[n, k]` row-major (PyTorch's `Linear.weight`).
    pub fn new(w: &[f32], bias: Vec<f32>, n: usize, k: usize) -> Self {
        assert!(Self::fits(n, k) && w.len() == n * k && bias.len() == n, "QLinear {n}×{k}");
        let mut q = vec![0i8; n * k];
        let mut scale = vec![0f32; n];
        let mut offset = vec![0i32; n];
        for r in 0..n {
            let row = &w[r * k..(r + 1) * k];
            let amax = row.iter().fold(0f32, |a, v| a.max(v.abs()));
            scale[r] = amax / 127.0;
            let inv = if amax > 0.0 { 127.0 / amax } else { 0.0 };
            let mut sum = 0i32;
            for (qv, v) in q[r * k..(r + 1) * k].iter_mut().zip(row) {
                *qv = (v * inv).round() as i8;
                sum += *qv as i32;
            }
            offset[r] = 128 * sum;
        }
        let mut packed = vec![0i8; n * k];
        for r in 0..n {
            let (panel, lane) = (r / 16, r % 16);
            for c in 0..k {
                packed[((panel * (k / 4) + c / 4) * 16 + lane) * 4 + c % 4] = q[r * k + c];
            }
        }
        Self { n, k, packed, scale, offset, bias }
    }

    pub fn outputs(&self) -> usize {
        self.n
    }

    /// `[x.m, n]` row-major, tiles of tokens split across the rayon pool.
    pub fn forward(&self, x: &QActs) -> Vec<f32> {
        let mut out = Vec::new();
        self.forward_into(x, &mut out);
        out
    }

    /// [`Self::forward`] into `out`'s buffer.
    pub fn forward_into(&self, x: &QActs, out: &mut Vec<f32>) {
        assert_eq!(x.k, self.k, "activation width");
        let mp = x.u.len() / self.k;
        out.resize(mp * self.n, 0.0);
        let vnni = vnni_available();
        // Tiles of 4 × MR tokens keep a thread's activations in L2 while the panels stream.
        let tokens = 4 * MR;
        out.par_chunks_mut(tokens * self.n).enumerate().for_each(|(t, out)| {
            let m0 = t * tokens;
            let rows = out.len() / self.n;
            for p in 0..self.n / NR {
                let cols = p * NR..(p + 1) * NR;
                let finish = Finish {
                    offset: &self.offset[cols.clone()],
                    scale: &self.scale[cols.clone()],
                    bias: &self.bias[cols],
                };
                let panels = &self.packed[p * NR * self.k..(p + 1) * NR * self.k];
                for mt in (0..rows).step_by(MR) {
                    let a = &x.u[(m0 + mt) * self.k..(m0 + mt + MR) * self.k];
                    let sx = &x.scale[m0 + mt..m0 + mt + MR];
                    let out = &mut out[mt * self.n + p * NR..];
                    #[cfg(target_arch = "x86_64")]
                    if vnni {
                        // SAFETY: the CPU has AVX-512 VNNI; `a` holds MR rows of k, the panels 2 × 16k
                        // bytes, and `out` MR rows of stride n from column p·NR.
                        unsafe { vnni_tile(a, panels, self.k, sx, &finish, out, self.n) };
                        continue;
                    }
                    let mut acc = [[0i32; NR]; MR];
                    portable_tile(a, panels, self.k, &mut acc);
                    for (i, acc) in acc.iter().enumerate() {
                        finish.row(acc, sx[i], &mut out[i * self.n..][..NR]);
                    }
                }
            }
        });
        out.truncate(x.m * self.n);
    }
}

/// Whether this CPU runs the VNNI kernel.
pub fn vnni_available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        static HAS: std::sync::LazyLock<bool> = std::sync::LazyLock::new(|| {
            is_x86_feature_detected!("avx512f")
                && is_x86_feature_detected!("avx512bw")
                && is_x86_feature_detected!("avx512vnni")
        });
        *HAS
    }
    #[cfg(not(target_arch = "x86_64"))]
    false
}

/// `acc[i][j] = Σ_c a[i][c] · w[j][c]` for MR tokens and one pair of panels.
fn portable_tile(a: &[u8], panels: &[i8], k: usize, acc: &mut [[i32; NR]; MR]) {
    for (i, acc) in acc.iter_mut().enumerate() {
        let a = &a[i * k..(i + 1) * k];
        for (j, acc) in acc.iter_mut().enumerate() {
            let panel = &panels[(j / 16) * 16 * k..];
            let mut sum = 0i32;
            for c in 0..k {
                sum += a[c] as i32 * panel[((c / 4) * 16 + j % 16) * 4 + c % 4] as i32;
            }
            *acc = sum;
        }
    }
}

/// A tile's integer sums to outputs: `(acc − offset) · sx · scale + bias`.
struct Finish<'a> {
    offset: &'a [i32],
    scale: &'a [f32],
    bias: &'a [f32],
}

impl Finish<'_> {
    fn row(&self, acc: &[i32; NR], sx: f32, out: &mut [f32]) {
        for ((((o, &a), &off), &s), &b) in out.iter_mut().zip(acc).zip(self.offset).zip(self.scale).zip(self.bias) {
            *o = (a - off) as f32 * (sx * s) + b;
        }
    }
}

/// Quantizes one token to offset bytes; returns its scale. Ties round to
/// even, as the SIMD version does.
fn quantize_row(x: &[f32], u: &mut [u8]) -> f32 {
    let amax = x.iter().fold(0f32, |a, v| a.max(v.abs()));
    let inv = if amax > 0.0 { 127.0 / amax } else { 0.0 };
    for (u, v) in u.iter_mut().zip(x) {
        *u = ((v * inv).round_ties_even() as i32 + 128).clamp(0, 255) as u8;
    }
    amax / 127.0
}

/// [`quantize_row`] sixteen values at a time.
///
/// # Safety
/// The CPU must pass [`vnni_available`]; `u.len() == x.len()`.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
unsafe fn quantize_row_avx512(x: &[f32], u: &mut [u8]) -> f32 {
    use std::arch::x86_64::*;
    let (chunks, tail) = (x.len() / 16, x.len() % 16);
    let tail_mask: u16 = ((1u32 << tail) - 1) as u16;
    let load = |i: usize| {
        // SAFETY: chunk i < chunks is whole; the tail load is masked to the valid lanes.
        unsafe {
            if i < chunks {
                _mm512_loadu_ps(x.as_ptr().add(i * 16))
            } else {
                _mm512_maskz_loadu_ps(tail_mask, x.as_ptr().add(i * 16))
            }
        }
    };
    let n = chunks + usize::from(tail > 0);
    let mut vmax = _mm512_setzero_ps();
    for i in 0..n {
        // `max` returns its second operand when either is NaN: a NaN never becomes the scale.
        vmax = _mm512_max_ps(_mm512_abs_ps(load(i)), vmax);
    }
    let amax = _mm512_reduce_max_ps(vmax);
    let inv = _mm512_set1_ps(if amax > 0.0 { 127.0 / amax } else { 0.0 });
    let offset = _mm512_set1_epi32(128);
    for i in 0..n {
        // Round to nearest even (the default MXCSR mode), shift to 1..=255, narrow with saturation.
        let q = _mm512_add_epi32(_mm512_cvtps_epi32(_mm512_mul_ps(load(i), inv)), offset);
        let bytes = _mm512_cvtusepi32_epi8(_mm512_max_epi32(q, _mm512_setzero_si512()));
        let mask = if i < chunks { u16::MAX } else { tail_mask };
        // SAFETY: at most the valid lanes of `u` are written.
        unsafe { _mm_mask_storeu_epi8(u.as_mut_ptr().add(i * 16) as *mut i8, mask, bytes) };
    }
    amax / 127.0
}

/// [`portable_tile`] with one `vpdpbusd` per token, panel and four inputs,
/// then [`Finish`] in registers.
///
/// # Safety
/// The CPU must pass [`vnni_available`]; `a` holds MR rows of `k` bytes,
/// `panels` two panels of `16 × k` bytes, `sx` MR scales, and `out` MR rows
/// of stride `n` with NR values each.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
unsafe fn vnni_tile(a: &[u8], panels: &[i8], k: usize, sx: &[f32], finish: &Finish, out: &mut [f32], n: usize) {
    use std::arch::x86_64::*;
    debug_assert!(a.len() >= MR * k && panels.len() >= NR * k && sx.len() >= MR);
    debug_assert!(out.len() >= (MR - 1) * n + NR);
    let mut sums = [[_mm512_setzero_si512(); 2]; MR];
    let (p0, p1) = (panels.as_ptr(), panels[16 * k..].as_ptr());
    let a = a.as_ptr();
    for step in 0..k / 4 {
        // SAFETY: step·64 + 64 ≤ 16k for each panel; each token row has k bytes.
        unsafe {
            let w0 = _mm512_loadu_si512(p0.add(step * 64) as *const _);
            let w1 = _mm512_loadu_si512(p1.add(step * 64) as *const _);
            for (i, s) in sums.iter_mut().enumerate() {
                let x = _mm512_set1_epi32((a.add(i * k + step * 4) as *const i32).read_unaligned());
                s[0] = _mm512_dpbusd_epi32(s[0], x, w0);
                s[1] = _mm512_dpbusd_epi32(s[1], x, w1);
            }
        }
    }
    // SAFETY: the finishing slices hold NR values; `out` rows as stated above.
    unsafe {
        let off = [finish.offset.as_ptr(), finish.offset[16..].as_ptr()].map(|p| _mm512_loadu_si512(p as *const _));
        let scale = [finish.scale.as_ptr(), finish.scale[16..].as_ptr()].map(|p| _mm512_loadu_ps(p));
        let bias = [finish.bias.as_ptr(), finish.bias[16..].as_ptr()].map(|p| _mm512_loadu_ps(p));
        for (i, s) in sums.iter().enumerate() {
            let sxv = _mm512_set1_ps(sx[i]);
            for half in 0..2 {
                let v = _mm512_cvtepi32_ps(_mm512_sub_epi32(s[half], off[half]));
                let y = _mm512_fmadd_ps(v, _mm512_mul_ps(sxv, scale[half]), bias[half]);
                _mm512_storeu_ps(out.as_mut_ptr().add(i * n + half * 16), y);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noise(len: usize, seed: u32) -> Vec<f32> {
        let mut s = seed | 1;
        (0..len)
            .map(|_| {
                s ^= s << 13;
                s ^= s >> 17;
                s ^= s << 5;
                (s % 2001) as f32 / 1000.0 - 1.0
            })
            .collect()
    }

    #[test]
    fn the_integer_product_approximates_the_float_one() {
        let (m, n, k) = (11, 64, 96);
        let (w, x, bias) = (noise(n * k, 7), noise(m * k, 9), noise(n, 3));
        let lin = QLinear::new(&w, bias.clone(), n, k);
        let y = lin.forward(&QActs::quantize(&x, k));
        assert_eq!(y.len(), m * n);
        for i in 0..m {
            for j in 0..n {
                let want: f32 = (0..k).map(|c| x[i * k + c] * w[j * k + c]).sum::<f32>() + bias[j];
                let got = y[i * n + j];
                assert!((got - want).abs() < 0.08, "({i},{j}): {got} vs {want}");
            }
        }
    }

    #[test]
    fn the_simd_paths_agree_with_the_portable_ones() {
        if !vnni_available() {
            eprintln!("skipped: this CPU has no AVX-512 VNNI");
            return;
        }
        // Rows of 8, 37 (a masked tail) and 384 values, with exact ties (scale 1).
        for len in [8, 37, 384] {
            let mut x = noise(len, len as u32);
            x[..3].copy_from_slice(&[127.0, 2.5, -3.5]);
            let (mut fast, mut slow) = (vec![0u8; len], vec![0u8; len]);
            // SAFETY: checked above; equal lengths.
            let sf = unsafe { quantize_row_avx512(&x, &mut fast) };
            let ss = quantize_row(&x, &mut slow);
            assert_eq!((sf, &fast), (ss, &slow), "row of {len}");
        }
        let k = 384;
        let a: Vec<u8> = noise(MR * k, 5).iter().map(|v| ((v + 1.0) * 127.0) as u8).collect();
        let w: Vec<i8> = noise(NR * k, 11).iter().map(|v| (v * 127.0) as i8).collect();
        let (offset, scale, bias) = (vec![300i32; NR], noise(NR, 4), noise(NR, 6));
        let finish = Finish { offset: &offset, scale: &scale, bias: &bias };
        let sx = noise(MR, 8);
        let n = NR + 5;
        let (mut fast, mut slow) = (vec![0f32; MR * n], vec![0f32; MR * n]);
        // SAFETY: checked above; sizes match the kernel's contract.
        unsafe { vnni_tile(&a, &w, k, &sx, &finish, &mut fast, n) };
        let mut acc = [[0i32; NR]; MR];
        portable_tile(&a, &w, k, &mut acc);
        for (i, acc) in acc.iter().enumerate() {
            finish.row(acc, sx[i], &mut slow[i * n..][..NR]);
        }
        for (f, s) in fast.iter().zip(&slow) {
            assert!((f - s).abs() <= 1e-5 * s.abs().max(1.0), "{f} vs {s}");
        }
    }

    #[test]
    fn zero_rows_and_zero_weights_give_the_bias() {
        let (n, k) = (32, 8);
        let lin = QLinear::new(&vec![0.0; n * k], vec![0.5; n], n, k);
        let y = lin.forward(&QActs::quantize(&[0.0; 8], k));
        assert!(y.iter().all(|&v| v == 0.5), "{y:?}");
    }
}
