//! `E5S1` → a BERT folder that candle's `BertModel` and the `tokenizers`
//! crate load: `model.safetensors` (f32, Hugging Face BERT names),
//! `config.json` and `tokenizer.json`.
//!
//! The tokenizer is the package's own pipeline expressed with standard
//! `tokenizers` parts: its per-code-point normalisation table becomes NFKC
//! plus the table's exceptions to NFKC (control characters removed, odd
//! spaces made plain, code points NFKC would change but the table keeps are
//! shielded through private-use stand-ins), then runs of spaces collapse;
//! SentencePiece metaspace pre-tokenisation; a unigram model over the
//! package's pieces and scores; `<s> … </s>` around each text. The converter
//! checks the result against the table before writing anything.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Value, json};
use tokenizers::normalizers::{NFKC, NormalizerWrapper};
use tokenizers::{NormalizedString, Normalizer, Tokenizer};

use super::e5s1::{E5s1, parse};

/// Writes the three files into `out_dir`.
pub fn convert(buf: &[u8], out_dir: &Path) -> Result<(), String> {
    let model = parse(buf)?;
    let tokenizer = tokenizer_json(&model);
    check_normalizer(&model, &tokenizer)?;
    write_json(&out_dir.join("tokenizer.json"), &tokenizer)?;
    write_json(&out_dir.join("config.json"), &config_json(&model))?;
    write_weights(&model, buf, &out_dir.join("model.safetensors"))
}

fn write_json(path: &Path, value: &Value) -> Result<(), String> {
    let text = serde_json::to_string_pretty(value).map_err(|e| e.to_string())?;
    std::fs::write(path, text).map_err(|e| format!("writing {}: {e}", path.display()))
}

/// A Hugging Face BERT config with the file's dimensions.
pub fn config_json(m: &E5s1) -> Value {
    let d = &m.dims;
    json!({
        "_name_or_path": "intfloat/multilingual-e5-small",
        "architectures": ["BertModel"],
        "model_type": "bert",
        "vocab_size": d.vocab,
        "hidden_size": d.hidden,
        "num_hidden_layers": d.layers,
        "num_attention_heads": d.heads,
        "intermediate_size": d.ffn,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": d.max_positions,
        "type_vocab_size": d.type_vocab,
        "initializer_range": 0.02,
        // The header stores 1e-12 as the nearest f32; write the intended value.
        "layer_norm_eps": (d.eps as f64 * 1e12).round() / 1e12,
        "pad_token_id": m.specials.pad,
        "position_embedding_type": "absolute",
    })
}

/// (file name, Hugging Face name, shape) of every tensor.
fn tensor_map(m: &E5s1) -> Vec<(String, String, Vec<usize>)> {
    let d = &m.dims;
    let (h, f) = (d.hidden, d.ffn);
    let mut map = vec![
        ("emb.word".into(), "embeddings.word_embeddings.weight".into(), vec![d.vocab, h]),
        ("emb.pos".into(), "embeddings.position_embeddings.weight".into(), vec![d.max_positions, h]),
        ("emb.type".into(), "embeddings.token_type_embeddings.weight".into(), vec![d.type_vocab, h]),
        ("emb.ln.w".into(), "embeddings.LayerNorm.weight".into(), vec![h]),
        ("emb.ln.b".into(), "embeddings.LayerNorm.bias".into(), vec![h]),
    ];
    for l in 0..d.layers {
        let p = format!("encoder.layer.{l}");
        for (short, long, rows, cols) in [
            ("q", "attention.self.query", h, h),
            ("k", "attention.self.key", h, h),
            ("v", "attention.self.value", h, h),
            ("ao", "attention.output.dense", h, h),
            ("fi", "intermediate.dense", f, h),
            ("fo", "output.dense", h, f),
        ] {
            map.push((format!("l{l}.{short}.w"), format!("{p}.{long}.weight"), vec![rows, cols]));
            map.push((format!("l{l}.{short}.b"), format!("{p}.{long}.bias"), vec![rows]));
        }
        for (short, long) in [("aln", "attention.output.LayerNorm"), ("oln", "output.LayerNorm")] {
            map.push((format!("l{l}.{short}.w"), format!("{p}.{long}.weight"), vec![h]));
            map.push((format!("l{l}.{short}.b"), format!("{p}.{long}.bias"), vec![h]));
        }
    }
    map
}

fn write_weights(m: &E5s1, buf: &[u8], path: &Path) -> Result<(), String> {
    let mut tensors = BTreeMap::new();
    for (short, long, shape) in tensor_map(m) {
        let values = m.f32_values(buf, &short, shape.iter().product())?;
        let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
        tensors.insert(long, (shape, bytes));
    }
    let views = tensors
        .iter()
        .map(|(name, (shape, bytes))| {
            safetensors::tensor::TensorView::new(safetensors::Dtype::F32, shape.clone(), bytes)
                .map(|v| (name.clone(), v))
                .map_err(|e| e.to_string())
        })
        .collect::<Result<Vec<_>, _>>()?;
    safetensors::serialize_to_file(views, &None, path).map_err(|e| format!("writing {}: {e}", path.display()))
}

/// First code point of Supplementary Private Use Area-A: stand-ins that NFKC leaves alone.
const SHIELD_BASE: u32 = 0xF0000;

fn nfkc(s: &str) -> String {
    let mut n = NormalizedString::from(s);
    NFKC.normalize(&mut n).expect("NFKC cannot fail");
    n.get().to_owned()
}

/// A regex character class matching exactly `chars` (Oniguruma syntax).
fn char_class(chars: &[char]) -> String {
    let body: String = chars.iter().map(|c| format!("\\x{{{:x}}}", *c as u32)).collect();
    format!("[{body}]")
}

fn replace(pattern: Value, content: &str) -> Value {
    json!({ "type": "Replace", "pattern": pattern, "content": content })
}

/// More shielded code points than this means the table is not NFKC-based.
const MAX_SHIELDS: usize = 1024;

/// The normaliser reproducing the file's table (see the module doc).
fn normalizer_json(m: &E5s1) -> Value {
    let table: BTreeMap<char, &str> = m.normalization.iter().map(|(c, s)| (*c, s.as_str())).collect();
    // Code points NFKC would change that the table leaves as they are.
    let kept: Vec<char> = (0x80..=0x10FFFFu32)
        .filter_map(char::from_u32)
        .filter(|c| !table.contains_key(c) && !matches!(*c as u32, 0xF0000..=0xFFFFF))
        .filter(|c| {
            let s = c.to_string();
            nfkc(&s) != s
        })
        .collect();
    let nfkc_based = kept.len() <= MAX_SHIELDS;
    // Table entries the base (NFKC, or nothing) gets wrong, grouped by replacement.
    let mut exceptions: BTreeMap<&str, Vec<char>> = BTreeMap::new();
    for (&c, &to) in &table {
        if !nfkc_based || nfkc(&c.to_string()) != to {
            exceptions.entry(to).or_default().push(c);
        }
    }
    let shield = |i: usize| char::from_u32(SHIELD_BASE + i as u32).expect("private use code point");
    let mut steps = Vec::new();
    if nfkc_based {
        for (i, c) in kept.iter().enumerate() {
            steps.push(replace(json!({ "String": c.to_string() }), &shield(i).to_string()));
        }
    }
    for (to, chars) in &exceptions {
        steps.push(replace(json!({ "Regex": char_class(chars) }), to));
    }
    if nfkc_based {
        steps.push(json!({ "type": "NFKC" }));
        for (i, c) in kept.iter().enumerate() {
            steps.push(replace(json!({ "String": shield(i).to_string() }), &c.to_string()));
        }
    }
    steps.push(replace(json!({ "Regex": " {2,}" }), " "));
    json!({ "type": "Sequence", "normalizers": steps })
}

/// The whole `tokenizer.json`.
pub fn tokenizer_json(m: &E5s1) -> Value {
    let s = m.specials;
    let piece = |id: u32| m.pieces[id as usize].0.clone();
    let (bos, eos) = (piece(s.bos), piece(s.eos));
    let added: Vec<Value> = m
        .pieces
        .iter()
        .enumerate()
        .filter(|(i, (p, score))| {
            *score == 0.0 && p.starts_with('<') && p.ends_with('>')
                || [s.bos, s.eos, s.pad, s.unk].contains(&(*i as u32))
        })
        .map(|(i, (p, _))| {
            json!({
                "id": i, "content": p, "single_word": false, "lstrip": p == "<mask>", "rstrip": false,
                "normalized": false, "special": true,
            })
        })
        .collect();
    let metaspace = json!({ "type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true });
    let special = |name: &str, id: u32| json!({ "id": name, "ids": [id], "tokens": [name] });
    json!({
        "version": "1.0",
        "truncation": null,
        "padding": null,
        "added_tokens": added,
        "normalizer": normalizer_json(m),
        "pre_tokenizer": metaspace,
        "post_processor": {
            "type": "TemplateProcessing",
            "single": [
                { "SpecialToken": { "id": bos, "type_id": 0 } },
                { "Sequence": { "id": "A", "type_id": 0 } },
                { "SpecialToken": { "id": eos, "type_id": 0 } },
            ],
            "pair": [
                { "SpecialToken": { "id": bos, "type_id": 0 } },
                { "Sequence": { "id": "A", "type_id": 0 } },
                { "SpecialToken": { "id": eos, "type_id": 0 } },
                { "SpecialToken": { "id": eos, "type_id": 0 } },
                { "Sequence": { "id": "B", "type_id": 0 } },
                { "SpecialToken": { "id": eos, "type_id": 0 } },
            ],
            "special_tokens": { bos.clone(): special(&bos, s.bos), eos.clone(): special(&eos, s.eos) },
        },
        "decoder": metaspace,
        "model": {
            "type": "Unigram",
            "unk_id": s.unk,
            "vocab": m.pieces.iter().map(|(p, score)| json!([p, score])).collect::<Vec<_>>(),
            "byte_fallback": false,
        },
    })
}

/// Runs of spaces as one, as the normaliser's last step does.
fn collapse_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if !(c == ' ' && out.ends_with(' ')) {
            out.push(c);
        }
    }
    out
}

/// Loads the tokenizer and checks its normaliser against every table entry
/// (and that plain text passes through unchanged).
fn check_normalizer(m: &E5s1, tokenizer: &Value) -> Result<(), String> {
    let tok: Tokenizer = serde_json::from_value(tokenizer.clone()).map_err(|e| format!("tokenizer.json: {e}"))?;
    let norm: &NormalizerWrapper = tok.get_normalizer().ok_or("tokenizer has no normaliser")?;
    let run = |s: &str| -> Result<String, String> {
        let mut n = NormalizedString::from(s);
        norm.normalize(&mut n).map_err(|e| e.to_string())?;
        Ok(n.get().to_owned())
    };
    let mut wrong = Vec::new();
    for (c, to) in &m.normalization {
        // Alone: next to a letter NFKC would also compose a combining mark,
        // which the package's per-code-point table does not (rare in real text).
        let got = run(&c.to_string())?;
        if got != collapse_spaces(to) {
            wrong.push(format!("U+{:04X} → {got:?}, table says {to:?}", *c as u32));
        }
    }
    for plain in ["plain text", "中文文本", "Ünïcödé ～ テスト"] {
        let mapped: String = plain
            .chars()
            .map(|c| m.normalization.iter().find(|(k, _)| *k == c).map_or(c.to_string(), |(_, v)| v.clone()))
            .collect();
        let got = run(plain)?;
        if got != collapse_spaces(&mapped) {
            wrong.push(format!("{plain:?} → {got:?}"));
        }
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the rebuilt normaliser disagrees with the table for {} code points, e.g. {}",
            wrong.len(),
            wrong[..wrong.len().min(3)].join("; ")
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::super::e5s1::tests::tiny;
    use super::*;

    #[test]
    fn writes_a_folder_candle_and_tokenizers_load() {
        let dir = tempfile::tempdir().unwrap();
        convert(&tiny(), dir.path()).unwrap();
        let tok = Tokenizer::from_file(dir.path().join("tokenizer.json")).unwrap();
        // TAB → space, spaces collapse, fullwidth Ａ → A (via NFKC); "hi" is a piece.
        let enc = tok.encode("hi\t hi", true).unwrap();
        assert_eq!(enc.get_ids(), &[0, 4, 4, 2]);
        let enc = tok.encode("zz", true).unwrap();
        assert_eq!(enc.get_ids().first(), Some(&0));
        assert!(enc.get_ids().contains(&3), "unknown text maps to <unk>: {:?}", enc.get_ids());

        let bytes = std::fs::read(dir.path().join("model.safetensors")).unwrap();
        let st = safetensors::SafeTensors::deserialize(&bytes).unwrap();
        assert_eq!(st.tensor("embeddings.word_embeddings.weight").unwrap().shape(), &[6, 32]);
        assert_eq!(st.tensor("encoder.layer.0.intermediate.dense.weight").unwrap().shape(), &[64, 32]);
        assert_eq!(st.tensor("encoder.layer.0.output.dense.weight").unwrap().shape(), &[32, 64]);
        let config: Value = serde_json::from_slice(&std::fs::read(dir.path().join("config.json")).unwrap()).unwrap();
        assert_eq!(config["num_hidden_layers"], 1);
        assert_eq!(config["layer_norm_eps"], 1e-12);
    }

    #[test]
    fn output_is_deterministic() {
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        convert(&tiny(), a.path()).unwrap();
        convert(&tiny(), b.path()).unwrap();
        for f in ["model.safetensors", "config.json", "tokenizer.json"] {
            assert_eq!(std::fs::read(a.path().join(f)).unwrap(), std::fs::read(b.path().join(f)).unwrap(), "{f}");
        }
    }
}
