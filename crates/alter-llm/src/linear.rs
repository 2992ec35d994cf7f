//! Quantized linear layers with two execution paths.
//!
//! * one token (decode): the activation is quantized to 8 bits and each
//!   weight row meets it in an integer dot product, rows split across the
//!   thread pool — the weights are read once, still quantized (our AVX2
//!   kernels for Q5_0/Q8_0, candle's for the rest);
//! * many tokens (prefill): for Q5_0/Q8_0, each weight row is expanded in
//!   registers and multiplied with four tokens at a time; with AVX-512 VNNI
//!   (Q4_K and Q6_K too) each row is expanded once into a buffer and meets
//!   every group of eight tokens, two blocks per instruction. Results are
//!   written straight into the `[tokens, rows]` output;
//!   other formats expand weight rows to f32 tiles for one GEMM (candle's
//!   CPU matmul, the multi-threaded `gemm` crate).
//!
//! Invariant: `data` holds exactly `rows` rows of `row_bytes` bytes.

use std::sync::Arc;

use candle_core::quantized::{GgmlDType, QMatMul, QTensor, ggml_file::qtensor_from_ggml};
use candle_core::{Device, Module, Tensor};
use rayon::prelude::*;

use crate::error::LlmError;
use crate::gguf::{GgmlType, TensorInfo};
use crate::quant;

/// A weight matrix of `rows` outputs by `cols` inputs, stored as in the GGUF.
pub struct QMat {
    pub ty: GgmlType,
    pub rows: usize,
    pub cols: usize,
    row_bytes: usize,
    /// candle's quantized tensor: its integer vec-dot kernels serve decoding,
    /// its raw blocks feed our dequantised GEMM tiles.
    qt: Arc<QTensor>,
}

fn candle_dtype(ty: GgmlType) -> GgmlDType {
    match ty {
        GgmlType::F32 => GgmlDType::F32,
        GgmlType::F16 => GgmlDType::F16,
        GgmlType::BF16 => GgmlDType::BF16,
        GgmlType::Q4_0 => GgmlDType::Q4_0,
        GgmlType::Q4_1 => GgmlDType::Q4_1,
        GgmlType::Q5_0 => GgmlDType::Q5_0,
        GgmlType::Q5_1 => GgmlDType::Q5_1,
        GgmlType::Q8_0 => GgmlDType::Q8_0,
        GgmlType::Q8_1 => GgmlDType::Q8_1,
        GgmlType::Q2K => GgmlDType::Q2K,
        GgmlType::Q3K => GgmlDType::Q3K,
        GgmlType::Q4K => GgmlDType::Q4K,
        GgmlType::Q5K => GgmlDType::Q5K,
        GgmlType::Q6K => GgmlDType::Q6K,
        GgmlType::Q8K => GgmlDType::Q8K,
    }
}

/// Output rows per tile in prefill: 64 rows × 4864 inputs × 4 B ≈ 1.2 MB.
const TILE_ROWS: usize = 256;

impl QMat {
    pub fn new(info: &TensorInfo, data: Vec<u8>) -> Result<Self, LlmError> {
        if !quant::supported(info.ty) {
            return Err(LlmError::Unsupported(format!("tensor {} has type {:?}", info.name, info.ty)));
        }
        let cols = info.dims[0] as usize;
        let rows = info.dims[1..].iter().product::<u64>() as usize;
        let (be, bb) = info.ty.block();
        let row_bytes = cols / be * bb;
        if data.len() != rows * row_bytes {
            return Err(LlmError::BadGguf(format!("tensor {} has the wrong size", info.name)));
        }
        let qt = qtensor_from_ggml(candle_dtype(info.ty), &data, vec![rows, cols], &Device::Cpu)?;
        Ok(Self { ty: info.ty, rows, cols, row_bytes, qt: Arc::new(qt) })
    }

    pub fn n_bytes(&self) -> usize {
        self.rows * self.row_bytes
    }

    fn bytes(&self) -> std::borrow::Cow<'_, [u8]> {
        // CPU storage lends its blocks without copying.
        self.qt.data().unwrap_or_default()
    }

    /// Dequantise row `r` (e.g. an embedding lookup).
    pub fn row_f32(&self, r: usize, out: &mut [f32]) {
        let data = self.bytes();
        quant::dequant_row(self.ty, &data[r * self.row_bytes..(r + 1) * self.row_bytes], out);
    }

    /// Decoding path: the activation quantized to 8 bits, integer dot
    /// products, rows in parallel — candle's kernels, except for Q5_0 (which
    /// candle runs without SIMD) and Q8_0, which take ours (`quant`).
    fn decode(&self, x: &Tensor) -> Result<Tensor, LlmError> {
        if !quant::has_q8_kernel(self.ty) {
            return Ok(QMatMul::QTensor(self.qt.clone()).forward(x)?);
        }
        let xq = quant::Q8Blocks::quantize(&x.flatten_all()?.to_vec1::<f32>()?);
        let data = self.bytes();
        let mut out = vec![0f32; self.rows];
        const ROWS: usize = 64;
        out.par_chunks_mut(ROWS).enumerate().for_each(|(i, o)| {
            let start = i * ROWS * self.row_bytes;
            quant::dot_rows_q8(self.ty, &data[start..start + o.len() * self.row_bytes], self.row_bytes, &xq, o);
        });
        Ok(Tensor::from_vec(out, (1, self.rows), &Device::Cpu)?)
    }

    /// Dequantise rows `r0..r1` into a row-major f32 buffer.
    fn dequant_rows(&self, r0: usize, r1: usize) -> Vec<f32> {
        let data = self.bytes();
        let data = &data[..];
        let mut w = vec![0f32; (r1 - r0) * self.cols];
        w.par_chunks_mut(self.cols * 8).enumerate().for_each(|(i, o)| {
            for (j, orow) in o.chunks_exact_mut(self.cols).enumerate() {
                let r = r0 + i * 8 + j;
                quant::dequant_row(self.ty, &data[r * self.row_bytes..(r + 1) * self.row_bytes], orow);
            }
        });
        w
    }

    /// Prefill for the [`quant::has_q8_kernel`] and [`quant::has_group_kernel`]
    /// formats: every token quantized to 8 bits once, then each weight row
    /// (kept in L1) against all tokens — integer work with the weights read
    /// once, no f32 copy of them.
    fn forward_q8(&self, x: &Tensor, m: usize) -> Result<Tensor, LlmError> {
        let xs = x.to_vec2::<f32>()?;
        let mut xq: Vec<quant::Q8Blocks> = xs.par_iter().map(|r| quant::Q8Blocks::quantize(r)).collect();
        #[cfg(target_arch = "x86_64")]
        if quant::has_group_kernel(self.ty) {
            // Eight tokens per pass, two blocks per instruction, each row expanded once ([`quant::vnni`]).
            use quant::vnni::{GROUP, Q8Group};
            let groups: Vec<Q8Group> = xq.par_chunks(GROUP).map(Q8Group::new).collect();
            let expand = |rows: [&[u8]; 2], into: &mut Option<[quant::vnni::ExpandedRow; 2]>| match into {
                Some(e) => {
                    quant::expand_row_into(self.ty, rows[0], &mut e[0]);
                    quant::expand_row_into(self.ty, rows[1], &mut e[1]);
                }
                None => *into = Some(rows.map(|row| quant::expand_row(self.ty, row))),
            };
            return self.prefill_rows(m, None, |expanded, rows, emit| {
                expand(rows, expanded);
                let [a, b] = expanded.as_ref().expect("expanded above");
                for (gi, group) in groups.iter().enumerate() {
                    emit(gi, quant::dot_rows_group([a, b], group));
                }
            });
        }
        xq.resize(m.div_ceil(4) * 4, quant::Q8Blocks::quantize(&vec![0f32; self.cols]));
        self.prefill_rows(m, (), |_, rows, emit| {
            for (gi, four) in xq.chunks_exact(4).enumerate() {
                emit(gi, rows.map(|row| quant::dot_row_x4(self.ty, row, [&four[0], &four[1], &four[2], &four[3]])));
            }
        })
    }

    /// Every pair of weight rows against all `m` tokens, pairs split across
    /// the thread pool. `pair(scratch, rows, emit)` computes the two rows'
    /// results one group of `N` tokens at a time, `emit(group, results)`
    /// (`scratch`, a clone of `scratch` per task, keeps buffers); they are
    /// written straight into the `[m, rows]` output (the last group's
    /// padding is dropped; an odd last row goes with itself).
    fn prefill_rows<S: Clone + Send + Sync, const N: usize>(
        &self,
        m: usize,
        scratch: S,
        pair: impl Fn(&mut S, [&[u8]; 2], &mut dyn FnMut(usize, [[f32; N]; 2])) + Sync,
    ) -> Result<Tensor, LlmError> {
        /// The output, written by many threads at disjoint (token, row) places.
        struct Out(*mut f32);
        // SAFETY: each row pair is computed by one task, which alone writes its rows' places.
        unsafe impl Sync for Out {}
        let data = self.bytes();
        let rows = self.rows;
        let mut out = vec![0f32; m * rows];
        let ptr = Out(out.as_mut_ptr());
        const ROWS: usize = 16;
        (0..rows.div_ceil(ROWS)).into_par_iter().for_each_init(
            || scratch.clone(),
            |scratch, i| {
                let ptr = &ptr;
                for r in (i * ROWS..rows.min((i + 1) * ROWS)).step_by(2) {
                    let twin = (r + 1).min(rows - 1);
                    let row = |r: usize| &data[r * self.row_bytes..(r + 1) * self.row_bytes];
                    pair(scratch, [row(r), row(twin)], &mut |gi, [a, b]| {
                        for t in 0..N.min(m.saturating_sub(gi * N)) {
                            let at = (gi * N + t) * rows;
                            // SAFETY: `at + r` and `at + twin` lie inside `out` (t < m, r ≤ twin < rows),
                            // and no other task writes rows r or twin.
                            unsafe {
                                *ptr.0.add(at + r) = a[t];
                                *ptr.0.add(at + twin) = b[t];
                            }
                        }
                    });
                }
            },
        );
        Ok(Tensor::from_vec(out, (m, rows), &Device::Cpu)?)
    }

    /// `Y = X Wᵀ` for `x` of shape `[m, cols]`, giving `[m, rows]`.
    pub fn forward(&self, x: &Tensor) -> Result<Tensor, LlmError> {
        let (m, k) = x.dims2()?;
        debug_assert_eq!(k, self.cols);
        if m == 1 {
            return self.decode(x);
        }
        if quant::has_q8_kernel(self.ty) || quant::has_group_kernel(self.ty) {
            return self.forward_q8(x, m);
        }
        if self.rows <= TILE_ROWS * 2 {
            let w = Tensor::from_vec(self.dequant_rows(0, self.rows), (self.rows, self.cols), &Device::Cpu)?;
            return Ok(x.matmul(&w.t()?)?);
        }
        // Tiles of output columns keep the dequantised weights small and cache-warm.
        let mut parts = Vec::with_capacity(self.rows.div_ceil(TILE_ROWS));
        let mut r0 = 0;
        while r0 < self.rows {
            let r1 = (r0 + TILE_ROWS * 4).min(self.rows);
            let w = Tensor::from_vec(self.dequant_rows(r0, r1), (r1 - r0, self.cols), &Device::Cpu)?;
            parts.push(x.matmul(&w.t()?)?);
            r0 = r1;
        }
        Ok(Tensor::cat(&parts, 1)?)
    }
}
