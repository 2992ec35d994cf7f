//! Silero VAD with the real model: speech/silence/noise, events on a stream
//! in odd-sized pieces, a file, and missing model/runtime errors.
//! Absent model: fails saying `run: alter models fetch` unless ALTER_SKIP_MODEL_TESTS=1.

use std::path::PathBuf;

use alter_vad::{Vad, VadError, VadEvent, VadOptions, detect_file};

fn models_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("ALTER_MODELS_DIR").map(PathBuf::from);
    match &dir {
        Some(d) if alter_vad::model_path(d).is_file() && alter_vad::find_runtime(d).is_some() => dir,
        _ => {
            let why =
                format!("Silero VAD or ONNX Runtime not found under ALTER_MODELS_DIR={dir:?}; run: alter models fetch");
            if std::env::var("ALTER_SKIP_MODEL_TESTS").as_deref() == Ok("1") {
                eprintln!("skipping: {why}");
                None
            } else {
                panic!("{why}");
            }
        }
    }
}

fn eval(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval").join(name)
}

#[test]
fn speech_in_silence_gives_one_span_with_hangover() {
    let Some(dir) = models_dir() else { return };
    let speech = alter_audio::decode_file(&eval("audio/d01.wav"), 16_000).unwrap().samples;
    // 1 s silence, the question, 2 s silence, fed in odd-sized pieces like a microphone.
    let mut x = vec![0.0f32; 16_000];
    x.extend(&speech);
    x.extend(vec![0.0f32; 32_000]);
    let mut vad = Vad::load(&dir, VadOptions::default()).unwrap();
    let mut events = Vec::new();
    for piece in x.chunks(777) {
        events.extend(vad.push(piece).unwrap());
    }
    events.extend(vad.finish());
    assert_eq!(events.len(), 2, "{events:?}");
    let (VadEvent::SpeechStart { at_s: s }, VadEvent::SpeechEnd { at_s: e }) = (events[0], events[1]) else {
        panic!("{events:?}")
    };
    assert!((0.8..1.6).contains(&s), "start {s}");
    let speech_end = 1.0 + speech.len() as f32 / 16_000.0;
    assert!(e > 1.5 && e < speech_end + 0.8, "end {e} (speech ends by {speech_end})");
}

#[test]
fn silence_and_noise_give_no_speech() {
    let Some(dir) = models_dir() else { return };
    let mut vad = Vad::load(&dir, VadOptions::default()).unwrap();
    assert!(vad.push(&vec![0.0; 48_000]).unwrap().is_empty());
    assert!(vad.finish().is_empty());
    vad.reset();
    let mut seed = 3u32;
    let noise: Vec<f32> = (0..48_000)
        .map(|_| {
            seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            ((seed >> 8) as f32 / (1u32 << 24) as f32 - 0.5) * 0.2
        })
        .collect();
    let mut events = vad.push(&noise).unwrap();
    events.extend(vad.finish());
    assert!(events.is_empty(), "{events:?}");
    // NaN never poisons the state.
    vad.reset();
    vad.push(&vec![f32::NAN; 4_096]).unwrap();
    assert!(vad.last_probability().is_finite());
}

#[test]
fn files_at_other_rates_are_streamed() {
    let Some(dir) = models_dir() else { return };
    let spans = detect_file(&dir, &eval("voice/maya_1.wav"), VadOptions::default()).unwrap();
    assert!(!spans.is_empty());
    assert!(spans.iter().all(|s| s.end_s > s.start_s));
}

#[test]
fn missing_model_and_runtime_are_clear_errors() {
    let empty = tempfile::tempdir().unwrap();
    let e = Vad::load(empty.path(), VadOptions::default()).unwrap_err();
    assert!(matches!(e, VadError::ModelMissing(_)) && e.to_string().contains("alter models fetch"));
    std::fs::create_dir_all(empty.path().join("vad")).unwrap();
    std::fs::write(alter_vad::model_path(empty.path()), b"x").unwrap();
    // Another test may already have loaded the runtime in this process: then the
    // bogus model itself is what gets refused.
    let e = Vad::load(empty.path(), VadOptions::default()).unwrap_err();
    assert!(matches!(e, VadError::RuntimeMissing(_) | VadError::ModelCorrupt { .. }), "{e:?}");
    assert!(alter_vad::find_runtime(empty.path()).is_none());
    let fake = empty.path().join("libonnxruntime.so");
    std::fs::write(&fake, b"not a library").unwrap();
    let e = alter_vad::check_library_file(&fake).unwrap_err();
    assert!(matches!(VadError::from(e), VadError::RuntimeBroken { .. }));
}
