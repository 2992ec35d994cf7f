//! Prints the ASR benchmarks side by side (what `alter bench asr` shows):
//! `cargo run --release -p alter-asr --example asr_bench -- [EVAL_DIR] [REPEATS]`
//! with ALTER_MODELS_DIR set.

use std::path::PathBuf;

use alter_asr::{AsrBenchOptions, TranscribeOptions, Transcriber, TranscriberOptions, run_asr_bench, run_wer_bench};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let eval = args.get(1).map(PathBuf::from).unwrap_or_else(|| PathBuf::from("../shared/eval"));
    let repeats = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(3);
    let models = PathBuf::from(std::env::var("ALTER_MODELS_DIR")?);
    let model = alter_asr::model_path(&models);
    for clip in ["d03", "d07"] {
        let opts = AsrBenchOptions {
            model: model.clone(),
            reference_model: Some(models.join("whisper").join(alter_asr::F16_MODEL_FILE)),
            audio: eval.join("audio").join(format!("{clip}.wav")),
            repeats,
            transcribe: TranscribeOptions { timestamps: false, ..Default::default() },
            threads: None,
        };
        let r = run_asr_bench(&opts)?;
        print!("{}", r.table());
        println!("  ours: {}\n  bare: {}\n", r.text_ours, r.text_bare);
    }
    let t = Transcriber::load(&model, &TranscriberOptions::default())?;
    let w = run_wer_bench(&t, &eval.join("questions.jsonl"), &eval.join("audio"))?;
    print!("{}", w.table());
    Ok(())
}
