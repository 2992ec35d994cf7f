//! `alter say "text" --out FILE.wav [--twin ID] [--json]`: text to speech.
//!
//! Writes the WAV; with `--json` prints the phoneme and viseme timeline too.

use alter_core::{ErrorReport, TwinId};
use alter_engine::Engine;
use alter_engine::tts::{Emotion, SpeakOptions, Unsupported};
use serde_json::json;

use crate::args::{Global, SayArgs};
use crate::output;

pub async fn run(engine: &Engine, args: SayArgs, global: &Global) -> Result<(), ErrorReport> {
    let twin = args.twin.as_deref().map(TwinId::parse).transpose().map_err(|e| ErrorReport::from_error(&e))?;
    let emotion = match args.emotion.as_deref() {
        None => Emotion::Neutral,
        Some(name) => Emotion::parse(name).ok_or_else(|| {
            ErrorReport::new(
                alter_core::ErrorCode::InvalidInput,
                format!("unknown emotion {name:?}: use neutral, happy, concerned, sad or surprised"),
            )
        })?,
    };
    let options = SpeakOptions {
        length_scale: args.length_scale,
        speaker: args.speaker,
        volume: args.volume,
        pitch_semitones: args.pitch,
        emotion,
        unsupported: if args.speak_rest { Unsupported::SpeakRest } else { Unsupported::Error },
        ..SpeakOptions::default()
    };
    let report = engine.say(&args.text, &args.out, twin.as_ref(), options).await?;
    if global.json {
        output::json(&json!(report));
    } else {
        println!("{} ({:.1} s, voice {})", report.out.display(), report.seconds, report.voice);
        if let Some(language) = &report.skipped {
            eprintln!("note: the {language} parts were not spoken: no installed voice speaks {language}");
        }
    }
    Ok(())
}
