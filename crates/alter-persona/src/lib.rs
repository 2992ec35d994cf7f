//! The persona learned from the owner's own words: self-facts, style, exemplars and the style score.
