//! A bounded little-endian reader for untrusted headers.
//!
//! Invariant: every length is checked against the bytes left in the input
//! (and against an explicit cap) before any allocation, so a claimed length of
//! 2^60 is an error, not an allocation.

use std::io::Read;

/// Reads from `inner`, knowing how many bytes remain.
pub struct Bounded<R> {
    inner: R,
    pub remaining: u64,
    pub pos: u64,
}

impl<R: Read> Bounded<R> {
    pub fn new(inner: R, len: u64) -> Self {
        Self { inner, remaining: len, pos: 0 }
    }

    pub fn bytes(&mut self, n: u64, what: &str) -> Result<Vec<u8>, String> {
        if n > self.remaining {
            return Err(format!("{what} claims {n} bytes but only {} remain (at byte {})", self.remaining, self.pos));
        }
        let mut buf = vec![0u8; n as usize];
        self.inner.read_exact(&mut buf).map_err(|e| format!("reading {what} at byte {}: {e}", self.pos))?;
        self.remaining -= n;
        self.pos += n;
        Ok(buf)
    }

    pub fn skip(&mut self, n: u64, what: &str) -> Result<(), String> {
        if n > self.remaining {
            return Err(format!("{what} claims {n} bytes but only {} remain (at byte {})", self.remaining, self.pos));
        }
        let copied = std::io::copy(&mut (&mut self.inner).take(n), &mut std::io::sink())
            .map_err(|e| format!("reading {what} at byte {}: {e}", self.pos))?;
        if copied != n {
            return Err(format!("file ended inside {what}"));
        }
        self.remaining -= n;
        self.pos += n;
        Ok(())
    }

    pub fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N], String> {
        let v = self.bytes(N as u64, what)?;
        let mut a = [0u8; N];
        a.copy_from_slice(&v);
        Ok(a)
    }

    pub fn u8(&mut self, what: &str) -> Result<u8, String> {
        Ok(self.array::<1>(what)?[0])
    }
    pub fn u32(&mut self, what: &str) -> Result<u32, String> {
        Ok(u32::from_le_bytes(self.array(what)?))
    }
    pub fn i32(&mut self, what: &str) -> Result<i32, String> {
        Ok(i32::from_le_bytes(self.array(what)?))
    }
    pub fn u64(&mut self, what: &str) -> Result<u64, String> {
        Ok(u64::from_le_bytes(self.array(what)?))
    }

    /// A string of `n` bytes, at most `cap`, lossily decoded.
    pub fn string(&mut self, n: u64, cap: u64, what: &str) -> Result<String, String> {
        if n > cap {
            return Err(format!("{what} is {n} bytes long (limit {cap})"));
        }
        Ok(String::from_utf8_lossy(&self.bytes(n, what)?).into_owned())
    }
}
