//! Reading members of zip-based documents (DOCX, PPTX, XLSX) within a byte budget.
//!
//! The budget counts bytes actually inflated, not the sizes the archive
//! declares (which a zip bomb can fake), so a hostile file costs at most
//! `max_unzipped_bytes` of work and memory.

use std::io::{Cursor, Read};

use crate::error::ParseError;

pub(crate) struct ZipDoc<'a> {
    archive: zip::ZipArchive<Cursor<&'a [u8]>>,
    kind: &'static str,
    budget: u64,
    limit: u64,
}

impl<'a> ZipDoc<'a> {
    pub fn open(bytes: &'a [u8], kind: &'static str, limit: u64) -> Result<Self, ParseError> {
        let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| ParseError::corrupt(kind, e))?;
        Ok(Self { archive, kind, budget: limit, limit })
    }

    /// Member names, in archive order.
    pub fn names(&self) -> Vec<String> {
        self.archive.file_names().map(str::to_owned).collect()
    }

    /// Reads one member; `Ok(None)` when it does not exist.
    pub fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, ParseError> {
        let mut file = match self.archive.by_name(name) {
            Ok(f) => f,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(zip::result::ZipError::UnsupportedArchive(m)) if m.contains("ncrypt") || m.contains("assword") => {
                return Err(ParseError::Encrypted { kind: self.kind });
            }
            Err(e) => return Err(ParseError::corrupt(self.kind, e)),
        };
        if file.encrypted() {
            return Err(ParseError::Encrypted { kind: self.kind });
        }
        let mut out = Vec::new();
        let read = (&mut file)
            .take(self.budget + 1)
            .read_to_end(&mut out)
            .map_err(|e| ParseError::corrupt(self.kind, format!("{name}: {e}")))?;
        if read as u64 > self.budget {
            return Err(ParseError::ZipBomb { kind: self.kind, limit: self.limit });
        }
        self.budget -= read as u64;
        Ok(Some(out))
    }

    /// Sum of the sizes the archive declares, for a cheap early refusal.
    pub fn declared_size(&mut self) -> u64 {
        (0..self.archive.len())
            .filter_map(|i| self.archive.by_index_raw(i).ok().map(|f| f.size()))
            .fold(0u64, u64::saturating_add)
    }
}
