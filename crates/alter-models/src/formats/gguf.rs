//! GGUF (v2/v3) header reader: metadata and tensor directory, hardened.
//!
//! Layout (little-endian): magic `GGUF`, u32 version, u64 tensor count, u64
//! metadata count; metadata entries (u64-length key, u32 type, value; arrays
//! are u32 element type + u64 count + elements); tensor infos (name, u32
//! n_dims, n_dims × u64, u32 ggml type, u64 offset); padding to
//! `general.alignment` (default 32); tensor data.
//!
//! Invariants: counts and lengths are bounded by the bytes that remain
//! (every element takes at least one byte), strings by a cap; nested arrays
//! are refused; tensor data must lie inside the file. Large arrays (the
//! tokenizer's 150k tokens) are kept only when [`ReadOptions::keep_arrays`]
//! asks for them.

use std::collections::BTreeMap;
use std::io::Read;

use super::reader::Bounded;

const MAX_STRING: u64 = 1 << 20;
const MAX_DIMS: u32 = 8;

/// A metadata value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Int(i64),
    UInt(u64),
    Float(f64),
    Bool(bool),
    String(String),
    /// An array; `items` is empty unless kept.
    Array {
        elem_type: u32,
        len: u64,
        items: Vec<Value>,
    },
}

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::UInt(v) => Some(*v),
            Value::Int(v) => u64::try_from(*v).ok(),
            _ => None,
        }
    }
}

/// One tensor's directory entry.
#[derive(Debug, Clone, PartialEq)]
pub struct TensorInfo {
    pub name: String,
    pub dims: Vec<u64>,
    pub ggml_type: u32,
    pub offset: u64,
}

/// The parsed header.
#[derive(Debug, Clone)]
pub struct GgufHeader {
    pub version: u32,
    pub metadata: BTreeMap<String, Value>,
    pub tensors: Vec<TensorInfo>,
    /// Byte offset where tensor data starts.
    pub data_start: u64,
}

impl GgufHeader {
    pub fn architecture(&self) -> Option<&str> {
        self.metadata.get("general.architecture").and_then(Value::as_str)
    }
}

/// What to keep while reading.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadOptions {
    /// Keep array elements (needed for the tokenizer); otherwise they are skipped.
    pub keep_arrays: bool,
}

/// (block size in elements, bytes per block) of a ggml type, when known.
pub fn type_block(t: u32) -> Option<(u64, u64)> {
    Some(match t {
        0 => (1, 4),      // F32
        1 => (1, 2),      // F16
        2 => (32, 18),    // Q4_0
        3 => (32, 20),    // Q4_1
        6 => (32, 22),    // Q5_0
        7 => (32, 24),    // Q5_1
        8 => (32, 34),    // Q8_0
        9 => (32, 36),    // Q8_1
        10 => (256, 84),  // Q2_K
        11 => (256, 110), // Q3_K
        12 => (256, 144), // Q4_K
        13 => (256, 176), // Q5_K
        14 => (256, 210), // Q6_K
        15 => (256, 292), // Q8_K
        24 => (1, 1),     // I8
        25 => (1, 2),     // I16
        26 => (1, 4),     // I32
        27 => (1, 8),     // I64
        28 => (1, 8),     // F64
        30 => (1, 2),     // BF16
        _ => return None,
    })
}

fn read_value<R: Read>(r: &mut Bounded<R>, ty: u32, keep: bool, depth: u8) -> Result<Value, String> {
    Ok(match ty {
        0 => Value::UInt(r.u8("u8")? as u64),
        1 => Value::Int(r.u8("i8")? as i8 as i64),
        2 => Value::UInt(u16::from_le_bytes(r.array("u16")?) as u64),
        3 => Value::Int(i16::from_le_bytes(r.array("i16")?) as i64),
        4 => Value::UInt(r.u32("u32")? as u64),
        5 => Value::Int(r.i32("i32")? as i64),
        6 => Value::Float(f32::from_le_bytes(r.array("f32")?) as f64),
        7 => Value::Bool(r.u8("bool")? != 0),
        8 => {
            let n = r.u64("string length")?;
            Value::String(r.string(n, MAX_STRING, "string value")?)
        }
        9 => {
            if depth > 0 {
                return Err("nested arrays are not supported".into());
            }
            let elem_type = r.u32("array type")?;
            let len = r.u64("array length")?;
            if len > r.remaining {
                return Err(format!("array claims {len} elements but only {} bytes remain", r.remaining));
            }
            let mut items = Vec::new();
            for _ in 0..len {
                let v = read_value(r, elem_type, keep, depth + 1)?;
                if keep {
                    items.push(v);
                }
            }
            Value::Array { elem_type, len, items }
        }
        10 => Value::UInt(r.u64("u64")?),
        11 => Value::Int(r.u64("i64")? as i64),
        12 => Value::Float(f64::from_le_bytes(r.array("f64")?)),
        t => return Err(format!("unknown metadata type {t}")),
    })
}

/// Reads a GGUF header from `input` of total length `len`.
pub fn read_header<R: Read>(input: R, len: u64, opts: ReadOptions) -> Result<GgufHeader, String> {
    let mut r = Bounded::new(input, len);
    if &r.array::<4>("magic")? != b"GGUF" {
        return Err("wrong magic (not a GGUF file)".into());
    }
    let version = r.u32("version")?;
    if !(2..=3).contains(&version) {
        return Err(format!("GGUF version {version} is not supported (2 or 3)"));
    }
    let n_tensors = r.u64("tensor count")?;
    let n_kv = r.u64("metadata count")?;
    // A metadata entry takes at least 13 bytes, a tensor info at least 24.
    if n_kv > r.remaining / 13 || n_tensors > r.remaining / 24 {
        return Err(format!("{n_tensors} tensors / {n_kv} metadata entries cannot fit in a {len}-byte file"));
    }
    let mut metadata = BTreeMap::new();
    for _ in 0..n_kv {
        let klen = r.u64("key length")?;
        let key = r.string(klen, 65_535, "metadata key")?;
        let ty = r.u32("metadata type")?;
        let keep = opts.keep_arrays;
        let v = read_value(&mut r, ty, keep, 0).map_err(|e| format!("metadata {key}: {e}"))?;
        metadata.insert(key, v);
    }
    let mut tensors = Vec::new();
    for _ in 0..n_tensors {
        let nlen = r.u64("tensor name length")?;
        let name = r.string(nlen, 65_535, "tensor name")?;
        let n_dims = r.u32("tensor rank")?;
        if n_dims == 0 || n_dims > MAX_DIMS {
            return Err(format!("tensor {name} has {n_dims} dimensions"));
        }
        let mut dims = Vec::with_capacity(n_dims as usize);
        for _ in 0..n_dims {
            dims.push(r.u64("tensor dimension")?);
        }
        let ggml_type = r.u32("tensor type")?;
        let offset = r.u64("tensor offset")?;
        tensors.push(TensorInfo { name, dims, ggml_type, offset });
    }
    let alignment = metadata.get("general.alignment").and_then(Value::as_u64).unwrap_or(32);
    if alignment == 0 || !alignment.is_power_of_two() || alignment > 1 << 20 {
        return Err(format!("general.alignment {alignment} is invalid"));
    }
    let data_start = r.pos.div_ceil(alignment) * alignment;
    for t in &tensors {
        let elems = t
            .dims
            .iter()
            .try_fold(1u64, |a, &d| a.checked_mul(d))
            .ok_or_else(|| format!("tensor {} is impossibly large", t.name))?;
        let end = match type_block(t.ggml_type) {
            Some((block, bytes)) => {
                if elems % block != 0 {
                    return Err(format!("tensor {} has {elems} elements, not a multiple of its block {block}", t.name));
                }
                (elems / block)
                    .checked_mul(bytes)
                    .and_then(|b| b.checked_add(t.offset))
                    .and_then(|b| b.checked_add(data_start))
            }
            None => t.offset.checked_add(data_start),
        };
        if end.is_none_or(|e| e > len) {
            return Err(format!("tensor {} lies beyond the end of the file (truncated?)", t.name));
        }
    }
    Ok(GgufHeader { version, metadata, tensors, data_start })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn s(out: &mut Vec<u8>, v: &str) {
        out.extend((v.len() as u64).to_le_bytes());
        out.extend(v.as_bytes());
    }

    /// A small valid GGUF: architecture, a token array, one f32 tensor of 4 elements.
    pub fn tiny() -> Vec<u8> {
        let mut b = b"GGUF".to_vec();
        b.extend(3u32.to_le_bytes());
        b.extend(1u64.to_le_bytes());
        b.extend(2u64.to_le_bytes());
        s(&mut b, "general.architecture");
        b.extend(8u32.to_le_bytes());
        s(&mut b, "llama");
        s(&mut b, "tokenizer.ggml.tokens");
        b.extend(9u32.to_le_bytes());
        b.extend(8u32.to_le_bytes());
        b.extend(2u64.to_le_bytes());
        s(&mut b, "a");
        s(&mut b, "b");
        s(&mut b, "w");
        b.extend(1u32.to_le_bytes());
        b.extend(4u64.to_le_bytes());
        b.extend(0u32.to_le_bytes());
        b.extend(0u64.to_le_bytes());
        while !b.len().is_multiple_of(32) {
            b.push(0);
        }
        b.extend([0u8; 16]);
        b
    }

    fn parse(b: &[u8]) -> Result<GgufHeader, String> {
        read_header(b, b.len() as u64, ReadOptions { keep_arrays: true })
    }

    #[test]
    fn reads_a_small_file() {
        let h = parse(&tiny()).unwrap();
        assert_eq!(h.version, 3);
        assert_eq!(h.architecture(), Some("llama"));
        assert_eq!(h.tensors[0].dims, vec![4]);
        match &h.metadata["tokenizer.ggml.tokens"] {
            Value::Array { len, items, .. } => assert_eq!((*len, items.len()), (2, 2)),
            v => panic!("{v:?}"),
        }
    }

    #[test]
    fn every_truncation_is_an_error() {
        let b = tiny();
        for n in 0..b.len() {
            assert!(parse(&b[..n]).is_err(), "prefix of {n} bytes parsed");
        }
    }

    #[test]
    fn hostile_counts_and_lengths() {
        let huge = 1u64 << 60;
        // tensor count
        let mut b = tiny();
        b[8..16].copy_from_slice(&huge.to_le_bytes());
        assert!(parse(&b).unwrap_err().contains("cannot fit"));
        // metadata count
        let mut b = tiny();
        b[16..24].copy_from_slice(&huge.to_le_bytes());
        assert!(parse(&b).is_err());
        // first key length
        let mut b = tiny();
        b[24..32].copy_from_slice(&huge.to_le_bytes());
        assert!(parse(&b).is_err());
        // string value length
        let mut b = tiny();
        let off = 24 + 8 + 20 + 4;
        b[off..off + 8].copy_from_slice(&huge.to_le_bytes());
        assert!(parse(&b).is_err());
        // array length
        let mut b = tiny();
        let off = 24 + 8 + 20 + 4 + 8 + 5 + 8 + 21 + 4 + 4;
        b[off..off + 8].copy_from_slice(&huge.to_le_bytes());
        assert!(parse(&b).unwrap_err().contains("array claims"));
        // wrong magic and version
        let mut b = tiny();
        b[0] = b'X';
        assert!(parse(&b).unwrap_err().contains("magic"));
        let mut b = tiny();
        b[4..8].copy_from_slice(&1u32.to_le_bytes());
        assert!(parse(&b).unwrap_err().contains("version"));
    }

    #[test]
    fn mutated_files_never_panic() {
        let (ok, err) = crate::formats::mutate::fuzz(&tiny(), 20_000, parse);
        assert!(ok > 0 && err > 0, "the mutations exercise both paths: {ok} parsed, {err} refused");
    }

    #[test]
    fn garbage_never_panics() {
        // Deterministic pseudo-random bytes after a valid magic and version.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for len in [0usize, 7, 24, 100, 4096] {
            for _ in 0..200 {
                let mut b = b"GGUF\x03\0\0\0".to_vec();
                for _ in 0..len {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    b.push(x as u8);
                }
                let _ = parse(&b);
            }
        }
    }
}
