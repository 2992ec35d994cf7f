//! `alter ingest --twin ID DIR`: reads a folder of documents into a twin's
//! knowledge (incrementally; the document step of `alter build`).

use alter_core::{CancelToken, ErrorReport, ProgressSink, TwinId};
use alter_engine::Engine;

use crate::args::{Global, IngestArgs};
use crate::output;

pub async fn run(engine: &Engine, args: IngestArgs, global: &Global) -> Result<(), ErrorReport> {
    let id = TwinId::parse(&args.twin).map_err(|e| ErrorReport::from_error(&e))?;
    let bar = (!global.json && std::io::IsTerminal::is_terminal(&std::io::stderr())).then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let sink = match bar.clone() {
        Some(bar) => ProgressSink::new(move |p| {
            bar.set_length(p.total);
            bar.set_position(p.done);
            bar.set_message(p.item.unwrap_or_default());
        }),
        None => ProgressSink::none(),
    };
    let cancel = CancelToken::new();
    let on_ctrl_c = cancel.clone();
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            on_ctrl_c.cancel();
        }
    });
    let report = engine.ingest_documents(&id, &args.dir, &sink, &cancel).await;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let report = report?;
    if global.json {
        output::json(&report);
    } else {
        println!(
            "{} files: {} added, {} updated, {} unchanged, {} removed, {} failed ({} chunks, {:.1} s)",
            report.files,
            report.added,
            report.updated,
            report.unchanged,
            report.removed,
            report.failed.len(),
            report.chunks,
            report.seconds
        );
        for f in &report.failed {
            println!("  {}: {}", f.file, f.message);
        }
    }
    Ok(())
}
