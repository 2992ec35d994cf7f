//! `alter twins`: list, create, show and delete twins.

use alter_core::{ErrorReport, TwinId, TwinParams};
use alter_engine::Engine;
use serde_json::json;

use crate::args::{Global, TwinsAction, TwinsArgs};
use crate::output;

pub async fn run(engine: &Engine, args: TwinsArgs, global: &Global) -> Result<(), ErrorReport> {
    match args.action.unwrap_or(TwinsAction::List) {
        TwinsAction::List => {
            let twins = engine.list_twins().await?;
            if global.json {
                output::json(&json!({ "twins": twins }));
            } else if twins.is_empty() {
                println!("No twins yet. Build one with: alter build FOLDER --name \"Your Name\"");
            } else {
                for t in twins {
                    let score = t.score.map(|s| format!("{:.0}%", s * 100.0)).unwrap_or_else(|| "-".into());
                    println!(
                        "{:<24} {:<28} {:>5}  {}",
                        t.id,
                        output::clip(&t.name, 28),
                        score,
                        output::clip(&t.role, 40)
                    );
                }
            }
        }
        TwinsAction::Create { name, id, role } => {
            let id = id.map(|raw| TwinId::parse(&raw)).transpose().map_err(|e| ErrorReport::from_error(&e))?;
            let params = TwinParams { role, ..TwinParams::named(&name) };
            let twin = engine.create_twin(params, id).await?;
            if global.json {
                output::json(&twin);
            } else {
                println!("{}", twin.id);
            }
        }
        TwinsAction::Show { id } => {
            let id = TwinId::parse(&id).map_err(|e| ErrorReport::from_error(&e))?;
            let twin = engine.twin(&id).await?;
            let params = engine.twin_params(&id).await?;
            if global.json {
                output::json(&json!({ "twin": twin, "params": params }));
            } else {
                println!("{} ({})\nrole: {}\ngreeting: {}", twin.name, twin.id, params.role, params.greeting);
            }
        }
        TwinsAction::Delete { id } => {
            let id = TwinId::parse(&id).map_err(|e| ErrorReport::from_error(&e))?;
            engine.delete_twin(&id).await?;
            if global.json {
                output::json(&json!({ "deleted": id }));
            }
        }
    }
    Ok(())
}
