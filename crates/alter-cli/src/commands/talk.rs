//! `alter talk --twin ID --in question.wav --out reply.wav [--json]`: the
//! voice loop on files.

use alter_asr::Language;
use alter_core::{ErrorCode, ErrorReport, TwinId};
use alter_engine::{Engine, TalkRequest};

use crate::args::{Global, TalkArgs};
use crate::output;
use crate::progress::cancel_on_ctrl_c;

pub async fn run(engine: &Engine, args: TalkArgs, global: &Global) -> Result<(), ErrorReport> {
    let twin = TwinId::parse(&args.twin).map_err(|e| ErrorReport::from_error(&e))?;
    let language = match args.language.as_deref() {
        None => Language::Auto,
        Some(s) => Language::parse(s).ok_or_else(|| {
            ErrorReport::new(ErrorCode::InvalidInput, format!("unknown language {s:?}; use en, zh or auto"))
        })?,
    };
    let request = TalkRequest { input: args.input, out: args.out, language, session_id: args.session };
    let report = engine.talk(&twin, request, cancel_on_ctrl_c()).await?;
    if global.json {
        output::json(&report);
    } else {
        println!("you: {}", report.transcript);
        println!("twin: {}", report.answer);
        for c in &report.citations {
            let place = if c.location.is_empty() { String::new() } else { format!(", {}", c.location) };
            println!("  [{}] {}{place}", c.marker, c.file);
        }
        eprintln!(
            "[{} · reply {} ({:.1} s) · first audio {:.0} ms]",
            report.emotion,
            report.out.display(),
            report.audio_seconds,
            report.timings_ms.get("first_audio").copied().unwrap_or_default()
        );
        if let Some(language) = &report.skipped {
            eprintln!("note: the {language} parts were not spoken: no installed voice speaks {language}");
        }
    }
    Ok(())
}
