//! `alter build DIR [--name N] [--id ID] [--full] [--json]`: builds or
//! rebuilds a twin, with a progress bar per stage, then prints the report card.

use alter_core::{ErrorReport, TwinId};
use alter_engine::{BuildReport, BuildRequest, Engine};

use crate::args::{BuildArgs, Global};
use crate::output;
use crate::progress::{Bar, cancel_on_ctrl_c};

pub async fn run(engine: &Engine, args: BuildArgs, global: &Global) -> Result<(), ErrorReport> {
    let id = args.id.as_deref().map(TwinId::parse).transpose().map_err(|e| ErrorReport::from_error(&e))?;
    let selftest_questions = if args.selftest == 0 { (0, 0) } else { (args.selftest, 2) };
    let request =
        BuildRequest { name: args.name, id, full: args.full, selftest_questions, ..BuildRequest::new(args.dir) };
    let bar = Bar::new(global);
    let cancel = cancel_on_ctrl_c();
    let report = engine.build_twin(&request, &bar.sink, &cancel).await;
    bar.finish();
    let report = report?;
    if global.json {
        output::json(&report);
    } else {
        print_report(&report);
    }
    Ok(())
}

fn print_report(r: &BuildReport) {
    let verb = if r.created { "built" } else { "rebuilt" };
    println!("{} {verb} as twin {} in {:.1} s", r.name, r.twin, r.seconds);
    for s in &r.stages {
        let note = if s.reused { "  (unchanged, reused)" } else { "" };
        println!("  {:<9} {:>6.1} s{note}", s.name, s.seconds);
    }
    let i = &r.ingest;
    println!(
        "documents: {} ({} added, {} updated, {} unchanged, {} failed)",
        i.files,
        i.added,
        i.updated,
        i.unchanged,
        i.failed.len()
    );
    let v = &r.voice;
    match (v.tuned, &v.voice) {
        (true, Some(voice)) => println!(
            "voice: {voice} tuned toward {} sample(s); pitch error {} → {} semitones, similarity {} → {}",
            v.samples.iter().filter(|s| s.usable).count(),
            fmt_opt(v.pitch_error_before, 2),
            fmt_opt(v.pitch_error_after, 2),
            fmt_opt(v.similarity_before, 3),
            fmt_opt(v.similarity_after, 3),
        ),
        _ => println!("voice: default voice, untuned"),
    }
    let card = &r.report;
    let m = &card.results.overall;
    println!("report card: {:.0} / 100", card.score * 100.0);
    println!(
        "  {} questions: answers right {}, citations right {}, declined when unanswerable {}, style {}",
        m.questions,
        pct(m.answer_accuracy),
        pct(m.citation_correct),
        pct(m.decline_rate),
        fmt_opt(card.style_score, 2)
    );
    for g in &card.results.per_question {
        let mark = if g.answerable {
            if g.answer_correct { "✓" } else { "✗" }
        } else if g.declined {
            "✓"
        } else {
            "✗"
        };
        let q = card.questions.iter().find(|q| q.id == g.id).map_or("", |q| q.question.as_str());
        println!("  {mark} {}", output::clip(q, 90));
    }
    for w in &r.warnings {
        eprintln!("note: {w}");
    }
}

fn pct(x: Option<f32>) -> String {
    x.map_or("n/a".into(), |x| format!("{:.0}%", x * 100.0))
}

fn fmt_opt(x: Option<f32>, digits: usize) -> String {
    x.map_or("n/a".into(), |x| format!("{x:.digits$}"))
}
