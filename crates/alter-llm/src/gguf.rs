//! A hardened GGUF (v2/v3) reader.
//!
//! candle's `gguf_file::Content::read` trusts the header: a string length of
//! 2^60 or an array length of 2^40 becomes `vec![0; len]` and aborts the
//! process, and a tensor with 2^32 dimensions does the same. This reader
//! checks every count and length against the bytes that remain in the file
//! *before* allocating, caps nesting and dimensions, and checks that every
//! tensor's data lies inside the file. Invariant: any byte sequence yields
//! `Ok` or `Err(LlmError::BadGguf)`, never a panic or an unbounded allocation.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use crate::error::LlmError;

/// A metadata value from the GGUF header.
#[derive(Debug, Clone, PartialEq)]
pub enum MetaValue {
    UInt(u64),
    Int(i64),
    Float(f64),
    Bool(bool),
    Str(String),
    Array(Vec<MetaValue>),
}

impl MetaValue {
    pub fn as_u64(&self) -> Option<u64> {
        match *self {
            MetaValue::UInt(v) => Some(v),
            MetaValue::Int(v) if v >= 0 => Some(v as u64),
            _ => None,
        }
    }
    pub fn as_f64(&self) -> Option<f64> {
        match *self {
            MetaValue::Float(v) => Some(v),
            MetaValue::UInt(v) => Some(v as f64),
            MetaValue::Int(v) => Some(v as f64),
            _ => None,
        }
    }
    pub fn as_str(&self) -> Option<&str> {
        if let MetaValue::Str(s) = self { Some(s) } else { None }
    }
    pub fn as_array(&self) -> Option<&[MetaValue]> {
        if let MetaValue::Array(a) = self { Some(a) } else { None }
    }
    pub fn as_bool(&self) -> Option<bool> {
        match *self {
            MetaValue::Bool(b) => Some(b),
            _ => None,
        }
    }
}

/// ggml tensor element types we know the block layout of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GgmlType {
    F32,
    F16,
    Q4_0,
    Q4_1,
    Q5_0,
    Q5_1,
    Q8_0,
    Q8_1,
    Q2K,
    Q3K,
    Q4K,
    Q5K,
    Q6K,
    Q8K,
    BF16,
}

impl GgmlType {
    fn from_u32(v: u32) -> Option<Self> {
        Some(match v {
            0 => Self::F32,
            1 => Self::F16,
            2 => Self::Q4_0,
            3 => Self::Q4_1,
            6 => Self::Q5_0,
            7 => Self::Q5_1,
            8 => Self::Q8_0,
            9 => Self::Q8_1,
            10 => Self::Q2K,
            11 => Self::Q3K,
            12 => Self::Q4K,
            13 => Self::Q5K,
            14 => Self::Q6K,
            15 => Self::Q8K,
            30 => Self::BF16,
            _ => return None,
        })
    }
    /// (elements per block, bytes per block)
    pub fn block(self) -> (usize, usize) {
        match self {
            Self::F32 => (1, 4),
            Self::F16 | Self::BF16 => (1, 2),
            Self::Q4_0 => (32, 18),
            Self::Q4_1 => (32, 20),
            Self::Q5_0 => (32, 22),
            Self::Q5_1 => (32, 24),
            Self::Q8_0 => (32, 34),
            Self::Q8_1 => (32, 36),
            Self::Q2K => (256, 84),
            Self::Q3K => (256, 110),
            Self::Q4K => (256, 144),
            Self::Q5K => (256, 176),
            Self::Q6K => (256, 210),
            Self::Q8K => (256, 292),
        }
    }
}

/// Where one tensor lives. `dims` are in ggml order: `dims[0]` is the row length.
#[derive(Debug, Clone)]
pub struct TensorInfo {
    pub name: String,
    pub dims: Vec<u64>,
    pub ty: GgmlType,
    /// Absolute byte offset in the file.
    pub offset: u64,
    pub n_bytes: u64,
}

/// The parsed, validated header.
#[derive(Debug, Clone)]
pub struct GgufHeader {
    pub version: u32,
    pub metadata: HashMap<String, MetaValue>,
    pub tensors: HashMap<String, TensorInfo>,
    pub file_len: u64,
}

const MAX_STRING: u64 = 64 << 20;
const MAX_COUNT: u64 = 1 << 20;
const MAX_DIMS: u32 = 4;

struct Reader<R> {
    r: R,
    pos: u64,
    len: u64,
}

fn bad(msg: impl Into<String>) -> LlmError {
    LlmError::BadGguf(msg.into())
}

impl<R: Read> Reader<R> {
    fn remaining(&self) -> u64 {
        self.len.saturating_sub(self.pos)
    }
    fn bytes<const N: usize>(&mut self) -> Result<[u8; N], LlmError> {
        let mut b = [0u8; N];
        if self.remaining() < N as u64 {
            return Err(bad(format!("file ends inside the header at byte {}", self.pos)));
        }
        self.r.read_exact(&mut b).map_err(|e| bad(format!("read failed at byte {}: {e}", self.pos)))?;
        self.pos += N as u64;
        Ok(b)
    }
    fn u32(&mut self) -> Result<u32, LlmError> {
        Ok(u32::from_le_bytes(self.bytes::<4>()?))
    }
    fn u64(&mut self) -> Result<u64, LlmError> {
        Ok(u64::from_le_bytes(self.bytes::<8>()?))
    }
    /// A count of items, each at least `min_item` bytes long, that must fit in the rest of the file.
    fn count(&mut self, what: &str, min_item: u64) -> Result<usize, LlmError> {
        let n = self.u64()?;
        if n > MAX_COUNT.max(self.remaining() / min_item.max(1)) || n.saturating_mul(min_item) > self.remaining() {
            return Err(bad(format!("{what} count {n} is impossible for a file of {} bytes", self.len)));
        }
        Ok(n as usize)
    }
    fn string(&mut self) -> Result<String, LlmError> {
        let n = self.u64()?;
        if n > MAX_STRING || n > self.remaining() {
            return Err(bad(format!("string length {n} at byte {} exceeds the file", self.pos)));
        }
        let mut v = vec![0u8; n as usize];
        self.r.read_exact(&mut v).map_err(|e| bad(format!("read failed: {e}")))?;
        self.pos += n;
        while v.last() == Some(&0) {
            v.pop();
        }
        Ok(String::from_utf8_lossy(&v).into_owned())
    }
    fn value(&mut self, ty: u32, depth: u32) -> Result<MetaValue, LlmError> {
        Ok(match ty {
            0 => MetaValue::UInt(self.bytes::<1>()?[0] as u64),
            1 => MetaValue::Int(self.bytes::<1>()?[0] as i8 as i64),
            2 => MetaValue::UInt(u16::from_le_bytes(self.bytes::<2>()?) as u64),
            3 => MetaValue::Int(i16::from_le_bytes(self.bytes::<2>()?) as i64),
            4 => MetaValue::UInt(self.u32()? as u64),
            5 => MetaValue::Int(self.u32()? as i32 as i64),
            6 => MetaValue::Float(f32::from_le_bytes(self.bytes::<4>()?) as f64),
            7 => match self.bytes::<1>()?[0] {
                0 => MetaValue::Bool(false),
                1 => MetaValue::Bool(true),
                b => return Err(bad(format!("bool value {b}"))),
            },
            8 => MetaValue::Str(self.string()?),
            9 => {
                if depth >= 2 {
                    return Err(bad("arrays nested too deeply"));
                }
                let ety = self.u32()?;
                let min = match ety {
                    0 | 1 | 7 => 1,
                    2 | 3 => 2,
                    4..=6 => 4,
                    8..=12 => 8,
                    _ => return Err(bad(format!("unknown array element type {ety}"))),
                };
                let n = self.count("array", min)?;
                let mut v = Vec::with_capacity(n);
                for _ in 0..n {
                    v.push(self.value(ety, depth + 1)?);
                }
                MetaValue::Array(v)
            }
            10 => MetaValue::UInt(self.u64()?),
            11 => MetaValue::Int(self.u64()? as i64),
            12 => MetaValue::Float(f64::from_le_bytes(self.bytes::<8>()?)),
            t => return Err(bad(format!("unknown metadata type {t}"))),
        })
    }
}

/// Parse and validate the header of the GGUF file at `path`.
pub fn read_header(path: &Path) -> Result<GgufHeader, LlmError> {
    let file = File::open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            LlmError::ModelMissing(path.display().to_string())
        } else {
            LlmError::Io(e)
        }
    })?;
    let len = file.metadata()?.len();
    parse_header(BufReader::with_capacity(1 << 20, file), len)
}

/// Parse a header from any reader whose total length is `len`.
pub fn parse_header<R: Read>(r: R, len: u64) -> Result<GgufHeader, LlmError> {
    let mut rd = Reader { r, pos: 0, len };
    if rd.bytes::<4>()? != *b"GGUF" {
        return Err(bad("wrong magic: this is not a GGUF file"));
    }
    let version = rd.u32()?;
    if !(2..=3).contains(&version) {
        return Err(bad(format!("GGUF version {version} is not supported (2 or 3 expected)")));
    }
    // A tensor info is at least name length (8) + n_dims (4) + one dim (8) + type (4) + offset (8).
    let n_tensors = rd.count("tensor", 32)?;
    // A key-value pair is at least key length (8) + type (4) + one byte.
    let n_kv = rd.count("metadata", 13)?;
    let mut metadata = HashMap::with_capacity(n_kv);
    for _ in 0..n_kv {
        let key = rd.string()?;
        let ty = rd.u32()?;
        let v = rd.value(ty, 0)?;
        metadata.insert(key, v);
    }
    let mut raw = Vec::with_capacity(n_tensors);
    for _ in 0..n_tensors {
        let name = rd.string()?;
        let nd = rd.u32()?;
        if nd == 0 || nd > MAX_DIMS {
            return Err(bad(format!("tensor {name} has {nd} dimensions")));
        }
        let mut dims = Vec::with_capacity(nd as usize);
        for _ in 0..nd {
            let d = rd.u64()?;
            if d == 0 || d > 1 << 32 {
                return Err(bad(format!("tensor {name} has dimension {d}")));
            }
            dims.push(d);
        }
        let tcode = rd.u32()?;
        let ty = GgmlType::from_u32(tcode).ok_or_else(|| bad(format!("tensor {name} has unknown type {tcode}")))?;
        let offset = rd.u64()?;
        raw.push((name, dims, ty, offset));
    }
    let align = match metadata.get("general.alignment").and_then(MetaValue::as_u64) {
        None => 32,
        Some(a) if a.is_power_of_two() && a <= 1 << 16 => a,
        Some(a) => return Err(bad(format!("alignment {a}"))),
    };
    let data_start = rd.pos.div_ceil(align) * align;
    let mut tensors = HashMap::with_capacity(raw.len());
    for (name, dims, ty, offset) in raw {
        let elems = dims.iter().try_fold(1u64, |a, &d| a.checked_mul(d)).ok_or_else(|| bad("tensor too large"))?;
        let (bs, bb) = ty.block();
        if dims[0] % bs as u64 != 0 {
            return Err(bad(format!("tensor {name}: row length {} is not a multiple of {bs}", dims[0])));
        }
        let n_bytes = (elems / bs as u64).checked_mul(bb as u64).ok_or_else(|| bad("tensor too large"))?;
        let abs = data_start.checked_add(offset).ok_or_else(|| bad("tensor offset overflows"))?;
        if abs.checked_add(n_bytes).is_none_or(|end| end > len) {
            return Err(bad(format!("tensor {name} lies beyond the end of the file (file truncated?)")));
        }
        tensors.insert(name.clone(), TensorInfo { name, dims, ty, offset: abs, n_bytes });
    }
    Ok(GgufHeader { version, metadata, tensors, file_len: len })
}

/// Read one tensor's raw bytes.
pub fn read_tensor_bytes(file: &mut File, t: &TensorInfo) -> Result<Vec<u8>, LlmError> {
    file.seek(SeekFrom::Start(t.offset))?;
    let mut v = vec![0u8; t.n_bytes as usize];
    file.read_exact(&mut v)?;
    Ok(v)
}
