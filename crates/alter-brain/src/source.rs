//! A retrieved snippet as the brain sees it: what to show the model and how
//! to cite it.
//!
//! The knowledge crate's hits convert field by field (the engine does it, so
//! this crate does not pull in the embedding stack): `file`, `location`,
//! `heading`, `text`, the fused `score` and, when the vector search ranked
//! the chunk, its `cosine` similarity, which is what the decline
//! calibration reads.

use serde::{Deserialize, Serialize};

/// One numbered source of a grounded prompt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Source {
    /// The document's file name as the user gave it.
    pub file: String,
    /// "page 2", "rows 2-3", "slide 4", "section Team"…
    pub location: String,
    pub heading: String,
    pub text: String,
    /// Fused retrieval score (rank-based, `(0, 1]`).
    pub score: f32,
    /// Cosine similarity of the chunk to the question, when known.
    pub cosine: Option<f32>,
}

impl Source {
    pub fn new(file: &str, location: &str, heading: &str, text: &str) -> Self {
        Self {
            file: file.into(),
            location: location.into(),
            heading: heading.into(),
            text: text.into(),
            ..Self::default()
        }
    }

    /// "profile.md, section Team" — how a citation reads.
    pub fn label(&self) -> String {
        if self.location.is_empty() { self.file.clone() } else { format!("{}, {}", self.file, self.location) }
    }
}
