//! The 8-bit encoder computes what candle's f32 `BertModel` does, for both
//! shipped embedders: each text's vector within a small angle of the f32
//! one (cosine > 0.99), and query–passage similarities close, in English and
//! Chinese. Measured: e5-small within 0.006, MiniLM (half the layers, and
//! activations with larger outliers) within 0.019.

use std::path::{Path, PathBuf};

use alter_knowledge::{Embedder, EmbedderOptions, Precision};

const TEXTS: [&str; 8] = [
    "New employees receive 25 days of paid vacation per year.",
    "安特卫普的货车由物流团队负责。",
    "I joined Bluefin Logistics in March 2019 as an analyst.",
    "The quarterly budget review happens every January.",
    "region: Rotterdam; vans: 42; manager: P. de Vries",
    "需求评审每两周一次，在周二上午10点。",
    "a",
    "When the pilot in Antwerp ended, the team moved the planner to the new depot and rewrote the routing rules \
     for the night shift, which cut empty kilometres by a fifth over the following quarter.",
];
const QUERIES: [&str; 3] =
    ["how many vans are in Rotterdam?", "谁负责安特卫普的货车？", "When did you join the company?"];

fn models() -> Option<PathBuf> {
    match std::env::var_os("ALTER_MODELS_DIR") {
        Some(d) => Some(PathBuf::from(d)),
        None if std::env::var("ALTER_SKIP_MODEL_TESTS").as_deref() == Ok("1") => {
            eprintln!("skipping: ALTER_MODELS_DIR is not set (ALTER_SKIP_MODEL_TESTS=1)");
            None
        }
        None => panic!("ALTER_MODELS_DIR is not set; run: alter models fetch"),
    }
}

fn load(dir: &Path, precision: Precision) -> Embedder {
    Embedder::load(dir, &EmbedderOptions { precision, ..Default::default() })
        .unwrap_or_else(|e| panic!("{e}; run: alter models fetch"))
}

#[test]
fn int8_vectors_agree_with_f32_for_both_embedders() {
    let Some(models) = models() else { return };
    for model in [alter_knowledge::embed::E5_MODEL_DIR, alter_knowledge::embed::MINILM_MODEL_DIR] {
        let dir = models.join(model);
        let (int8, f32) = (load(&dir, Precision::Int8), load(&dir, Precision::F32));
        if int8.precision() != Precision::Int8 {
            eprintln!("skipped: this CPU has no AVX-512 VNNI, so both runs are f32");
            return;
        }
        assert_ne!(int8.id(), f32.id(), "stored vectors must say which encoder made them");
        let texts = TEXTS.map(String::from);
        let (a, b) = (int8.embed_passages(&texts).unwrap(), f32.embed_passages(&texts).unwrap());
        let dot = |x: &[f32], y: &[f32]| x.iter().zip(y).map(|(p, q)| p * q).sum::<f32>();
        for (i, (x, y)) in a.iter().zip(&b).enumerate() {
            let cos = dot(x, y);
            eprintln!("{model} text {i}: cosine to f32 {cos:.5}");
            assert!(cos > 0.99, "{model} text {i}: cosine to f32 {cos:.5}");
        }
        let mut worst = 0f32;
        for q in QUERIES {
            let (qa, qb) = (int8.embed_query(q).unwrap(), f32.embed_query(q).unwrap());
            for (x, y) in a.iter().zip(&b) {
                worst = worst.max((dot(&qa, x) - dot(&qb, y)).abs());
            }
        }
        eprintln!("{model}: worst similarity difference {worst:.5}");
        let bound = if model == alter_knowledge::embed::E5_MODEL_DIR { 0.01 } else { 0.025 };
        assert!(worst < bound, "{model}: similarity differs by {worst:.5}");
    }
}
