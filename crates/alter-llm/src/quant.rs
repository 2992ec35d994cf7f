//! Block dequantisation and fused dot products for the ggml formats we run.
//!
//! Prefill (many tokens) uses [`dequant_row`] to expand weight rows into f32
//! tiles for a GEMM. For Q5_0 and Q8_0, decoding ([`dot_rows_q8`]) and prefill
//! ([`dot_row_x4`]) instead meet 8-bit-quantised activations ([`Q8Blocks`]) in
//! integer dot products. Each kernel has a portable copy and an AVX2/FMA/F16C
//! one, chosen at run time.
//! Invariant: callers pass whole rows (`row.len() == k / block_elems * block_bytes`).

use half::{bf16, f16};

use crate::gguf::GgmlType;

#[cfg(target_arch = "x86_64")]
pub mod vnni;

#[inline(always)]
fn h(b: &[u8], i: usize) -> f32 {
    f16::from_le_bytes([b[i], b[i + 1]]).to_f32()
}

#[inline(always)]
fn scale_min_k4(j: usize, q: &[u8]) -> (f32, f32) {
    if j < 4 {
        ((q[j] & 63) as f32, (q[j + 4] & 63) as f32)
    } else {
        (((q[j + 4] & 0xF) | ((q[j - 4] >> 6) << 4)) as f32, ((q[j + 4] >> 4) | ((q[j] >> 6) << 4)) as f32)
    }
}

/// Dequantise one block of `ty` into `y` (32 or 256 values; 1 for plain floats).
#[inline(always)]
fn dequant_block(ty: GgmlType, b: &[u8], y: &mut [f32]) {
    match ty {
        GgmlType::Q4_0 => {
            let d = h(b, 0);
            for j in 0..16 {
                y[j] = ((b[2 + j] & 0xF) as i32 - 8) as f32 * d;
                y[j + 16] = ((b[2 + j] >> 4) as i32 - 8) as f32 * d;
            }
        }
        GgmlType::Q4_1 => {
            let (d, m) = (h(b, 0), h(b, 2));
            for j in 0..16 {
                y[j] = (b[4 + j] & 0xF) as f32 * d + m;
                y[j + 16] = (b[4 + j] >> 4) as f32 * d + m;
            }
        }
        GgmlType::Q5_0 => {
            let d = h(b, 0);
            let qh = u32::from_le_bytes([b[2], b[3], b[4], b[5]]);
            for j in 0..16 {
                let x0 = (b[6 + j] & 0xF) as u32 | (((qh >> j) << 4) & 0x10);
                let x1 = (b[6 + j] >> 4) as u32 | ((qh >> (j + 12)) & 0x10);
                y[j] = (x0 as i32 - 16) as f32 * d;
                y[j + 16] = (x1 as i32 - 16) as f32 * d;
            }
        }
        GgmlType::Q5_1 => {
            let (d, m) = (h(b, 0), h(b, 2));
            let qh = u32::from_le_bytes([b[4], b[5], b[6], b[7]]);
            for j in 0..16 {
                let x0 = (b[8 + j] & 0xF) as u32 | (((qh >> j) << 4) & 0x10);
                let x1 = (b[8 + j] >> 4) as u32 | ((qh >> (j + 12)) & 0x10);
                y[j] = x0 as f32 * d + m;
                y[j + 16] = x1 as f32 * d + m;
            }
        }
        GgmlType::Q8_0 => {
            let d = h(b, 0);
            for j in 0..32 {
                y[j] = b[2 + j] as i8 as f32 * d;
            }
        }
        GgmlType::Q4K => {
            let (d, dmin) = (h(b, 0), h(b, 2));
            let sc = &b[4..16];
            let qs = &b[16..144];
            for g in 0..4 {
                let (s1, m1) = scale_min_k4(2 * g, sc);
                let (s2, m2) = scale_min_k4(2 * g + 1, sc);
                let (d1, m1, d2, m2) = (d * s1, dmin * m1, d * s2, dmin * m2);
                let q = &qs[32 * g..32 * g + 32];
                let o = &mut y[64 * g..64 * g + 64];
                for l in 0..32 {
                    o[l] = d1 * (q[l] & 0xF) as f32 - m1;
                    o[l + 32] = d2 * (q[l] >> 4) as f32 - m2;
                }
            }
        }
        GgmlType::Q5K => {
            let (d, dmin) = (h(b, 0), h(b, 2));
            let sc = &b[4..16];
            let qh = &b[16..48];
            let qs = &b[48..176];
            for g in 0..4 {
                let (s1, m1) = scale_min_k4(2 * g, sc);
                let (s2, m2) = scale_min_k4(2 * g + 1, sc);
                let (d1, m1, d2, m2) = (d * s1, dmin * m1, d * s2, dmin * m2);
                let (u1, u2) = (1u8 << (2 * g), 2u8 << (2 * g));
                let q = &qs[32 * g..32 * g + 32];
                let o = &mut y[64 * g..64 * g + 64];
                for l in 0..32 {
                    let h1 = if qh[l] & u1 != 0 { 16 } else { 0 };
                    let h2 = if qh[l] & u2 != 0 { 16 } else { 0 };
                    o[l] = d1 * ((q[l] & 0xF) + h1) as f32 - m1;
                    o[l + 32] = d2 * ((q[l] >> 4) + h2) as f32 - m2;
                }
            }
        }
        GgmlType::Q6K => {
            let d = h(b, 208);
            for n in 0..2 {
                let ql = &b[64 * n..64 * n + 64];
                let qh = &b[128 + 32 * n..128 + 32 * n + 32];
                let sc = &b[192 + 8 * n..192 + 8 * n + 8];
                let o = &mut y[128 * n..128 * n + 128];
                for l in 0..32 {
                    let is = l / 16;
                    let q1 = ((ql[l] & 0xF) | ((qh[l] & 3) << 4)) as i32 - 32;
                    let q2 = ((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) as i32 - 32;
                    let q3 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) as i32 - 32;
                    let q4 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) as i32 - 32;
                    o[l] = d * (sc[is] as i8 as f32) * q1 as f32;
                    o[l + 32] = d * (sc[is + 2] as i8 as f32) * q2 as f32;
                    o[l + 64] = d * (sc[is + 4] as i8 as f32) * q3 as f32;
                    o[l + 96] = d * (sc[is + 6] as i8 as f32) * q4 as f32;
                }
            }
        }
        GgmlType::F32 => y[0] = f32::from_le_bytes([b[0], b[1], b[2], b[3]]),
        GgmlType::F16 => y[0] = h(b, 0),
        GgmlType::BF16 => y[0] = bf16::from_le_bytes([b[0], b[1]]).to_f32(),
        // Rejected at load by `supported`.
        _ => y.iter_mut().for_each(|v| *v = 0.0),
    }
}

/// Whether we can compute with tensors of this type.
pub fn supported(ty: GgmlType) -> bool {
    !matches!(ty, GgmlType::Q8_1 | GgmlType::Q2K | GgmlType::Q3K | GgmlType::Q8K)
}

#[inline(always)]
fn dequant_row_impl(ty: GgmlType, row: &[u8], out: &mut [f32]) {
    let (be, bb) = ty.block();
    if be == 1 {
        for (o, b) in out.iter_mut().zip(row.chunks_exact(bb)) {
            dequant_block(ty, b, std::slice::from_mut(o));
        }
        return;
    }
    for (o, b) in out.chunks_exact_mut(be).zip(row.chunks_exact(bb)) {
        dequant_block(ty, b, o);
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma,f16c")]
unsafe fn dequant_row_avx2(ty: GgmlType, row: &[u8], out: &mut [f32]) {
    dequant_row_impl(ty, row, out)
}

fn has_avx2() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::is_x86_feature_detected!("avx2")
            && std::is_x86_feature_detected!("fma")
            && std::is_x86_feature_detected!("f16c")
    }
    #[cfg(not(target_arch = "x86_64"))]
    false
}

static AVX2: std::sync::LazyLock<bool> = std::sync::LazyLock::new(has_avx2);

/// Expand one row of `ty` into f32.
pub fn dequant_row(ty: GgmlType, row: &[u8], out: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    if *AVX2 {
        // SAFETY: the CPU supports the features the function was compiled for.
        unsafe { dequant_row_avx2(ty, row, out) };
        return;
    }
    dequant_row_impl(ty, row, out)
}

/// Whether [`dot_rows_q8`] serves `ty`: Q5_0, which candle's integer kernels
/// run without SIMD (most of Qwen2.5's Q4_K_M), and Q8_0 (its output layer,
/// the largest matrix), where ours streams faster. Q4_1/Q5_1 stay with candle.
pub fn has_q8_kernel(ty: GgmlType) -> bool {
    matches!(ty, GgmlType::Q5_0 | GgmlType::Q8_0)
}

/// An activation vector quantised to 8 bits per 32-element block (ggml's Q8_0):
/// `x ≈ q × d` per block.
#[derive(Clone)]
pub struct Q8Blocks {
    pub q: Vec<i8>,
    pub d: Vec<f32>,
}

impl Q8Blocks {
    pub fn quantize(x: &[f32]) -> Q8Blocks {
        let n = x.len().div_ceil(32);
        let mut out = Q8Blocks { q: vec![0; n * 32], d: vec![0.0; n] };
        for (b, xb) in x.chunks(32).enumerate() {
            let amax = xb.iter().fold(0f32, |m, v| m.max(v.abs()));
            let d = amax / 127.0;
            let inv = if d > 0.0 { 1.0 / d } else { 0.0 };
            for (q, v) in out.q[b * 32..].iter_mut().zip(xb) {
                // Ties to even, as a vector instruction rounds (`round` is a library call).
                *q = (v * inv).round_ties_even() as i8;
            }
            out.d[b] = d;
        }
        out
    }
}

/// Σ w·x over one 32-weight block given as integers (before scaling).
#[inline(always)]
fn idot32(w: &[i8; 32], x: &[i8]) -> i32 {
    let mut acc = 0i32;
    for i in 0..32 {
        acc += w[i] as i32 * x[i] as i32;
    }
    acc
}

#[inline(always)]
fn dot_row_q8_impl(ty: GgmlType, row: &[u8], x: &Q8Blocks) -> f32 {
    let (_, bb) = ty.block();
    let mut total = 0f32;
    let mut w = [0i8; 32];
    for (i, b) in row.chunks_exact(bb).enumerate() {
        let xq = &x.q[i * 32..i * 32 + 32];
        match ty {
            GgmlType::Q5_0 => {
                let qh = u32::from_le_bytes([b[2], b[3], b[4], b[5]]);
                for j in 0..16 {
                    let x0 = (b[6 + j] & 0xF) as u32 | (((qh >> j) << 4) & 0x10);
                    let x1 = (b[6 + j] >> 4) as u32 | ((qh >> (j + 12)) & 0x10);
                    w[j] = x0 as i8 - 16;
                    w[j + 16] = x1 as i8 - 16;
                }
                total += h(b, 0) * x.d[i] * idot32(&w, xq) as f32;
            }
            GgmlType::Q8_0 => {
                for (wj, q) in w.iter_mut().zip(&b[2..34]) {
                    *wj = *q as i8;
                }
                total += h(b, 0) * x.d[i] * idot32(&w, xq) as f32;
            }
            _ => unreachable!("dot_rows_q8 called for {ty:?}"),
        }
    }
    total
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma,f16c")]
unsafe fn dot_rows_q8_avx2(ty: GgmlType, rows: &[u8], row_bytes: usize, x: &Q8Blocks, out: &mut [f32]) {
    for (o, r) in out.iter_mut().zip(rows.chunks_exact(row_bytes)) {
        *o = match ty {
            GgmlType::Q5_0 => avx2::dot_row::<true>(r, x),
            GgmlType::Q8_0 => avx2::dot_row::<false>(r, x),
            _ => dot_row_q8_impl(ty, r, x),
        };
    }
}

/// Q5_0 and Q8_0 × Q8_0 with AVX2, as ggml does it: weights expand to signed
/// bytes in registers, `maddubs` multiplies byte pairs, `madd` sums them.
#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::*;

    use super::{Q8Blocks, h};

    /// 0xFF in byte k where bit k of `bits` is set.
    #[target_feature(enable = "avx2")]
    fn bytes_from_bits(bits: u32) -> __m256i {
        let shuffle = _mm256_set_epi64x(0x0303030303030303, 0x0202020202020202, 0x0101010101010101, 0);
        let bytes = _mm256_shuffle_epi8(_mm256_set1_epi32(bits as i32), shuffle);
        let mask = _mm256_set1_epi64x(0x7fbfdfeff7fbfdfe);
        _mm256_cmpeq_epi8(_mm256_or_si256(bytes, mask), _mm256_set1_epi64x(-1))
    }

    /// One Q5_0 (`Q5`) or Q8_0 row against one activation vector.
    #[target_feature(enable = "avx2,fma,f16c")]
    pub(super) fn dot_row<const Q5: bool>(row: &[u8], x: &Q8Blocks) -> f32 {
        let bb = if Q5 { 22 } else { 34 };
        let mut acc = _mm256_setzero_ps();
        for (i, b) in row.chunks_exact(bb).enumerate() {
            let w = weights::<Q5>(b);
            // SAFETY: x holds 32 bytes per block.
            let y = unsafe { _mm256_loadu_si256(x.q[i * 32..].as_ptr() as *const __m256i) };
            // |w| · (y with w's sign): maddubs needs one unsigned operand.
            let products = _mm256_maddubs_epi16(_mm256_sign_epi8(w, w), _mm256_sign_epi8(y, w));
            let sums = _mm256_cvtepi32_ps(_mm256_madd_epi16(products, _mm256_set1_epi16(1)));
            acc = _mm256_fmadd_ps(_mm256_set1_ps(h(b, 0) * x.d[i]), sums, acc);
        }
        hsum(acc)
    }

    /// Expands one Q5_0 (22-byte) or Q8_0 (34-byte) block to 32 signed bytes.
    #[inline]
    #[target_feature(enable = "avx2")]
    pub(super) fn weights<const Q5: bool>(b: &[u8]) -> __m256i {
        if Q5 {
            // SAFETY: the caller passes a whole 22-byte block (2 scale, 4 high bits, 16 nibbles).
            let nibbles = unsafe { _mm_loadu_si128(b[6..].as_ptr() as *const __m128i) };
            let both = _mm256_set_m128i(_mm_srli_epi16(nibbles, 4), nibbles);
            let low = _mm256_and_si256(both, _mm256_set1_epi8(0x0f));
            // value − 16: OR 0xF0 (i.e. −16 as a signed byte) where the fifth bit is clear.
            let high = _mm256_andnot_si256(
                bytes_from_bits(u32::from_le_bytes([b[2], b[3], b[4], b[5]])),
                _mm256_set1_epi8(0xf0u8 as i8),
            );
            _mm256_or_si256(low, high)
        } else {
            // SAFETY: the caller passes a whole 34-byte block (2 scale, 32 values).
            unsafe { _mm256_loadu_si256(b[2..].as_ptr() as *const __m256i) }
        }
    }

    /// One Q5_0 (`Q5`) or Q8_0 row against four activation vectors.
    #[target_feature(enable = "avx2,fma,f16c")]
    pub(super) fn dot_row_x4<const Q5: bool>(row: &[u8], xs: [&Q8Blocks; 4]) -> [f32; 4] {
        let bb = if Q5 { 22 } else { 34 };
        let mut acc = [_mm256_setzero_ps(); 4];
        let ones = _mm256_set1_epi16(1);
        for (i, b) in row.chunks_exact(bb).enumerate() {
            let w = weights::<Q5>(b);
            let aw = _mm256_sign_epi8(w, w);
            let d = h(b, 0);
            for (a, x) in acc.iter_mut().zip(xs) {
                // SAFETY: each x holds 32 bytes per block.
                let y = unsafe { _mm256_loadu_si256(x.q[i * 32..].as_ptr() as *const __m256i) };
                let sums =
                    _mm256_cvtepi32_ps(_mm256_madd_epi16(_mm256_maddubs_epi16(aw, _mm256_sign_epi8(y, w)), ones));
                *a = _mm256_fmadd_ps(_mm256_set1_ps(d * x.d[i]), sums, *a);
            }
        }
        acc.map(|a| hsum(a))
    }

    #[target_feature(enable = "avx2")]
    fn hsum(acc: __m256) -> f32 {
        let quad = _mm_add_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps(acc, 1));
        let pair = _mm_add_ps(quad, _mm_movehl_ps(quad, quad));
        _mm_cvtss_f32(_mm_add_ss(pair, _mm_movehdup_ps(pair)))
    }
}

/// One weight row against four activation vectors at once (prefill): the
/// row's blocks are expanded once and reused for all four.
pub fn dot_row_x4(ty: GgmlType, row: &[u8], xs: [&Q8Blocks; 4]) -> [f32; 4] {
    #[cfg(target_arch = "x86_64")]
    if *AVX2 && has_q8_kernel(ty) {
        // SAFETY: the CPU supports AVX2/FMA/F16C; whole rows are passed.
        return unsafe {
            if ty == GgmlType::Q5_0 { avx2::dot_row_x4::<true>(row, xs) } else { avx2::dot_row_x4::<false>(row, xs) }
        };
    }
    xs.map(|x| dot_row_q8_impl(ty, row, x))
}

/// Whether [`dot_rows_group`] serves `ty` on this CPU: Q5_0, Q8_0, Q4_K and
/// Q6_K where the CPU has AVX-512 VNNI.
pub fn has_group_kernel(ty: GgmlType) -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        matches!(ty, GgmlType::Q5_0 | GgmlType::Q8_0 | GgmlType::Q4K | GgmlType::Q6K) && vnni::available()
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        let _ = ty;
        false
    }
}

/// A weight row expanded for [`vnni::dot_rows`] (prefill on CPUs with
/// AVX-512 VNNI; the caller checks [`has_group_kernel`]).
#[cfg(target_arch = "x86_64")]
pub fn expand_row(ty: GgmlType, row: &[u8]) -> vnni::ExpandedRow {
    check_expandable(ty, row);
    // SAFETY: the CPU supports the kernels and the row holds whole blocks (both checked).
    unsafe { vnni::ExpandedRow::new(ty, row) }
}

/// [`expand_row`] into the buffers of an earlier expansion.
#[cfg(target_arch = "x86_64")]
pub fn expand_row_into(ty: GgmlType, row: &[u8], into: &mut vnni::ExpandedRow) {
    check_expandable(ty, row);
    // SAFETY: as in `expand_row`.
    unsafe { into.refill(ty, row) }
}

#[cfg(target_arch = "x86_64")]
fn check_expandable(ty: GgmlType, row: &[u8]) {
    assert!(has_group_kernel(ty), "expanding a row needs AVX-512 VNNI and Q5_0, Q8_0, Q4_K or Q6_K, not {ty:?}");
    assert!(row.len().is_multiple_of(ty.block().1), "a row of whole blocks");
}

/// Two expanded rows against a group of tokens laid out for [`vnni`].
#[cfg(target_arch = "x86_64")]
pub fn dot_rows_group(rows: [&vnni::ExpandedRow; 2], g: &vnni::Q8Group) -> [[f32; vnni::GROUP]; 2] {
    assert!(rows[0].values() == rows[1].values(), "the rows differ in length");
    assert!(rows[0].values() <= g.values(), "the rows are longer than the tokens");
    // SAFETY: rows only exist where the CPU supports the kernels (`expand_row`); lengths checked above.
    unsafe { vnni::dot_rows::<2>(rows, g) }
}

/// `out[i] = dot(row i, x)` with integer block products (the decoding
/// kernel for [`has_q8_kernel`] formats; `x` from [`Q8Blocks::quantize`]).
pub fn dot_rows_q8(ty: GgmlType, rows: &[u8], row_bytes: usize, x: &Q8Blocks, out: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    if *AVX2 {
        // SAFETY: the CPU supports the features the function was compiled for.
        unsafe { dot_rows_q8_avx2(ty, rows, row_bytes, x, out) };
        return;
    }
    for (o, r) in out.iter_mut().zip(rows.chunks_exact(row_bytes)) {
        *o = dot_row_q8_impl(ty, r, x);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Random bytes make valid blocks once each block's f16 scales are sane.
    fn random_row(ty: GgmlType, blocks: usize, seed: u64) -> Vec<u8> {
        let (_, bb) = ty.block();
        let mut x = seed | 1;
        let mut row: Vec<u8> = (0..blocks * bb)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        // Where each format keeps its f16 scales (Q4_K: `d`, then the minimums' `dmin`; Q6_K: last).
        let scales: &[usize] = match ty {
            GgmlType::Q4K => &[0, 2],
            GgmlType::Q6K => &[208],
            _ => &[0],
        };
        for b in row.chunks_exact_mut(bb) {
            for &at in scales {
                let d = 0.001 + b[at] as f32 / 25_000.0;
                b[at..at + 2].copy_from_slice(&f16::from_f32(d).to_le_bytes());
            }
        }
        row
    }

    /// Eight tokens of `k` activations, quantized (`salt` varies them).
    fn eight_tokens(k: usize, salt: usize) -> Vec<Q8Blocks> {
        (0..8)
            .map(|t| {
                let period = 83 + 2 * salt;
                Q8Blocks::quantize(
                    &(0..k)
                        .map(|i| ((i * (t + salt) % period) as f32 - (period / 2) as f32) / 17.0)
                        .collect::<Vec<_>>(),
                )
            })
            .collect()
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn vnni_prefill_matches_the_portable_kernel() {
        if !vnni::available() {
            eprintln!("skipped: this CPU has no AVX-512 VNNI");
            return;
        }
        for (k, ty) in [(896, GgmlType::Q5_0), (896, GgmlType::Q8_0), (96, GgmlType::Q5_0), (32, GgmlType::Q8_0)] {
            let (_, bb) = ty.block();
            let row = random_row(ty, k / 32, k as u64);
            let xs = eight_tokens(k, 3);
            let [got, again] = dot_rows_group([&expand_row(ty, &row); 2], &vnni::Q8Group::new(&xs));
            assert_eq!(got, again);
            for (t, x) in xs.iter().enumerate() {
                let want = dot_row_q8_impl(ty, &row, x);
                let scale = want.abs().max(1.0);
                assert!((got[t] - want).abs() <= 1e-4 * scale, "{ty:?} k={k} token {t}: {} vs {want}", got[t]);
            }
            assert_eq!(row.len(), k / 32 * bb);
        }
    }

    /// Q4_K × Q8_0 in exact integers per sub-block, scaled as the kernel does.
    fn q4k_reference(row: &[u8], x: &Q8Blocks) -> f64 {
        let mut total = 0f64;
        for (i, b) in row.chunks_exact(144).enumerate() {
            let (d, dmin) = (h(b, 0) as f64, h(b, 2) as f64);
            for j in 0..8 {
                let (s, m) = scale_min_k4(j, &b[4..16]);
                let (g, high) = (j / 2, j % 2 == 1);
                let xq = &x.q[i * 256 + 32 * j..i * 256 + 32 * j + 32];
                let dot: i32 = (0..32)
                    .map(|l| {
                        let q = b[16 + 32 * g + l];
                        (if high { q >> 4 } else { q & 0xF }) as i32 * xq[l] as i32
                    })
                    .sum();
                let sum: i32 = xq.iter().map(|&v| v as i32).sum();
                let dx = x.d[i * 8 + j] as f64;
                total += d * s as f64 * dx * dot as f64 - dmin * m as f64 * dx * sum as f64;
            }
        }
        total
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn vnni_q4k_prefill_matches_exact_sums_and_dequantisation() {
        if !has_group_kernel(GgmlType::Q4K) {
            eprintln!("skipped: this CPU has no AVX-512 VNNI");
            return;
        }
        for k in [256, 4864] {
            let row = random_row(GgmlType::Q4K, k / 256, k as u64 + 5);
            let xs = eight_tokens(k, 5);
            let [got, _] = dot_rows_group([&expand_row(GgmlType::Q4K, &row); 2], &vnni::Q8Group::new(&xs));
            let mut w = vec![0f32; k];
            dequant_row(GgmlType::Q4K, &row, &mut w);
            for (t, x) in xs.iter().enumerate() {
                let want = q4k_reference(&row, x);
                let magnitude: f64 =
                    w.iter().zip(&x.q).map(|(a, &q)| (a.abs() * q.unsigned_abs() as f32) as f64).sum::<f64>()
                        * x.d.iter().fold(0f32, |m, &d| m.max(d)) as f64;
                assert!(
                    (got[t] as f64 - want).abs() <= 1e-5 * magnitude.max(1.0),
                    "k={k} token {t}: {} vs {want}",
                    got[t]
                );
                // And the same as the dequantised weights times the dequantised activations.
                let float: f64 =
                    w.iter().enumerate().map(|(e, &wv)| wv as f64 * x.q[e] as f64 * x.d[e / 32] as f64).sum();
                assert!((float - want).abs() <= 1e-4 * magnitude.max(1.0), "k={k} token {t}: {float} vs {want}");
            }
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn vnni_q6k_prefill_matches_dequantisation() {
        if !has_group_kernel(GgmlType::Q6K) {
            eprintln!("skipped: this CPU has no AVX-512 VNNI");
            return;
        }
        for k in [256, 4864] {
            let row = random_row(GgmlType::Q6K, k / 256, k as u64 + 11);
            let xs = eight_tokens(k, 7);
            let [got, _] = dot_rows_group([&expand_row(GgmlType::Q6K, &row); 2], &vnni::Q8Group::new(&xs));
            let mut w = vec![0f32; k];
            dequant_row(GgmlType::Q6K, &row, &mut w);
            for (t, x) in xs.iter().enumerate() {
                let want: f64 =
                    w.iter().enumerate().map(|(e, &wv)| wv as f64 * x.q[e] as f64 * x.d[e / 32] as f64).sum();
                let magnitude: f64 =
                    w.iter().enumerate().map(|(e, &wv)| (wv as f64 * x.q[e] as f64 * x.d[e / 32] as f64).abs()).sum();
                assert!(
                    (got[t] as f64 - want).abs() <= 1e-5 * magnitude.max(1.0),
                    "k={k} token {t}: {} vs {want}",
                    got[t]
                );
            }
        }
    }

    #[test]
    fn integer_decoding_matches_float_dequantisation() {
        let k = 896;
        let x: Vec<f32> = (0..k).map(|i| ((i * 37 % 101) as f32 - 50.0) / 40.0).collect();
        let xq = Q8Blocks::quantize(&x);
        for ty in [GgmlType::Q5_0, GgmlType::Q8_0] {
            assert!(has_q8_kernel(ty));
            let (_, bb) = ty.block();
            let rows = 8;
            let data: Vec<u8> = (0..rows).flat_map(|r| random_row(ty, k / 32, 99 + r as u64)).collect();
            let mut fast = vec![0f32; rows];
            dot_rows_q8(ty, &data, k / 32 * bb, &xq, &mut fast);
            for (r, got) in fast.iter().enumerate() {
                let mut w = vec![0f32; k];
                dequant_row(ty, &data[r * k / 32 * bb..(r + 1) * k / 32 * bb], &mut w);
                let want: f32 = w.iter().zip(&x).map(|(a, b)| a * b).sum();
                let scale: f32 = w.iter().zip(&x).map(|(a, b)| (a * b).abs()).sum();
                assert!((got - want).abs() <= 0.01 * scale, "{ty:?} row {r}: {got} vs {want} (scale {scale})");
                // The portable kernel agrees with the SIMD one.
                let portable = dot_row_q8_impl(ty, &data[r * k / 32 * bb..(r + 1) * k / 32 * bb], &xq);
                assert!((portable - got).abs() <= 1e-4 * scale, "{ty:?} row {r}: portable {portable} vs {got}");
                // Four tokens at once give each token's own result.
                let row = &data[r * k / 32 * bb..(r + 1) * k / 32 * bb];
                let zero = Q8Blocks::quantize(&vec![0f32; k]);
                let four = dot_row_x4(ty, row, [&zero, &xq, &zero, &xq]);
                assert_eq!(four[0], 0.0);
                assert!(
                    (four[1] - got).abs() <= 1e-4 * scale && (four[3] - got).abs() <= 1e-4 * scale,
                    "{four:?} vs {got}"
                );
            }
        }
    }
}
