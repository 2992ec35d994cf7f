//! `alter ask --twin ID "question" [--session S] [--json]`: an answer in the
//! twin's persona, streamed to the terminal as it is written, with citations.

use std::io::Write;

use alter_core::{ErrorReport, TwinId};
use alter_engine::brain_types::AnswerEvent;
use alter_engine::{AskRequest, Engine};
use serde_json::json;

use crate::args::{AskArgs, Global};
use crate::output;
use crate::progress::cancel_on_ctrl_c;

pub async fn run(engine: &Engine, args: AskArgs, global: &Global) -> Result<(), ErrorReport> {
    let twin = TwinId::parse(&args.twin).map_err(|e| ErrorReport::from_error(&e))?;
    let request = AskRequest { question: args.question, session_id: args.session, ..Default::default() };
    let (retrieval, mut events) = engine.ask_stream(&twin, request, cancel_on_ctrl_c()).await?;
    let mut streamed = false;
    while let Some(event) = events.recv().await {
        match event {
            AnswerEvent::Token(t) if !global.json => {
                print!("{t}");
                let _ = std::io::stdout().flush();
                streamed = true;
            }
            AnswerEvent::Finished(answer) => {
                if global.json {
                    let mut value = json!(answer);
                    value["retrieved_files"] = json!(retrieval.files);
                    output::json(&value);
                } else {
                    // Declines and refusals are not streamed; the final text is authoritative.
                    if streamed {
                        println!();
                        if answer.declined {
                            println!("{}", answer.answer);
                        }
                    } else {
                        println!("{}", answer.answer);
                    }
                    for c in &answer.citations {
                        let place = if c.location.is_empty() { String::new() } else { format!(", {}", c.location) };
                        println!("  [{}] {}{place}", c.marker, c.file);
                    }
                    eprintln!(
                        "[{} · first token {} ms · {} ms]",
                        answer.emotion.as_str(),
                        answer.timings_ms.first_token.map_or("-".into(), |v| format!("{v:.0}")),
                        answer.timings_ms.total.round()
                    );
                }
                return Ok(());
            }
            AnswerEvent::Failed(e) => return Err(ErrorReport::from_error(&e)),
            _ => {}
        }
    }
    Err(ErrorReport::new(alter_core::ErrorCode::Internal, "the answer stream ended without a result"))
}
