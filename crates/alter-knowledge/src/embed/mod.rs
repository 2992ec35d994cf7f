//! Sentence embeddings from BERT-architecture models.
//!
//! Two encoders compute the same function: ours ([`bert`]), whose linear
//! layers run in 8 bits with AVX-512 VNNI and which packs a batch's texts
//! without padding, and candle's f32 `BertModel`, used on CPUs without VNNI
//! or when [`Precision::F32`] is asked for (the bench's baseline).
//!
//! Any BERT-architecture folder works: `model.safetensors`, `tokenizer.json`
//! and `config.json` (a full Hugging Face config; when the folder only has a
//! sentence-transformers pooling config, the shape is read from the weights).
//! multilingual-e5 models get their `query: ` / `passage: ` prefixes; pooling
//! is the attention-masked mean, and vectors are L2-normalised so a dot
//! product is the cosine.
//!
//! Invariants: inference runs only on the caller's blocking thread inside
//! this embedder's own rayon pool (sized from `Config::threads`), never on an
//! async task — the `*_async` methods move it to `spawn_blocking`. Texts are
//! sorted by length before batching so padding wastes little work; results
//! come back in input order.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use candle_core::{DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config as BertConfig};
use tokenizers::{PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};

use crate::error::KnowledgeError;

mod bert;
pub mod int8;

/// The multilingual model (converted from the package's `E5S1` file by
/// `alter models fetch`; it reproduces the package's similarities within 0.002).
pub const E5_MODEL_DIR: &str = "embed/multilingual-e5-small";
/// The English-only model.
pub const MINILM_MODEL_DIR: &str = "embed/all-minilm-l6-v2";
/// The model used by default. Where our 8-bit encoder runs (AVX-512 VNNI),
/// multilingual-e5-small: Chinese passages are then found by meaning as well
/// as through the jieba-segmented word index, and 200 pages embed in ~20 s.
/// Elsewhere candle's f32 encoder would take minutes for e5's 12 layers, so
/// the English MiniLM (6 layers) keeps the build in budget. The benches and
/// tests take another with `ALTER_EMBED_MODEL`.
pub fn default_model_dir() -> &'static str {
    if int8::vnni_available() { E5_MODEL_DIR } else { MINILM_MODEL_DIR }
}

/// The arithmetic of the encoder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Precision {
    /// 8-bit linear layers ([`int8`]) where the CPU has AVX-512 VNNI, else f32.
    #[default]
    Int8,
    /// candle's f32 `BertModel`.
    F32,
}

/// How the embedder runs.
#[derive(Debug, Clone, PartialEq)]
pub struct EmbedderOptions {
    /// Inference threads (from `alter_core::Config::threads`).
    pub threads: usize,
    /// Texts per forward pass.
    pub batch_size: usize,
    /// Longer inputs are truncated (the models were trained up to 512).
    pub max_tokens: usize,
    pub precision: Precision,
}

impl Default for EmbedderOptions {
    fn default() -> Self {
        Self { threads: 2, batch_size: 16, max_tokens: 512, precision: Precision::Int8 }
    }
}

/// A loaded embedding model. Cheap to clone (shared).
#[derive(Clone)]
pub struct Embedder {
    inner: Arc<Inner>,
}

enum Encoder {
    Int8(bert::Bert),
    F32(BertModel),
}

struct Inner {
    encoder: Encoder,
    tokenizer: Tokenizer,
    device: Device,
    query_prefix: &'static str,
    passage_prefix: &'static str,
    id: String,
    dim: usize,
    batch_size: usize,
    pool: rayon::ThreadPool,
    /// Where and how it was loaded, for [`Embedder::with_precision`].
    dir: PathBuf,
    opts: EmbedderOptions,
}

impl std::fmt::Debug for Embedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Embedder").field("id", &self.inner.id).field("dim", &self.inner.dim).finish()
    }
}

impl Embedder {
    /// Loads the model in `dir` (e.g. `$ALTER_MODELS_DIR/e5-small`).
    pub fn load(dir: &Path, opts: &EmbedderOptions) -> Result<Self, KnowledgeError> {
        let weights = dir.join("model.safetensors");
        let tokenizer_path = dir.join("tokenizer.json");
        for file in [&weights, &tokenizer_path] {
            if !file.is_file() {
                return Err(KnowledgeError::ModelMissing { path: file.clone() });
            }
        }
        let corrupt = |detail: String| KnowledgeError::ModelCorrupt { path: dir.to_path_buf(), detail };
        let (config, name_hint) = read_config(dir, &weights).map_err(corrupt)?;
        if config.model_type.as_deref() == Some("xlm-roberta") {
            return Err(corrupt("XLM-RoBERTa position ids are not supported; use a BERT-type export".into()));
        }
        let device = Device::Cpu;
        let int8 = opts.precision == Precision::Int8 && int8::vnni_available();
        let encoder = if int8 {
            Encoder::Int8(
                bert::Bert::load(&weights, config.num_attention_heads, config.layer_norm_eps).map_err(corrupt)?,
            )
        } else {
            // SAFETY: the file is memory-mapped read-only; Alter never writes model files while running.
            let vb = unsafe { VarBuilder::from_mmaped_safetensors(&[&weights], DType::F32, &device) }
                .map_err(|e| corrupt(e.to_string()))?;
            Encoder::F32(BertModel::load(vb, &config).map_err(|e| corrupt(e.to_string()))?)
        };
        let mut tokenizer = Tokenizer::from_file(&tokenizer_path).map_err(|e| corrupt(e.to_string()))?;
        tokenizer
            .with_truncation(Some(TruncationParams {
                max_length: opts.max_tokens.min(config.max_position_embeddings),
                ..Default::default()
            }))
            .map_err(|e| corrupt(e.to_string()))?;
        let pad_id = tokenizer.get_padding().map(|p| p.pad_id).unwrap_or(config.pad_token_id as u32);
        tokenizer.with_padding(Some(PaddingParams {
            strategy: PaddingStrategy::BatchLongest,
            pad_id,
            ..Default::default()
        }));
        let dir_name = dir.file_name().and_then(|n| n.to_str()).unwrap_or("model").to_owned();
        let e5 = dir_name.contains("e5") || name_hint.contains("e5") || config.vocab_size > 200_000;
        let (query_prefix, passage_prefix) = if e5 { ("query: ", "passage: ") } else { ("", "") };
        let size = std::fs::metadata(&weights).map(|m| m.len()).unwrap_or(0);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(opts.threads.max(1))
            .thread_name(|i| format!("alter-embed-{i}"))
            .build()
            .map_err(|e| KnowledgeError::Internal(e.to_string()))?;
        Ok(Self {
            inner: Arc::new(Inner {
                encoder,
                tokenizer,
                device,
                query_prefix,
                passage_prefix,
                // Vectors of the two encoders differ slightly: a change of precision re-embeds.
                id: if int8 { format!("{dir_name}:{size}:int8") } else { format!("{dir_name}:{size}") },
                dim: config.hidden_size,
                batch_size: opts.batch_size.max(1),
                pool,
                dir: dir.to_path_buf(),
                opts: opts.clone(),
            }),
        })
    }

    /// Identifies the model; stored with the vectors so a different model triggers re-embedding.
    pub fn id(&self) -> &str {
        &self.inner.id
    }

    pub fn dim(&self) -> usize {
        self.inner.dim
    }

    /// The same model loaded again with another arithmetic (the bench's baseline).
    pub fn with_precision(&self, precision: Precision) -> Result<Self, KnowledgeError> {
        Self::load(&self.inner.dir, &EmbedderOptions { precision, ..self.inner.opts.clone() })
    }

    /// The arithmetic in use ([`Precision::Int8`] only where the CPU runs it).
    pub fn precision(&self) -> Precision {
        match self.inner.encoder {
            Encoder::Int8(_) => Precision::Int8,
            Encoder::F32(_) => Precision::F32,
        }
    }

    /// Embeds document passages (blocking; call from a blocking thread).
    pub fn embed_passages(&self, texts: &[String]) -> Result<Vec<Vec<f32>>, KnowledgeError> {
        let prefixed: Vec<String> = texts.iter().map(|t| format!("{}{t}", self.inner.passage_prefix)).collect();
        self.embed_raw(&prefixed)
    }

    /// Embeds a search query (blocking; call from a blocking thread).
    pub fn embed_query(&self, text: &str) -> Result<Vec<f32>, KnowledgeError> {
        let mut v = self.embed_raw(&[format!("{}{text}", self.inner.query_prefix)])?;
        v.pop().ok_or_else(|| KnowledgeError::Embed("no vector returned".into()))
    }

    /// [`Self::embed_passages`] on a blocking thread.
    pub async fn embed_passages_async(&self, texts: Vec<String>) -> Result<Vec<Vec<f32>>, KnowledgeError> {
        let this = self.clone();
        tokio::task::spawn_blocking(move || this.embed_passages(&texts))
            .await
            .map_err(|e| KnowledgeError::Internal(e.to_string()))?
    }

    /// [`Self::embed_query`] on a blocking thread.
    pub async fn embed_query_async(&self, text: &str) -> Result<Vec<f32>, KnowledgeError> {
        let this = self.clone();
        let text = text.to_owned();
        tokio::task::spawn_blocking(move || this.embed_query(&text))
            .await
            .map_err(|e| KnowledgeError::Internal(e.to_string()))?
    }

    fn embed_raw(&self, texts: &[String]) -> Result<Vec<Vec<f32>>, KnowledgeError> {
        let inner = &self.inner;
        // Sort by length so each batch pads to a similar length.
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| texts[i].len());
        let mut out = vec![Vec::new(); texts.len()];
        inner.pool.install(|| -> Result<(), KnowledgeError> {
            for batch in order.chunks(inner.batch_size) {
                let inputs: Vec<&str> = batch.iter().map(|&i| texts[i].as_str()).collect();
                let vectors = self.forward(&inputs)?;
                for (&i, v) in batch.iter().zip(vectors) {
                    out[i] = v;
                }
            }
            Ok(())
        })?;
        Ok(out)
    }

    fn forward(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, KnowledgeError> {
        let inner = &self.inner;
        let err = |e: &dyn std::fmt::Display| KnowledgeError::Embed(e.to_string());
        let encodings = inner.tokenizer.encode_batch(texts.to_vec(), true).map_err(|e| err(&e))?;
        let model = match &inner.encoder {
            Encoder::Int8(bert) => {
                // Padding is dropped: the encoder packs texts end to end.
                let ids: Vec<&[u32]> = encodings
                    .iter()
                    .map(|e| &e.get_ids()[..e.get_attention_mask().iter().filter(|&&m| m == 1).count()])
                    .collect();
                return bert.embed(&ids).map_err(|e| err(&e));
            }
            Encoder::F32(model) => model,
        };
        let len = encodings.first().map_or(0, |e| e.get_ids().len());
        let n = encodings.len();
        let mut ids = Vec::with_capacity(n * len);
        let mut mask = Vec::with_capacity(n * len);
        for e in &encodings {
            ids.extend_from_slice(e.get_ids());
            mask.extend_from_slice(e.get_attention_mask());
        }
        let ids = Tensor::from_vec(ids, (n, len), &inner.device).map_err(|e| err(&e))?;
        let mask = Tensor::from_vec(mask, (n, len), &inner.device).map_err(|e| err(&e))?;
        let type_ids = ids.zeros_like().map_err(|e| err(&e))?;
        let pooled = (|| -> candle_core::Result<Vec<Vec<f32>>> {
            let hidden = model.forward(&ids, &type_ids, Some(&mask))?;
            let maskf = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
            let summed = hidden.broadcast_mul(&maskf)?.sum(1)?;
            let counts = maskf.sum(1)?.clamp(1e-9, f64::MAX)?;
            let mean = summed.broadcast_div(&counts)?;
            let norm = mean.sqr()?.sum_keepdim(1)?.sqrt()?.clamp(1e-12, f64::MAX)?;
            mean.broadcast_div(&norm)?.to_vec2::<f32>()
        })();
        pooled.map_err(|e| err(&e))
    }
}

/// Reads `config.json`; when it is not a model config, infers the BERT shape
/// from the weights. Returns the config and a name hint (`_name_or_path`).
fn read_config(dir: &Path, weights: &PathBuf) -> Result<(BertConfig, String), String> {
    let file: serde_json::Value = std::fs::read(dir.join("config.json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(serde_json::Value::Null);
    let mut merged = serde_json::json!({
        "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "initializer_range": 0.02, "layer_norm_eps": 1e-12,
        "pad_token_id": 0, "type_vocab_size": 2, "max_position_embeddings": 512, "classifier_dropout": null,
        "model_type": null,
    });
    let name_hint = file.get("_name_or_path").and_then(|v| v.as_str()).unwrap_or("").to_owned();
    if file.get("hidden_size").is_none() {
        for (k, v) in infer_shape(weights)? {
            merged[k] = v.into();
        }
    }
    if let (Some(m), Some(f)) = (merged.as_object_mut(), file.as_object()) {
        for (k, v) in f {
            m.insert(k.clone(), v.clone());
        }
    }
    let config: BertConfig = serde_json::from_value(merged).map_err(|e| format!("config.json: {e}"))?;
    Ok((config, name_hint))
}

/// BERT dimensions read from tensor shapes. Heads cannot be seen in the
/// weights; MiniLM-style models use 32-wide heads at 384, others 64.
fn infer_shape(weights: &PathBuf) -> Result<Vec<(&'static str, usize)>, String> {
    let bytes = std::fs::read(weights).map_err(|e| e.to_string())?;
    let tensors = safetensors::SafeTensors::deserialize(&bytes).map_err(|e| e.to_string())?;
    let shape = |suffix: &str| -> Option<Vec<usize>> {
        tensors
            .names()
            .into_iter()
            .find(|n| n.ends_with(suffix))
            .and_then(|n| tensors.tensor(n).ok())
            .map(|t| t.shape().to_vec())
    };
    let word = shape("embeddings.word_embeddings.weight").ok_or("no word embeddings in the weights")?;
    let pos = shape("embeddings.position_embeddings.weight").ok_or("no position embeddings")?;
    let types = shape("embeddings.token_type_embeddings.weight").unwrap_or(vec![2, 0]);
    let inter = shape("layer.0.intermediate.dense.weight").ok_or("no intermediate layer")?;
    let layers = (0..256).take_while(|i| shape(&format!("layer.{i}.attention.self.query.weight")).is_some()).count();
    let hidden = word[1];
    let heads = if hidden == 384 { 12 } else { (hidden / 64).max(1) };
    Ok(vec![
        ("vocab_size", word[0]),
        ("hidden_size", hidden),
        ("max_position_embeddings", pos[0]),
        ("type_vocab_size", types[0]),
        ("intermediate_size", inter[0]),
        ("num_hidden_layers", layers),
        ("num_attention_heads", heads),
    ])
}
