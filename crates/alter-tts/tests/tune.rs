//! Voice tuning on the evaluation owner's samples: pitch error before/after.

mod common;

use std::path::PathBuf;

use alter_tts::{SpeakOptions, VoiceTarget, dsp};

fn read_mono(path: &PathBuf) -> (Vec<f32>, u32) {
    let reader = hound::WavReader::open(path).unwrap();
    let spec = reader.spec();
    let ch = usize::from(spec.channels);
    let scale = 1.0 / (1u64 << (spec.bits_per_sample - 1)) as f32;
    let raw: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Int => reader.into_samples::<i32>().map(|s| s.unwrap() as f32 * scale).collect(),
        hound::SampleFormat::Float => reader.into_samples::<f32>().map(|s| s.unwrap()).collect(),
    };
    (raw.chunks(ch).map(|c| c.iter().sum::<f32>() / ch as f32).collect(), spec.sample_rate)
}

#[test]
fn tuning_brings_pitch_toward_the_owner() {
    let Some(synth) = common::synth() else { return };
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval/voice");
    let (owner, sr) = read_mono(&dir.join("maya_1.wav"));
    let target = dsp::median_pitch(&owner, sr).expect("owner sample is voiced");
    let flat = SpeakOptions { noise_scale: Some(0.0), noise_w: Some(0.0), ..Default::default() };
    let before = synth.synthesize(alter_tts::tune::REFERENCE_TEXT, &flat).unwrap();
    let before_hz = dsp::median_pitch(&before.samples, before.sample_rate).unwrap();
    let tuning = synth.tune_toward(&VoiceTarget { median_pitch_hz: Some(target), ..Default::default() }, &[]);
    let tuned = SpeakOptions { pitch_semitones: tuning.options.pitch_semitones, ..flat };
    let after = synth.synthesize(alter_tts::tune::REFERENCE_TEXT, &tuned).unwrap();
    let after_hz = dsp::median_pitch(&after.samples, after.sample_rate).unwrap();
    let (err_before, err_after) = (dsp::semitones(target, before_hz).abs(), dsp::semitones(target, after_hz).abs());
    eprintln!(
        "owner {target:.1} Hz; voice {before_hz:.1} Hz ({err_before:.2} st off) -> shift {:.2} st -> {after_hz:.1} Hz ({err_after:.2} st off)",
        tuning.options.pitch_semitones
    );
    assert!(err_after < err_before.max(0.5));
    assert!(err_after <= 1.0);
    assert_eq!(after.samples.len(), before.samples.len(), "pitch shift keeps duration");
}
