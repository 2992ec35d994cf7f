//! The prefill kernel on CPUs with AVX-512 VNNI: two Q5_0/Q8_0 blocks (or
//! 64 weights of a Q4_K/Q6_K super-block) per 512-bit register, one
//! `vpdpbusd` per token and register. Each weight row is expanded once
//! ([`ExpandedRow`]: bytes, lane sums, lane scales) and then meets every
//! group of eight tokens; decoding the blocks again for each group cost as
//! much as the products.
//!
//! VNNI multiplies unsigned bytes by signed bytes. The activations are
//! therefore stored offset by 128 ([`Q8Group`]); each 32-bit lane then holds
//! `Σ x·w + 128·Σ w` over its four bytes, and the lane's `−128·Σ w`, computed
//! once per weight block pair from the same instruction, is the accumulator
//! the tokens start from. The sums are exact integers, as in the AVX2 kernel;
//! only the float accumulation order differs.

use std::arch::x86_64::*;

use super::avx2::weights;
use super::{Q8Blocks, scale_min_k4};
use crate::gguf::GgmlType;

/// Tokens per group: each weight row, once expanded, meets this many.
pub const GROUP: usize = 8;

/// A group of [`GROUP`] tokens' activations laid out for the kernels, in
/// chunks of 64 values (two Q8 blocks), the group's tokens side by side per
/// chunk so one pointer walks them: the bytes offset by 128, each block's
/// scale repeated over the eight 32-bit lanes its products land in, and per
/// 256 values each block's sum `d·Σq` (for Q4_K's sub-block minimums).
/// Missing tokens and the tail past the last block are zeros.
#[derive(Debug, Clone)]
pub struct Q8Group {
    chunks: usize,
    u: Vec<u8>,
    d8: Vec<f32>,
    sums: Vec<f32>,
}

impl Q8Group {
    /// Lays out up to [`GROUP`] tokens of equal length.
    pub fn new(tokens: &[Q8Blocks]) -> Self {
        assert!(tokens.len() <= GROUP, "a group holds at most {GROUP} tokens");
        let blocks = tokens.first().map_or(0, |x| x.d.len());
        let chunks = blocks.div_ceil(2);
        let supers = blocks.div_ceil(8);
        let mut g = Self {
            chunks,
            u: vec![0x80; chunks * GROUP * 64],
            d8: vec![0.0; chunks * GROUP * 16],
            sums: vec![0.0; supers * GROUP * 8],
        };
        for (t, x) in tokens.iter().enumerate() {
            assert_eq!(x.d.len(), blocks, "the group's tokens differ in length");
            for (b, (q, &d)) in x.q.chunks_exact(32).zip(&x.d).enumerate() {
                let (c, half) = (b / 2, b % 2);
                let at = (c * GROUP + t) * 64 + half * 32;
                for (u, &v) in g.u[at..at + 32].iter_mut().zip(q) {
                    *u = (v as u8) ^ 0x80;
                }
                let at = (c * GROUP + t) * 16 + half * 8;
                g.d8[at..at + 8].fill(d);
                g.sums[((b / 8) * GROUP + t) * 8 + b % 8] = d * q.iter().map(|&v| v as i32).sum::<i32>() as f32;
            }
        }
        g
    }

    /// Values per token the layout covers (a multiple of 64).
    pub fn values(&self) -> usize {
        self.chunks * 64
    }
}

/// The accumulator a weight register's tokens start from: `−128·Σw` per
/// 32-bit lane, undoing the activations' offset of 128.
#[inline]
#[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
fn offset_start(w: __m512i) -> __m512i {
    let sums = _mm512_dpbusd_epi32(_mm512_setzero_si512(), _mm512_set1_epi8(1), w);
    _mm512_sub_epi32(_mm512_setzero_si512(), _mm512_slli_epi32(sums, 7))
}

/// Whether this CPU runs the kernel.
pub fn available() -> bool {
    static HAS: std::sync::LazyLock<bool> = std::sync::LazyLock::new(|| {
        is_x86_feature_detected!("avx512f")
            && is_x86_feature_detected!("avx512bw")
            && is_x86_feature_detected!("avx512dq")
            && is_x86_feature_detected!("avx512vl")
            && is_x86_feature_detected!("avx512vnni")
            && is_x86_feature_detected!("f16c")
    });
    *HAS
}

/// One weight row expanded for the kernel, once for all the tokens it
/// meets: per chunk of 64 weights, the weights as signed bytes, their lanes'
/// starting sums `−128·Σw` ([`offset_start`]) and their lanes' scales; for
/// Q4_K, per super-block, its eight sub-blocks' minimums `dmin·mⱼ`.
#[derive(Clone)]
pub struct ExpandedRow {
    chunks: Vec<Chunk>,
    mins: Vec<__m256>,
}

/// 64 weights as signed bytes, their lanes' starting sums and scales.
#[derive(Clone, Copy)]
struct Chunk {
    w: __m512i,
    start: __m512i,
    ws: __m512,
}

impl ExpandedRow {
    /// Expands one row of `ty` (Q5_0, Q8_0, Q4_K or Q6_K).
    ///
    /// # Safety
    /// The CPU must pass [`available`]; `row` must hold whole blocks of `ty`.
    pub unsafe fn new(ty: GgmlType, row: &[u8]) -> Self {
        let mut e = Self { chunks: Vec::new(), mins: Vec::new() };
        // SAFETY: as the caller promised.
        unsafe { e.refill(ty, row) };
        e
    }

    /// Expands another row into the same buffers.
    ///
    /// # Safety
    /// As [`ExpandedRow::new`].
    #[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,avx512vnni,f16c")]
    pub unsafe fn refill(&mut self, ty: GgmlType, row: &[u8]) {
        self.chunks.clear();
        self.mins.clear();
        match ty {
            GgmlType::Q5_0 => self.push_pairs::<true>(row),
            GgmlType::Q8_0 => self.push_pairs::<false>(row),
            GgmlType::Q4K => row.chunks_exact(144).for_each(|b| self.push_q4k(b)),
            GgmlType::Q6K => row.chunks_exact(210).for_each(|b| self.push_q6k(b)),
            _ => unreachable!("no expanded form for {ty:?}"),
        }
    }

    /// Values the row covers (a multiple of 64).
    pub fn values(&self) -> usize {
        self.chunks.len() * 64
    }

    #[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,avx512vnni,f16c")]
    fn push(&mut self, w: __m512i, ws: __m512) {
        self.chunks.push(Chunk { w, start: offset_start(w), ws });
    }

    #[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,avx512vnni,f16c")]
    fn push_halves(&mut self, w: __m512i, lo: f32, hi: f32) {
        self.push(w, _mm512_insertf32x8(_mm512_castps256_ps512(_mm256_set1_ps(lo)), _mm256_set1_ps(hi), 1));
    }

    /// Q5_0 (`Q5`) or Q8_0: two 32-weight blocks per chunk; a lone last
    /// block leaves the upper half zero (the group's tail is zero too).
    #[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,avx512vnni,f16c")]
    fn push_pairs<const Q5: bool>(&mut self, row: &[u8]) {
        let bb = if Q5 { 22 } else { 34 };
        for pair in row.chunks(2 * bb) {
            let w0 = weights::<Q5>(pair);
            if pair.len() == 2 * bb {
                let w1 = weights::<Q5>(&pair[bb..]);
                self.push_halves(
                    _mm512_inserti64x4(_mm512_castsi256_si512(w0), w1, 1),
                    scale(pair),
                    scale(&pair[bb..]),
                );
            } else {
                self.push_halves(_mm512_zextsi256_si512(w0), scale(pair), 0.0);
            }
        }
    }

    /// A Q4_K super-block holds 256 weights as eight sub-blocks of 32, each
    /// with a 6-bit scale and minimum: `w = d·sⱼ·q − dmin·mⱼ` with `q` in
    /// 0..16. Bytes `32g..32g+32` of the nibbles hold sub-block `2g` in their
    /// low halves and `2g+1` in their high halves: one chunk.
    #[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,avx512vnni,f16c")]
    fn push_q4k(&mut self, b: &[u8]) {
        let (d, dmin) = (scale(b), scale(&b[2..]));
        let mut s = [0f32; 8];
        let mut m = [0f32; 8];
        for j in 0..8 {
            let (sj, mj) = scale_min_k4(j, &b[4..16]);
            s[j] = d * sj;
            m[j] = dmin * mj;
        }
        // SAFETY: `m` holds 8 floats.
        self.mins.push(unsafe { _mm256_loadu_ps(m.as_ptr()) });
        let nibble = _mm512_set1_epi8(0x0f);
        for p in 0..4 {
            // SAFETY: bytes 16 + 32p .. 48 + 32p lie inside the 144-byte block.
            let q = unsafe { _mm256_loadu_si256(b[16 + 32 * p..].as_ptr() as *const __m256i) };
            let w = _mm512_and_si512(_mm512_inserti64x4(_mm512_castsi256_si512(q), _mm256_srli_epi16(q, 4), 1), nibble);
            self.push_halves(w, s[2 * p], s[2 * p + 1]);
        }
    }

    /// A Q6_K super-block holds 256 weights of 6 bits, `w = d·sⱼ·(q − 32)`,
    /// with a signed 8-bit scale per 16 weights. In each half (128 weights)
    /// the low nibbles of bytes `0..64` with the two lowest high bits hold
    /// values `0..64`, their high nibbles with the next two bits values
    /// `64..128`: two chunks. A 32-bit lane covers four weights, so each lane
    /// takes the scale of its 16.
    #[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,avx512vnni,f16c")]
    fn push_q6k(&mut self, b: &[u8]) {
        let (nibble, two_bits) = (_mm512_set1_epi8(0x0f), _mm512_set1_epi8(0x03));
        let minus_32 = _mm512_set1_epi8(32);
        // Lane l of chunk p takes scale 4p + l/4.
        let spread = _mm512_set_epi32(3, 3, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 0, 0, 0, 0);
        // SAFETY: the 16 scales lie at bytes 192..208 of the 210-byte block.
        let scales = unsafe { _mm_loadu_si128(b[192..].as_ptr() as *const __m128i) };
        let scales = _mm512_mul_ps(_mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(scales)), _mm512_set1_ps(scale(&b[208..])));
        for n in 0..2 {
            // SAFETY: bytes 64n..64n+64 (low bits) and 128+32n..160+32n (high bits) lie inside the block.
            let (low, high) = unsafe {
                (
                    _mm512_loadu_si512(b[64 * n..].as_ptr() as *const _),
                    _mm256_loadu_si256(b[128 + 32 * n..].as_ptr() as *const __m256i),
                )
            };
            for half in 0..2 {
                // Half 0: low nibbles with high bits 0-1 (first 32 values) and 2-3 (next 32);
                // half 1: high nibbles with bits 4-5 and 6-7.
                let (nibbles, h0, h1) = if half == 0 {
                    (low, high, _mm256_srli_epi16(high, 2))
                } else {
                    (_mm512_srli_epi16(low, 4), _mm256_srli_epi16(high, 4), _mm256_srli_epi16(high, 6))
                };
                let h = _mm512_inserti64x4(_mm512_castsi256_si512(h0), h1, 1);
                let q = _mm512_or_si512(
                    _mm512_and_si512(nibbles, nibble),
                    _mm512_slli_epi16(_mm512_and_si512(h, two_bits), 4),
                );
                let (w, p) = (_mm512_sub_epi8(q, minus_32), 2 * n + half);
                self.push(w, _mm512_permutexvar_ps(_mm512_add_epi32(spread, _mm512_set1_epi32(4 * p as i32)), scales));
            }
        }
    }
}

/// Runs `$body` with `$t` = 0, 1, …, [`GROUP`] − 1, written out.
macro_rules! each_token {
    ($t:ident, $body:block) => {
        each_token!($t, $body, 0 1 2 3 4 5 6 7)
    };
    ($t:ident, $body:block, $($n:literal)*) => {{
        const _: () = assert!(GROUP == 8);
        $({
            let $t: usize = $n;
            $body
        })*
    }};
}

/// `R` expanded rows against a group of tokens: per chunk, each token's
/// values are loaded once for all `R` rows, and each row's weights once for
/// all the tokens.
///
/// # Safety
/// The CPU must pass [`available`]; the rows must be equally long, at most
/// `g.values()` values.
#[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,avx512vnni,f16c")]
pub unsafe fn dot_rows<const R: usize>(rows: [&ExpandedRow; R], g: &Q8Group) -> [[f32; GROUP]; R] {
    let mut acc = [[_mm512_setzero_ps(); GROUP]; R];
    for c in 0..rows[0].chunks.len() {
        let w: [__m512i; R] = std::array::from_fn(|r| rows[r].chunks[c].w);
        let start: [__m512i; R] = std::array::from_fn(|r| rows[r].chunks[c].start);
        let ws: [__m512; R] = std::array::from_fn(|r| rows[r].chunks[c].ws);
        let base = c * GROUP;
        // Unrolled, so the accumulators stay in registers.
        each_token!(t, {
            // SAFETY: `Q8Group::new` sized `u` (64 bytes) and `d8` (16 floats) for every chunk and token.
            let u = unsafe { _mm512_loadu_si512(g.u.as_ptr().add((base + t) * 64) as *const _) };
            let dx = unsafe { _mm512_loadu_ps(g.d8.as_ptr().add((base + t) * 16)) };
            for r in 0..R {
                let dot = _mm512_cvtepi32_ps(_mm512_dpbusd_epi32(start[r], u, w[r]));
                acc[r][t] = _mm512_fmadd_ps(_mm512_mul_ps(ws[r], dx), dot, acc[r][t]);
            }
        });
    }
    let mut out = [[0f32; GROUP]; R];
    for r in 0..R {
        each_token!(t, {
            // Q4_K's minimums meet each token's block sums once per super-block.
            let mut low = _mm256_setzero_ps();
            for (i, &mins) in rows[r].mins.iter().enumerate() {
                // SAFETY: the group holds 8 block sums per token and super-block.
                low = _mm256_fmadd_ps(mins, unsafe { _mm256_loadu_ps(g.sums.as_ptr().add((i * GROUP + t) * 8)) }, low);
            }
            out[r][t] = _mm512_reduce_add_ps(acc[r][t]) - hsum256(low);
        });
    }
    out
}

#[inline]
#[target_feature(enable = "avx2")]
fn hsum256(v: __m256) -> f32 {
    let quad = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    let pair = _mm_add_ps(quad, _mm_movehl_ps(quad, quad));
    _mm_cvtss_f32(_mm_add_ss(pair, _mm_movehdup_ps(pair)))
}

#[inline]
fn scale(b: &[u8]) -> f32 {
    half::f16::from_le_bytes([b[0], b[1]]).to_f32()
}
