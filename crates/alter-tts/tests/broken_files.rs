//! Broken voices and a missing ONNX Runtime give clear errors, never a hang.

mod common;

use std::path::Path;

use alter_core::{ErrorCode, HasErrorCode};
use alter_tts::{LoadOptions, Synthesizer, TtsError, VoiceConfig, VoiceFiles};

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn missing_runtime_is_an_error_not_a_hang() {
    let dir = tempfile::tempdir().unwrap();
    let err = alter_tts::runtime::ensure_runtime(dir.path()).unwrap_err();
    assert!(matches!(err, TtsError::RuntimeMissing { .. }), "{err}");
    assert!(err.to_string().contains("alter models fetch"));
    assert_eq!(err.code(), ErrorCode::ModelMissing);
    write(&dir.path().join("onnxruntime/libonnxruntime.so"), b"not a library at all");
    let err = alter_tts::runtime::ensure_runtime(dir.path()).unwrap_err();
    assert!(matches!(err, TtsError::RuntimeBroken { .. }), "{err}");
    write(&dir.path().join("onnxruntime/libonnxruntime.so"), b"");
    assert!(alter_tts::runtime::ensure_runtime(dir.path()).is_err());
}

#[test]
fn no_voice_installed() {
    let dir = tempfile::tempdir().unwrap();
    let err = Synthesizer::load(dir.path(), &LoadOptions::default()).unwrap_err();
    assert!(matches!(err, TtsError::VoiceMissing { .. }), "{err}");
    // A model without its config is not a voice.
    write(&dir.path().join("piper/a.onnx"), b"x");
    assert!(matches!(Synthesizer::load(dir.path(), &LoadOptions::default()), Err(TtsError::VoiceMissing { .. })));
}

#[test]
fn garbled_configs() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [&[u8]; 6] = [
        b"",
        b"{not json",
        b"{\"audio\": {\"sample_rate\": 22050}}",
        b"{\"audio\": {\"sample_rate\": 22050}, \"espeak\": {\"voice\": \"en-us\"}, \"phoneme_id_map\": {\"a\": [1]}}",
        b"{\"audio\": {\"sample_rate\": 5}, \"espeak\": {\"voice\": \"en-us\"}, \"phoneme_id_map\": {\"_\": [0], \"^\": [1], \"$\": [2]}}",
        b"{\"audio\": {\"sample_rate\": 22050}, \"espeak\": {\"voice\": \"en-us\"}, \"phoneme_id_map\": {\"ab\": [1]}}",
    ];
    for (i, bytes) in cases.iter().enumerate() {
        let path = dir.path().join(format!("v{i}.onnx.json"));
        write(&path, bytes);
        let err = VoiceConfig::load(&path).unwrap_err();
        assert!(matches!(err, TtsError::VoiceCorrupt { .. }), "case {i}: {err}");
    }
    assert!(VoiceConfig::load(&dir.path().join("missing.onnx.json")).is_err());
}

#[test]
fn corrupt_models() {
    let Some(models) = common::models_dir() else { return };
    let real = alter_tts::find_voices(&models).remove(0);
    let dir = tempfile::tempdir().unwrap();
    let config = std::fs::read(&real.config).unwrap();
    let head = {
        use std::io::Read;
        let mut b = vec![0u8; 1 << 20];
        std::fs::File::open(&real.onnx).unwrap().read_exact(&mut b).unwrap();
        b
    };
    let noise: Vec<u8> = (0..100_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    for (name, bytes) in [("empty", Vec::new()), ("noise", noise), ("truncated", head)] {
        let files = VoiceFiles::for_model(&dir.path().join(format!("{name}.onnx")));
        write(&files.onnx, &bytes);
        write(&files.config, &config);
        let err = Synthesizer::load_files(&models, &files, 1).unwrap_err();
        assert!(matches!(err, TtsError::VoiceCorrupt { .. }), "{name}: {err}");
        assert_eq!(err.code(), ErrorCode::ModelCorrupt);
        assert!(err.to_string().contains("alter models fetch"));
    }
}
