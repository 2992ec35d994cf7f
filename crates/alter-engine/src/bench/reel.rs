//! Long speech for the benchmarks, made from the evaluation folder's own
//! recordings: its voice samples and spoken questions, one after another
//! with short pauses, as often as it takes to fill the length asked for.

use std::path::{Path, PathBuf};

use alter_audio::{Audio, decode_file, write_wav};

use crate::EngineError;

/// Whisper's rate, which the reels are written at.
const RATE: u32 = 16_000;
const PAUSE_S: f64 = 0.4;

/// The evaluation folder's recordings (`voice/`, then `audio/`), sorted.
fn recordings(eval: &Path) -> Result<Vec<PathBuf>, EngineError> {
    let mut files = Vec::new();
    for sub in ["voice", "audio"] {
        let Ok(entries) = std::fs::read_dir(eval.join(sub)) else { continue };
        let mut found: Vec<PathBuf> =
            entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "wav")).collect();
        found.sort();
        files.extend(found);
    }
    if files.is_empty() {
        return Err(EngineError::Bench(format!("{} has no recordings in voice/ or audio/", eval.display())));
    }
    Ok(files)
}

/// Writes `count` WAV files of about `seconds` each into `dir`; returns their paths.
pub fn write_reels(eval: &Path, dir: &Path, count: usize, seconds: f64) -> Result<Vec<PathBuf>, EngineError> {
    let clips: Vec<Audio> = recordings(eval)?.iter().map(|p| decode_file(p, RATE)).collect::<Result<_, _>>()?;
    std::fs::create_dir_all(dir).map_err(|source| EngineError::Io { action: "create", path: dir.into(), source })?;
    let target = (seconds * RATE as f64) as usize;
    let pause = vec![0f32; (PAUSE_S * RATE as f64) as usize];
    let mut next = clips.iter().cycle();
    let mut paths = Vec::with_capacity(count);
    for n in 1..=count {
        let mut samples = Vec::with_capacity(target);
        while samples.len() < target {
            let clip = next.next().expect("a cycle over a non-empty list");
            samples.extend_from_slice(&clip.samples[..clip.samples.len().min(target - samples.len())]);
            samples.extend_from_slice(&pause[..pause.len().min(target.saturating_sub(samples.len()))]);
        }
        let path = dir.join(format!("reel_{n}.wav"));
        write_wav(&path, &Audio::new(samples, RATE))?;
        paths.push(path);
    }
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reels_have_the_length_asked_for() {
        let eval = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval");
        let dir = tempfile::tempdir().unwrap();
        let paths = write_reels(&eval, dir.path(), 2, 12.5).unwrap();
        assert_eq!(paths.len(), 2);
        for p in paths {
            let audio = decode_file(&p, RATE).unwrap();
            assert_eq!(audio.samples.len(), 200_000);
            assert!(audio.samples.iter().any(|s| s.abs() > 0.05), "speech, not silence");
        }
        assert!(write_reels(dir.path(), dir.path(), 1, 1.0).is_err(), "a folder without recordings");
    }
}
