//! Reader for CTranslate2 `model.bin` files.
//!
//! Layout (little-endian): i32 format version; spec name (u16 length, bytes,
//! NUL-padded); i32 spec revision; u32 variable count; per variable: name
//! (u16-length string), u8 rank, rank × u32 dims, u8 dtype (0 f32, 1 i8,
//! 2 i16, 3 i32, 4 f16), u32 byte count, raw data; then u32 alias count and
//! (alias, target) string pairs.
//!
//! Invariant: every length read from the file is checked against the bytes
//! that remain before anything is sliced, and dims × dtype size must equal
//! the byte count, so a hostile file gives an error, never a panic.

use std::collections::BTreeMap;

use super::cursor::Cursor;

/// Element type of a variable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DType {
    F32,
    I8,
    I16,
    I32,
    F16,
}

impl DType {
    fn from_code(code: u8) -> Option<DType> {
        Some(match code {
            0 => DType::F32,
            1 => DType::I8,
            2 => DType::I16,
            3 => DType::I32,
            4 => DType::F16,
            _ => return None,
        })
    }

    pub fn size(self) -> usize {
        match self {
            DType::I8 => 1,
            DType::I16 | DType::F16 => 2,
            DType::F32 | DType::I32 => 4,
        }
    }
}

/// One variable: shape, type and its bytes inside the file buffer.
#[derive(Debug, Clone)]
pub struct Var<'a> {
    pub dims: Vec<usize>,
    pub dtype: DType,
    pub data: &'a [u8],
}

impl Var<'_> {
    /// A scalar integer variable (i8/i16/i32), e.g. `encoder/num_heads`.
    pub fn scalar_int(&self) -> Option<i64> {
        match (self.dtype, self.data.len()) {
            (DType::I8, 1) => Some(self.data[0] as i8 as i64),
            (DType::I16, 2) => Some(i16::from_le_bytes([self.data[0], self.data[1]]) as i64),
            (DType::I32, 4) => {
                Some(i32::from_le_bytes([self.data[0], self.data[1], self.data[2], self.data[3]]) as i64)
            }
            _ => None,
        }
    }

    pub fn numel(&self) -> usize {
        self.dims.iter().product()
    }
}

/// A parsed model: spec and variables by name (aliases resolved).
#[derive(Debug)]
pub struct Ct2Model<'a> {
    pub version: i32,
    pub spec: String,
    pub revision: i32,
    pub vars: BTreeMap<String, Var<'a>>,
}

/// Parses a whole `model.bin` held in memory.
pub fn parse(buf: &[u8]) -> Result<Ct2Model<'_>, String> {
    let mut c = Cursor::new(buf);
    let version = c.u32("format version")? as i32;
    if !(1..=10).contains(&version) {
        return Err(format!("unsupported format version {version}"));
    }
    let spec = c.string("spec name")?;
    let revision = c.u32("spec revision")? as i32;
    let count = c.u32("variable count")? as usize;
    // Each variable needs at least 8 bytes of header: bound the count by the file size.
    if count > buf.len() / 8 {
        return Err(format!("variable count {count} is impossible for a {}-byte file", buf.len()));
    }
    let mut vars = BTreeMap::new();
    for _ in 0..count {
        let name = c.string("variable name")?;
        let rank = c.u8("rank")? as usize;
        if rank > 8 {
            return Err(format!("variable {name} has rank {rank}"));
        }
        let mut dims = Vec::with_capacity(rank);
        for _ in 0..rank {
            dims.push(c.u32("dimension")? as usize);
        }
        let code = c.u8("dtype")?;
        let dtype = DType::from_code(code).ok_or_else(|| format!("variable {name} has unknown dtype {code}"))?;
        let nbytes = c.u32("byte count")? as usize;
        let expect = dims.iter().try_fold(dtype.size(), |acc, &d| acc.checked_mul(d));
        if expect != Some(nbytes) {
            return Err(format!("variable {name}: {nbytes} bytes do not match shape {dims:?} of {dtype:?}"));
        }
        let data = c.take(nbytes, &name)?;
        vars.insert(name, Var { dims, dtype, data });
    }
    if c.pos < buf.len() {
        let aliases = c.u32("alias count")? as usize;
        if aliases > buf.len() / 4 {
            return Err(format!("alias count {aliases} is impossible"));
        }
        for _ in 0..aliases {
            let alias = c.string("alias")?;
            let target = c.string("alias target")?;
            if let Some(v) = vars.get(&target).cloned() {
                vars.insert(alias, v);
            }
        }
    }
    Ok(Ct2Model { version, spec, revision, vars })
}

impl<'a> Ct2Model<'a> {
    /// The variable `name`, or an error naming it.
    pub fn var(&self, name: &str) -> Result<&Var<'a>, String> {
        self.vars.get(name).ok_or_else(|| format!("variable {name} is missing"))
    }
}

/// IEEE half → single precision.
pub fn f16_to_f32(h: u16) -> f32 {
    let sign = ((h >> 15) as u32) << 31;
    let exp = ((h >> 10) & 0x1f) as u32;
    let frac = (h & 0x3ff) as u32;
    let bits = match (exp, frac) {
        (0, 0) => sign,
        (0, _) => {
            // Subnormal: normalise.
            let mut e = 127 - 15 + 1;
            let mut f = frac;
            while f & 0x400 == 0 {
                f <<= 1;
                e -= 1;
            }
            sign | ((e as u32) << 23) | ((f & 0x3ff) << 13)
        }
        (0x1f, 0) => sign | 0x7f80_0000,
        (0x1f, _) => sign | 0x7fc0_0000 | (frac << 13),
        _ => sign | ((exp + 127 - 15) << 23) | (frac << 13),
    };
    f32::from_bits(bits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string(out: &mut Vec<u8>, s: &str) {
        out.extend((s.len() as u16).to_le_bytes());
        out.extend(s.as_bytes());
    }

    fn tiny() -> Vec<u8> {
        let mut b = Vec::new();
        b.extend(6u32.to_le_bytes());
        string(&mut b, "WhisperSpec");
        b.extend(3u32.to_le_bytes());
        b.extend(1u32.to_le_bytes());
        string(&mut b, "a/weight");
        b.push(2);
        b.extend(2u32.to_le_bytes());
        b.extend(1u32.to_le_bytes());
        b.push(4);
        b.extend(4u32.to_le_bytes());
        b.extend([0x00, 0x3c, 0x00, 0xc0]); // 1.0, -2.0
        b.extend(1u32.to_le_bytes());
        string(&mut b, "b/weight");
        string(&mut b, "a/weight");
        b
    }

    #[test]
    fn mutated_files_never_panic() {
        let (ok, err) = crate::formats::mutate::fuzz(&tiny(), 20_000, |b| parse(b).map(|m| m.vars.len()));
        assert!(ok > 0 && err > 0, "the mutations exercise both paths: {ok} parsed, {err} refused");
    }

    #[test]
    fn parses_and_resolves_aliases() {
        let buf = tiny();
        let m = parse(&buf).unwrap();
        assert_eq!(m.spec, "WhisperSpec");
        let v = m.var("b/weight").unwrap();
        assert_eq!(v.dims, vec![2, 1]);
        assert_eq!(f16_to_f32(u16::from_le_bytes([v.data[2], v.data[3]])), -2.0);
    }

    #[test]
    fn every_truncation_is_an_error() {
        let buf = tiny();
        // A file may end right after the variables (no alias table); any other cut is an error.
        let vars_end = buf.len() - (4 + 2 + 8 + 2 + 8);
        for n in 0..buf.len() {
            assert_eq!(parse(&buf[..n]).is_ok(), n == vars_end, "prefix of {n} bytes");
        }
    }

    #[test]
    fn hostile_counts_are_rejected() {
        let mut buf = tiny();
        // variable count at offset 4 + 2 + 11 + 4
        let off = 4 + 2 + 11 + 4;
        buf[off..off + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(parse(&buf).unwrap_err().contains("impossible"));
        let mut buf = tiny();
        let dim_off = off + 4 + 2 + 8 + 1;
        buf[dim_off..dim_off + 4].copy_from_slice(&0x4000_0000u32.to_le_bytes());
        assert!(parse(&buf).is_err());
    }

    #[test]
    fn half_floats() {
        assert_eq!(f16_to_f32(0x3c00), 1.0);
        assert_eq!(f16_to_f32(0x8000), -0.0);
        assert_eq!(f16_to_f32(0x7bff), 65504.0);
        assert_eq!(f16_to_f32(0x0001), 5.960_464_5e-8);
        assert!(f16_to_f32(0x7c00).is_infinite());
        assert!(f16_to_f32(0x7e00).is_nan());
    }
}
