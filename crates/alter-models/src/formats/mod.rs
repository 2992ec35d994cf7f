//! Hardened readers for the headers of model files users can import.

pub mod ggml;
pub mod gguf;
pub mod reader;

#[cfg(test)]
pub(crate) mod mutate;
