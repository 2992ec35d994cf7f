//! The prefill kernel on CPUs with AVX-512 VNNI: two Q5_0/Q8_0 blocks per
//! 512-bit register, one `vpdpbusd` per token and block pair.
//!
//! VNNI multiplies unsigned bytes by signed bytes. The activations are
//! therefore stored offset by 128 ([`Q8Lanes`]); each 32-bit lane then holds
//! `Σ x·w + 128·Σ w` over its four bytes, and the lane's `−128·Σ w`, computed
//! once per weight block pair from the same instruction, is the accumulator
//! the tokens start from. The sums are exact integers, as in the AVX2 kernel;
//! only the float accumulation order differs.

use std::arch::x86_64::*;

use super::Q8Blocks;
use super::avx2::weights;

/// Activations laid out for the kernel: bytes offset by 128 and each block's
/// scale repeated over the eight 32-bit lanes its products land in.
#[derive(Debug, Clone)]
pub struct Q8Lanes {
    u: Vec<u8>,
    d8: Vec<f32>,
}

impl Q8Lanes {
    pub fn new(x: &Q8Blocks) -> Self {
        Self { u: x.q.iter().map(|&q| (q as u8) ^ 0x80).collect(), d8: x.d.iter().flat_map(|&d| [d; 8]).collect() }
    }
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

/// One Q5_0 (`Q5`) or Q8_0 row against `N` tokens.
///
/// # Safety
/// The CPU must pass [`available`]; `row` must hold whole blocks and every
/// token as many blocks as the row.
#[target_feature(enable = "avx512f,avx512bw,avx512dq,avx512vl,avx512vnni,f16c")]
pub unsafe fn dot_row<const Q5: bool, const N: usize>(row: &[u8], xs: [&Q8Lanes; N]) -> [f32; N] {
    let bb = if Q5 { 22 } else { 34 };
    let blocks = row.len() / bb;
    let mut acc = [_mm512_setzero_ps(); N];
    let ones = _mm512_set1_epi8(1);
    let mut i = 0;
    while i < blocks {
        let pair = i + 1 < blocks;
        let (b0, b1) = (&row[i * bb..], if pair { &row[(i + 1) * bb..] } else { &row[i * bb..] });
        let w0 = weights::<Q5>(b0);
        // A lone last block leaves the upper half zero: it adds nothing.
        let w = if pair {
            _mm512_inserti64x4(_mm512_castsi256_si512(w0), weights::<Q5>(b1), 1)
        } else {
            _mm512_zextsi256_si512(w0)
        };
        let start = _mm512_sub_epi32(
            _mm512_setzero_si512(),
            _mm512_slli_epi32(_mm512_dpbusd_epi32(_mm512_setzero_si512(), ones, w), 7),
        );
        let d1 = if pair { scale(b1) } else { 0.0 };
        let dw = _mm512_insertf32x8(_mm512_castps256_ps512(_mm256_set1_ps(scale(b0))), _mm256_set1_ps(d1), 1);
        let lanes = if pair { u16::MAX } else { 0x00ff };
        for (a, x) in acc.iter_mut().zip(xs) {
            // SAFETY: each token holds 32 bytes and 8 scales per block; a lone block reads only its own half.
            let (u, d) = unsafe {
                (
                    _mm512_maskz_loadu_epi8(
                        if pair { u64::MAX } else { u32::MAX as u64 },
                        x.u[i * 32..].as_ptr() as *const i8,
                    ),
                    _mm512_maskz_loadu_ps(lanes, x.d8[i * 8..].as_ptr()),
                )
            };
            let dot = _mm512_cvtepi32_ps(_mm512_dpbusd_epi32(start, u, w));
            *a = _mm512_fmadd_ps(_mm512_mul_ps(dw, d), dot, *a);
        }
        i += 2;
    }
    acc.map(|a| _mm512_reduce_add_ps(a))
}

#[inline]
fn scale(b: &[u8]) -> f32 {
    half::f16::from_le_bytes([b[0], b[1]]).to_f32()
}
