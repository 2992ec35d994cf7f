//! `alter transcribe FILE [--language en|zh|auto] [--json]`: speech recognition alone.

use alter_asr::Language;
use alter_core::{ErrorCode, ErrorReport};
use alter_engine::Engine;

use crate::args::{Global, TranscribeArgs};
use crate::output;

pub async fn run(engine: &Engine, args: TranscribeArgs, global: &Global) -> Result<(), ErrorReport> {
    let language = match args.language.as_deref() {
        None => Language::Auto,
        Some(s) => Language::parse(s).ok_or_else(|| {
            ErrorReport::new(ErrorCode::InvalidInput, format!("unknown language {s:?}; use en, zh or auto"))
        })?,
    };
    let report = engine.transcribe_file(&args.file, language, Vec::new()).await?;
    if global.json {
        output::json(&report);
    } else {
        println!("{}", report.transcript.text);
        eprintln!(
            "[{}; {:.1} s of audio in {:.2} s]",
            report.transcript.language,
            report.transcript.audio_s,
            report.timings_ms.asr as f64 / 1000.0
        );
    }
    Ok(())
}
