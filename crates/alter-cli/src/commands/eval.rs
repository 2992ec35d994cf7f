//! `alter eval --twin ID QUESTIONS.jsonl [--audio DIR] [--anticipate] [--json]`:
//! scores a twin on a question set, typed, (with `--audio`) spoken, and
//! (with `--anticipate`) typed after anticipatory prefill.

use alter_core::{ErrorReport, TwinId};
use alter_engine::persona::eval::{EvalReport, Metrics};
use alter_engine::{Engine, EvalOptions};

use crate::args::{EvalArgs, Global};
use crate::output;
use crate::progress::{Bar, cancel_on_ctrl_c};

pub async fn run(engine: &Engine, args: EvalArgs, global: &Global) -> Result<(), ErrorReport> {
    let twin = TwinId::parse(&args.twin).map_err(|e| ErrorReport::from_error(&e))?;
    let questions = alter_engine::persona::eval::read_questions(&args.questions).map_err(|e| {
        ErrorReport::new(alter_core::ErrorCode::InvalidInput, format!("{}: {e}", args.questions.display()))
    })?;
    let bar = Bar::new(global);
    let options = EvalOptions { audio_dir: args.audio, anticipate: args.anticipate };
    let run = engine.eval(&twin, &questions, &options, &bar.sink, &cancel_on_ctrl_c()).await;
    bar.finish();
    let run = run?;
    if global.json {
        output::json(&run);
        return Ok(());
    }
    print_report("typed", &run.typed);
    if let Some(anticipated) = &run.anticipated {
        println!("(anticipated: each prompt prefilled from the question less its last word before it was asked)");
        print_report("anticipated", anticipated);
    }
    if let Some(spoken) = &run.spoken {
        println!("(spoken: each file played in real time; its partial captions prefilled the answer while it played)");
        print_report("spoken", &spoken.report);
        for (lang, rate) in &spoken.asr_error_rate {
            let what = if lang == "zh" { "character" } else { "word" };
            println!("  recognition {what} error rate ({lang}): {:.1}%", rate * 100.0);
        }
    }
    Ok(())
}

fn print_report(title: &str, r: &EvalReport) {
    println!("{title}: {}", metrics_line(&r.overall));
    for (lang, m) in &r.by_language {
        println!("  {lang}: {}", metrics_line(m));
    }
    for (stage, p) in &r.latency_ms {
        println!("  {stage:<14} p50 {:>7.0} ms  p95 {:>7.0} ms", p.p50, p.p95);
    }
}

fn metrics_line(m: &Metrics) -> String {
    let pct = |x: Option<f32>| x.map_or("n/a".into(), |x| format!("{:.0}%", x * 100.0));
    format!(
        "{} questions · hit@1 {} · hit@5 {} · answers {} · citations {} · declines {} · false declines {}",
        m.questions,
        pct(m.hit_at_1),
        pct(m.hit_at_5),
        pct(m.answer_accuracy),
        pct(m.citation_correct),
        pct(m.decline_rate),
        pct(m.false_decline_rate)
    )
}
