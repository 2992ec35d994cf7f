//! `alter ingest --twin ID DIR`: reads a folder of documents into a twin's
//! knowledge (incrementally; the document step of `alter build`).

use alter_core::{ErrorReport, TwinId};
use alter_engine::Engine;

use crate::args::{Global, IngestArgs};
use crate::output;
use crate::progress::{Bar, cancel_on_ctrl_c};

pub async fn run(engine: &Engine, args: IngestArgs, global: &Global) -> Result<(), ErrorReport> {
    let id = TwinId::parse(&args.twin).map_err(|e| ErrorReport::from_error(&e))?;
    let bar = Bar::new(global);
    let cancel = cancel_on_ctrl_c();
    let report = engine.ingest_documents(&id, &args.dir, &bar.sink, &cancel).await;
    bar.finish();
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
