//! Block dequantisation and fused dot products for the ggml formats we run.
//!
//! Decoding (one token) multiplies each weight row by one activation vector:
//! [`dot_row`] dequantises one block at a time into a stack buffer and
//! multiplies it with lane-parallel accumulators so that the compiler can
//! vectorise without reassociating floats. Prefill (many tokens) uses
//! [`dequant_row`] to expand weight rows into f32 tiles for a GEMM.
//! Both are compiled twice — plain and with AVX2/FMA/F16C enabled — and the
//! fast copy is chosen at run time (the workspace builds for baseline x86-64).
//! Invariant: callers pass whole rows (`row.len() == k / block_elems * block_bytes`).

use half::{bf16, f16};

use crate::gguf::GgmlType;

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

// The fused f32 decode kernel below is kept as the reference for a SIMD
// decode path; decoding currently uses candle's integer vec-dot.
#[allow(dead_code)]
const LANES: usize = 16;

#[allow(dead_code)]
#[inline(always)]
fn dot_acc(a: &[f32], b: &[f32], acc: &mut [f32; LANES]) {
    for (ca, cb) in a.chunks_exact(LANES).zip(b.chunks_exact(LANES)) {
        for i in 0..LANES {
            acc[i] += ca[i] * cb[i];
        }
    }
}

#[allow(dead_code)]
#[inline(always)]
fn dot_row_impl(ty: GgmlType, row: &[u8], x: &[f32]) -> f32 {
    let (be, bb) = ty.block();
    let mut acc = [0f32; LANES];
    if be == 1 {
        let mut buf = [0f32; 256];
        for (xc, rc) in x.chunks(256).zip(row.chunks(256 * bb)) {
            dequant_row_impl(ty, rc, &mut buf[..xc.len()]);
            if xc.len() == 256 {
                dot_acc(&buf, xc, &mut acc);
            } else {
                acc[0] += buf[..xc.len()].iter().zip(xc).map(|(a, b)| a * b).sum::<f32>();
            }
        }
    } else {
        let mut buf = [0f32; 256];
        for (xc, b) in x.chunks_exact(be).zip(row.chunks_exact(bb)) {
            dequant_block(ty, b, &mut buf[..be]);
            dot_acc(&buf[..be], xc, &mut acc);
        }
    }
    acc.iter().sum()
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma,f16c")]
unsafe fn dequant_row_avx2(ty: GgmlType, row: &[u8], out: &mut [f32]) {
    dequant_row_impl(ty, row, out)
}

#[allow(dead_code)]
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma,f16c")]
unsafe fn dot_rows_avx2(ty: GgmlType, rows: &[u8], row_bytes: usize, x: &[f32], out: &mut [f32]) {
    for (o, r) in out.iter_mut().zip(rows.chunks_exact(row_bytes)) {
        *o = dot_row_impl(ty, r, x);
    }
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

/// `out[i] = dot(row i of rows, x)` for consecutive rows of `row_bytes` bytes.
#[allow(dead_code)]
pub fn dot_rows(ty: GgmlType, rows: &[u8], row_bytes: usize, x: &[f32], out: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    if *AVX2 {
        // SAFETY: the CPU supports the features the function was compiled for.
        unsafe { dot_rows_avx2(ty, rows, row_bytes, x, out) };
        return;
    }
    for (o, r) in out.iter_mut().zip(rows.chunks_exact(row_bytes)) {
        *o = dot_row_impl(ty, r, x);
    }
}
