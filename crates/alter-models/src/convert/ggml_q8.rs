//! whisper.cpp ggml (f16) → the same model with its matrices in Q8_0, as
//! whisper.cpp's `quantize` tool writes it.
//!
//! Q8_0 stores each run of 32 weights as one f16 scale and 32 signed bytes
//! (`scale = max |w| / 127`, `q = round(w / scale)`): 8.5 bits a weight
//! instead of 16. whisper.cpp's CPU kernels multiply Q8_0 weights with
//! 8-bit integer dot products, so the encoder runs about a third faster on a
//! laptop CPU for the same transcripts.
//!
//! Which tensors are quantized follows the tool: every 2-D tensor except the
//! positional embeddings (and the convolution biases, stored as [n, 1]); the
//! header's ftype becomes `GGML_QNT_VERSION * 1000 + 7` (mostly Q8_0).
//! Everything else is copied byte for byte.

use std::io::Write;

use super::ct2::f16_to_f32;
use super::cursor::Cursor;

const GGML_MAGIC: u32 = 0x6767_6d6c;
/// ggml's quantisation format version and the factor it is stored with in the ftype.
const QNT_VERSION: i32 = 2;
const QNT_VERSION_FACTOR: i32 = 1000;
/// ggml's type and file-type numbers.
const TYPE_F32: i32 = 0;
const TYPE_F16: i32 = 1;
const TYPE_Q8_0: i32 = 8;
const FTYPE_MOSTLY_Q8_0: i32 = 7;
const BLOCK: usize = 32;
/// 2-D tensors whisper.cpp keeps in full precision.
const KEEP: [&str; 4] =
    ["encoder.conv1.bias", "encoder.conv2.bias", "encoder.positional_embedding", "decoder.positional_embedding"];

/// A non-negative i32 (a count or a length).
fn count(r: &mut Cursor<'_>, what: &str) -> Result<usize, String> {
    let v = r.i32(what)?;
    usize::try_from(v).map_err(|_| format!("{what} is negative ({v})"))
}

/// Quantizes the f16 ggml Whisper model in `input` and writes it to `out`;
/// returns how many tensors were quantized.
pub fn quantize(input: &[u8], out: &mut impl Write) -> Result<usize, String> {
    let mut r = Cursor::new(input);
    let mut put = |b: &[u8]| out.write_all(b).map_err(|e| e.to_string());
    let magic = r.take(4, "the magic number")?;
    if magic != GGML_MAGIC.to_le_bytes() {
        return Err("not a ggml Whisper model (bad magic number)".into());
    }
    put(magic)?;
    let header = r.take(4 * 11, "the header")?;
    let ftype = i32::from_le_bytes([header[40], header[41], header[42], header[43]]);
    if ftype != TYPE_F16 {
        return Err(format!("the model's ftype is {ftype}; only f16 models (1) are quantized"));
    }
    put(&header[..40])?;
    put(&(QNT_VERSION * QNT_VERSION_FACTOR + FTYPE_MOSTLY_Q8_0).to_le_bytes())?;
    let start = r.pos;
    let (mels, bins) = (count(&mut r, "the mel filters")?, count(&mut r, "the mel filters")?);
    r.take(mels.saturating_mul(bins).saturating_mul(4), "the mel filters")?;
    for _ in 0..count(&mut r, "the vocabulary")? {
        let len = count(&mut r, "a vocabulary entry")?;
        r.take(len, "a vocabulary entry")?;
    }
    put(&input[start..r.pos])?;
    let mut quantized = 0;
    while r.pos < input.len() {
        let tensor_start = r.pos;
        let n_dims = count(&mut r, "a tensor header")?;
        if !(1..=4).contains(&n_dims) {
            return Err(format!("a tensor has {n_dims} dimensions"));
        }
        let name_len = count(&mut r, "a tensor header")?;
        let ttype = r.i32("a tensor header")?;
        let dims = (0..n_dims).map(|_| count(&mut r, "a tensor shape")).collect::<Result<Vec<_>, _>>()?;
        let name = String::from_utf8_lossy(r.take(name_len, "a tensor name")?).into_owned();
        let elems = dims.iter().try_fold(1usize, |a, &d| a.checked_mul(d)).ok_or("a tensor is too large")?;
        let width = match ttype {
            TYPE_F32 => 4,
            TYPE_F16 => 2,
            other => return Err(format!("{name}: tensor type {other} is neither f32 nor f16")),
        };
        let data = r.take(elems * width, &name)?;
        if n_dims != 2 || KEEP.contains(&name.as_str()) {
            put(&input[tensor_start..r.pos])?;
            continue;
        }
        if dims[0] % BLOCK != 0 {
            return Err(format!("{name}: rows of {} cannot be split into blocks of {BLOCK}", dims[0]));
        }
        put(&2i32.to_le_bytes())?;
        put(&(name_len as i32).to_le_bytes())?;
        put(&TYPE_Q8_0.to_le_bytes())?;
        for d in &dims {
            put(&(*d as i32).to_le_bytes())?;
        }
        put(name.as_bytes())?;
        let values: Vec<f32> = match ttype {
            TYPE_F16 => data.chunks_exact(2).map(|c| f16_to_f32(u16::from_le_bytes([c[0], c[1]]))).collect(),
            _ => data.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect(),
        };
        let mut blocks = Vec::with_capacity(values.len() / BLOCK * (2 + BLOCK));
        for block in values.chunks_exact(BLOCK) {
            q8_0_block(block, &mut blocks);
        }
        put(&blocks)?;
        quantized += 1;
    }
    Ok(quantized)
}

/// One Q8_0 block: the f16 scale, then 32 signed bytes. Ties round to even,
/// as ggml's vectorised quantizers do (`_mm256_round_ps` to nearest).
fn q8_0_block(x: &[f32], out: &mut Vec<u8>) {
    let amax = x.iter().fold(0f32, |m, v| m.max(v.abs()));
    let d = amax / 127.0;
    let id = if d != 0.0 { 1.0 / d } else { 0.0 };
    out.extend(half::f16::from_f32(d).to_bits().to_le_bytes());
    out.extend(x.iter().map(|v| (v * id).round_ties_even() as i8 as u8));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tensor(name: &str, dims: &[usize], ttype: i32, data: &[u8]) -> Vec<u8> {
        let mut t = Vec::new();
        for v in [dims.len() as i32, name.len() as i32, ttype] {
            t.extend(v.to_le_bytes());
        }
        for d in dims {
            t.extend((*d as i32).to_le_bytes());
        }
        t.extend(name.as_bytes());
        t.extend(data);
        t
    }

    fn model(tensors: &[Vec<u8>]) -> Vec<u8> {
        let mut m = GGML_MAGIC.to_le_bytes().to_vec();
        for v in [51865i32, 1500, 512, 8, 6, 448, 512, 8, 6, 80, 1] {
            m.extend(v.to_le_bytes());
        }
        // A 1×2 filter bank, then a vocabulary of one token.
        for v in [1i32, 2] {
            m.extend(v.to_le_bytes());
        }
        m.extend([0u8; 8]);
        m.extend(1i32.to_le_bytes());
        m.extend(2i32.to_le_bytes());
        m.extend(b"hi");
        for t in tensors {
            m.extend(t);
        }
        m
    }

    fn f16s(values: &[f32]) -> Vec<u8> {
        values.iter().flat_map(|v| half::f16::from_f32(*v).to_bits().to_le_bytes()).collect()
    }

    #[test]
    fn matrices_become_q8_0_and_the_rest_is_copied() {
        let weights: Vec<f32> = (0..64).map(|i| (i as f32 - 31.5) / 10.0).collect();
        let matrix = tensor("encoder.blocks.0.attn.query.weight", &[32, 2], TYPE_F16, &f16s(&weights));
        let bias = tensor("encoder.blocks.0.attn.query.bias", &[2], TYPE_F32, &[0u8; 8]);
        let pe = tensor("decoder.positional_embedding", &[32, 1], TYPE_F32, &[0u8; 128]);
        let input = model(&[matrix, bias.clone(), pe.clone()]);
        let mut out = Vec::new();
        assert_eq!(quantize(&input, &mut out).unwrap(), 1);
        // The header says Q8_0; the filters and vocabulary are unchanged.
        assert_eq!(i32::from_le_bytes(out[44..48].try_into().unwrap()), 2007);
        let head = 48 + 16 + 4 + 4 + 2;
        assert_eq!(out[48..head], input[48..head]);
        // Two blocks of 2 + 32 bytes, then the copied tensors.
        let header = 4 * 3 + 4 * 2 + "encoder.blocks.0.attn.query.weight".len();
        assert_eq!(i32::from_le_bytes(out[head + 8..head + 12].try_into().unwrap()), TYPE_Q8_0);
        let blocks = &out[head + header..head + header + 68];
        let scale = half::f16::from_bits(u16::from_le_bytes([blocks[0], blocks[1]])).to_f32();
        assert!((scale - 3.15 / 127.0).abs() < 1e-4, "{scale}");
        assert_eq!(blocks[2] as i8, -127);
        let back: Vec<f32> = blocks[2..34].iter().map(|&q| q as i8 as f32 * scale).collect();
        for (a, b) in back.iter().zip(&weights[..32]) {
            assert!((a - b).abs() <= scale / 2.0 + 1e-3, "{a} vs {b}");
        }
        assert_eq!(&out[head + header + 68..], [bias, pe].concat().as_slice());
    }

    #[test]
    fn broken_models_are_refused() {
        let mut out = Vec::new();
        assert!(quantize(b"", &mut out).unwrap_err().contains("truncated at byte 0 reading the magic number"));
        assert!(quantize(b"GGUF0000", &mut out).unwrap_err().contains("magic"));
        let matrix = tensor("decoder.token_embedding.weight", &[32, 4], TYPE_F16, &f16s(&[0.5; 128]));
        let whole = model(&[matrix]);
        let err = quantize(&whole[..whole.len() - 3], &mut Vec::new()).unwrap_err();
        assert!(err.contains("decoder.token_embedding.weight"), "{err}");
        let odd = tensor("decoder.token_embedding.weight", &[30, 1], TYPE_F16, &f16s(&[0.5; 30]));
        assert!(quantize(&model(&[odd]), &mut Vec::new()).unwrap_err().contains("blocks"));
        let mut quantized = model(&[]);
        quantized[44..48].copy_from_slice(&2007i32.to_le_bytes());
        assert!(quantize(&quantized, &mut Vec::new()).unwrap_err().contains("only f16"));
    }
}
