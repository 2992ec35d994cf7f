//! The voice profile on the evaluation samples, and the GE2E speaker
//! embedding with the real model (absent model: fails saying
//! `run: alter models fetch` unless ALTER_SKIP_MODEL_TESTS=1).

use std::path::PathBuf;

use alter_audio::{Audio, AudioError, SpeakerEncoder, VoiceProfile, analyse_sample, decode_file, speaker_model_path};

fn eval(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval/voice").join(name)
}

fn models_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("ALTER_MODELS_DIR").map(PathBuf::from);
    match &dir {
        Some(d) if speaker_model_path(d).is_file() => dir,
        _ => {
            let why = format!("speaker model not found under ALTER_MODELS_DIR={dir:?}; run: alter models fetch");
            if std::env::var("ALTER_SKIP_MODEL_TESTS").as_deref() == Ok("1") {
                eprintln!("skipping: {why}");
                None
            } else {
                panic!("{why}");
            }
        }
    }
}

#[test]
fn eval_samples_give_a_plausible_profile() {
    let a = analyse_sample("maya_1", &decode_file(&eval("maya_1.wav"), 16_000).unwrap()).unwrap();
    let b = analyse_sample("maya_2", &decode_file(&eval("maya_2.wav"), 16_000).unwrap()).unwrap();
    for s in [&a, &b] {
        assert!(s.quality.usable, "{:?}", s.quality);
        assert!((70.0..400.0).contains(&s.pitch.median_hz), "{:?}", s.pitch);
        assert!((2.0..8.0).contains(&s.rate.syllables_per_s), "{:?}", s.rate);
    }
    // Same speaker: medians within 2 semitones.
    assert!((12.0 * (a.pitch.median_hz / b.pitch.median_hz).log2()).abs() < 2.0);
    let p = VoiceProfile::from_samples(vec![a, b]).unwrap();
    assert!(p.pitch.median_hz > 0.0 && p.syllables_per_s > 0.0);
    let silent = analyse_sample("silent", &Audio::new(vec![0.0; 48_000], 16_000)).unwrap();
    let e = VoiceProfile::from_samples(vec![silent]).unwrap_err();
    assert!(e.to_string().contains("microphone"), "{e}");
}

#[test]
fn same_voice_is_closer_than_a_pitch_shifted_one() {
    let Some(dir) = models_dir() else { return };
    let enc = SpeakerEncoder::load(&dir).unwrap();
    let a = decode_file(&eval("maya_1.wav"), 16_000).unwrap();
    let b = decode_file(&eval("maya_2.wav"), 16_000).unwrap();
    let ea = enc.embed(&a).unwrap();
    let eb = enc.embed(&b).unwrap();
    assert_eq!(ea.len(), 256);
    assert!((ea.iter().map(|x| x * x).sum::<f32>().sqrt() - 1.0).abs() < 1e-4);
    let same = VoiceProfile::cosine(&ea, &eb).unwrap();
    // Played 30 % faster: pitch up ~4.5 semitones, a different-sounding voice.
    let shifted = Audio::new(a.samples.clone(), 16_000 * 13 / 10).resampled(16_000).unwrap();
    let es = enc.embed(&shifted).unwrap();
    let other = VoiceProfile::cosine(&ea, &es).unwrap();
    assert!(same > 0.75, "same voice {same}");
    assert!(other < same - 0.05, "shifted {other} vs same {same}");
    // No speech: an error, never NaN.
    assert!(enc.embed(&Audio::new(vec![0.0; 32_000], 16_000)).is_err());
}

#[test]
fn missing_speaker_model_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let e = SpeakerEncoder::load(dir.path()).unwrap_err();
    assert!(matches!(e, AudioError::ModelMissing(_)) && e.to_string().contains("alter models fetch"));
}
