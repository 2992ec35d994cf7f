//! Local language models on CPU: GGUF loading (hardened header reader),
//! tokenizer from GGUF metadata, the model's chat template, a Qwen2/Llama
//! forward pass with batched (GEMM) prefill and quantized decode, KV-cache
//! reuse (pinned persona prefix, anticipatory prefill), seeded sampling,
//! streaming generation on a dedicated model thread, and a benchmark against
//! llama.cpp.
//!
//! Entry points: [`Llm::load`] → [`LlmHandle::generate`] (stream of
//! [`GenEvent`]), [`LlmHandle::prefill_prefix`], [`LlmHandle::prefill`],
//! [`bench::run_bench`].

mod attention;
pub mod bench;
pub mod chat;
pub mod engine;
pub mod error;
pub mod gguf;
mod linear;
mod lookup;
pub mod model;
mod ops;
mod quant;
pub mod sampling;
pub mod tokenizer;
mod worker;

pub use chat::{ChatMessage, ChatTemplate, Ending, Role};
pub use engine::{FinishReason, GenEvent, GenerateRequest, GenerationStats};
pub use error::LlmError;
pub use sampling::SamplingParams;
pub use tokenizer::{TokenId, Tokenizer};
pub use worker::{Llm, LlmHandle, LoadOptions, ModelInfo};

/// Environment variable naming the models folder.
pub const MODELS_DIR_ENV: &str = "ALTER_MODELS_DIR";
