//! `alter search --twin ID "query" [-k 5]`: retrieval only — ranked chunks
//! with file, page/section and score.

use alter_core::{ErrorReport, TwinId};
use alter_engine::Engine;
use serde_json::json;

use crate::args::{Global, SearchArgs};
use crate::output;

pub async fn run(engine: &Engine, args: SearchArgs, global: &Global) -> Result<(), ErrorReport> {
    let id = TwinId::parse(&args.twin).map_err(|e| ErrorReport::from_error(&e))?;
    let hits = engine.search(&id, &args.query, args.k).await?;
    if global.json {
        let results: Vec<_> = hits
            .iter()
            .map(|h| {
                json!({
                    "file": h.file,
                    "location": h.location,
                    "heading": h.heading,
                    "text": h.text,
                    "score": h.score,
                    "bm25": h.bm25,
                    "cosine": h.cosine,
                })
            })
            .collect();
        output::json(&json!({ "results": results }));
    } else if hits.is_empty() {
        println!("Nothing found. Has the twin been built from documents? (alter build DIR)");
    } else {
        for (i, h) in hits.iter().enumerate() {
            let heading = if h.heading.is_empty() { String::new() } else { format!(" — {}", h.heading) };
            println!("{}. {} ({}){}  score {:.2}", i + 1, h.file, h.location, heading, h.score);
            println!("   {}", output::clip(&h.text.replace('\n', " "), 160));
        }
    }
    Ok(())
}
