//! Speaking with the real voice: audio, exact phoneme timing, streaming,
//! languages the voice cannot read, and hostile text.

mod common;

use std::time::Instant;

use alter_core::{CancelToken, ErrorCode, HasErrorCode};
use alter_tts::{Emotion, SpeakOptions, TtsError, Unsupported, Viseme};

#[test]
fn speaks_with_timing_that_matches_the_audio() {
    let Some(synth) = common::synth() else { return };
    assert!(synth.has_exact_timing(), "the duration output should be exposed");
    let speech = synth.synthesize("Hello there. How are you today?", &SpeakOptions::default()).unwrap();
    assert_eq!(speech.sample_rate, 22050);
    let secs = speech.samples.len() as f32 / 22050.0;
    assert!((1.0..6.0).contains(&secs), "{secs} s");
    let rms = (speech.samples.iter().map(|s| s * s).sum::<f32>() / speech.samples.len() as f32).sqrt();
    assert!(rms > 0.01, "audio is silent: rms {rms}");
    // The timeline covers the audio exactly: durations × hop = samples.
    let end = speech.phonemes.last().unwrap().end_ms;
    assert!((end - speech.duration_ms()).abs() < 0.5, "timeline ends {end} ms, audio {} ms", speech.duration_ms());
    assert!(
        speech.phonemes.windows(2).all(|w| (w[0].end_ms - w[1].start_ms).abs() < 0.01 && w[0].start_ms <= w[0].end_ms)
    );
    let spoken: String = speech.phonemes.iter().map(|p| p.phoneme.as_str()).collect();
    assert!(spoken.contains('h') && spoken.contains('?'), "{spoken}");
    assert!(speech.visemes.iter().any(|v| v.viseme == Viseme::Aa || v.viseme == Viseme::Oh));
    assert_eq!(speech.visemes.first().map(|v| v.viseme), Some(Viseme::Rest));
}

/// Pauses in the timeline (punctuation) must be quiet in the audio.
#[test]
fn pauses_in_the_timeline_are_silent_in_the_audio() {
    let Some(synth) = common::synth() else { return };
    let options = SpeakOptions { noise_scale: Some(0.0), noise_w: Some(0.0), ..Default::default() };
    let speech = synth.synthesize("Yes, of course. We can meet at noon, or later.", &options).unwrap();
    let report = alter_tts::bench::pause_alignment(&speech);
    assert!(report.pauses >= 2, "{report:?}");
    assert_eq!(report.silent_midpoints, report.pauses, "{report:?}");
    eprintln!("pause edges vs measured silence: {report:?}");
}

#[test]
fn streams_sentence_by_sentence() {
    let Some(synth) = common::synth() else { return };
    let text = "Thanks for asking. The depot in Leeds opens at nine. I will send you the figures tomorrow.";
    let whole = synth.synthesize(text, &SpeakOptions::default()).unwrap();
    let started = Instant::now();
    let mut stream = synth.stream(text, &SpeakOptions::default(), CancelToken::new()).unwrap();
    let first = stream.next().unwrap().unwrap();
    let first_ms = started.elapsed().as_millis();
    eprintln!("first audio after {first_ms} ms");
    assert_eq!((first.index, first.count), (0, 3));
    assert_eq!(first.sentence, "Thanks for asking.");
    let rest: Vec<_> = stream.map(|c| c.unwrap()).collect();
    assert_eq!(rest.len(), 2);
    let total: usize = std::iter::once(&first).chain(&rest).map(|c| c.speech.samples.len()).sum();
    // Same sentences, random variation: lengths agree within 25 %.
    let ratio = total as f32 / whole.samples.len() as f32;
    assert!((0.75..1.25).contains(&ratio), "{ratio}");
}

#[test]
fn dropping_a_stream_stops_it() {
    let Some(synth) = common::synth() else { return };
    let text = "One more sentence to say. ".repeat(4000); // 104k characters
    let mut stream = synth.stream(&text, &SpeakOptions::default(), CancelToken::new()).unwrap();
    assert!(stream.next().unwrap().is_ok());
    let started = Instant::now();
    drop(stream);
    assert!(started.elapsed().as_secs() < 5);
}

#[test]
fn cancelling_a_stream_ends_it_with_cancelled() {
    let Some(synth) = common::synth() else { return };
    let cancel = CancelToken::new();
    let stream = synth.stream(&"Again and again. ".repeat(50), &SpeakOptions::default(), cancel.clone()).unwrap();
    cancel.cancel();
    let last = stream.last().unwrap();
    assert!(matches!(last, Err(TtsError::Cancelled)) || last.is_ok());
}

#[test]
fn bad_text_gets_clear_errors() {
    let Some(synth) = common::synth() else { return };
    let o = SpeakOptions::default();
    for text in ["", "   ", "🙂😀👍🏽🎉", "\u{1}\u{2}\u{7}\u{1b}\u{7f}\r\n", "... !!! ???", "\u{200b}\u{feff}"]
    {
        let err = synth.synthesize(text, &o).unwrap_err();
        assert!(matches!(err, TtsError::NothingToSay), "{text:?}: {err}");
        assert_eq!(err.code(), ErrorCode::InvalidInput);
    }
    let huge = "word ".repeat(20_000);
    let err = synth.synthesize(&huge, &o).unwrap_err();
    assert!(matches!(err, TtsError::TextTooLong { chars: 100_000, .. }), "{err}");
    assert!(err.to_string().contains("stream"));
    let err = synth.stream(&"x".repeat(alter_tts::MAX_STREAM_CHARS + 1), &o, CancelToken::new()).unwrap_err();
    assert!(matches!(err, TtsError::TextTooLong { .. }));
    // Emoji and control characters inside real text are dropped, not spoken.
    let speech = synth.synthesize("Great 🎉 news!\u{7}", &o).unwrap();
    assert!(speech.duration_ms() > 300.0);
    // A 300-character word with no spaces is cut, not fed whole to the graph.
    assert!(synth.synthesize(&"a".repeat(700), &o).is_ok());
}

#[test]
fn the_owners_speed_and_liveliness_change_the_voice() {
    let Some(synth) = common::synth() else { return };
    let flat = SpeakOptions { noise_w: Some(0.0), liveliness: 0.0, ..Default::default() };
    let text = "The depot in Leeds opens at nine in the morning.";
    let normal = synth.synthesize(text, &flat).unwrap();
    let fast = synth.synthesize(text, &SpeakOptions { speed: 1.5, ..flat.clone() }).unwrap();
    let ratio = fast.duration_ms() / normal.duration_ms();
    // Phoneme lengths are whole frames (rounded up) and pauses have a floor, so not exactly 1/1.5.
    assert!((0.6..0.85).contains(&ratio), "1.5× speed took {ratio:.2} of the time");
    // Liveliness 0 is the flat voice: the same text twice gives the same audio.
    let again = synth.synthesize(text, &flat).unwrap();
    assert_eq!(normal.samples.len(), again.samples.len());
}

#[test]
fn bad_options_are_refused() {
    let Some(synth) = common::synth() else { return };
    let bad = [
        SpeakOptions { length_scale: Some(f32::NAN), ..Default::default() },
        SpeakOptions { length_scale: Some(100.0), ..Default::default() },
        SpeakOptions { pitch_semitones: 40.0, ..Default::default() },
        SpeakOptions { volume: -1.0, ..Default::default() },
        SpeakOptions { speaker: Some("nobody".into()), ..Default::default() },
        SpeakOptions { speed: 0.0, ..Default::default() },
        SpeakOptions { speed: f32::INFINITY, ..Default::default() },
        SpeakOptions { liveliness: -1.0, ..Default::default() },
        SpeakOptions { liveliness: f32::NAN, ..Default::default() },
    ];
    for o in bad {
        assert!(matches!(synth.synthesize("Hello.", &o), Err(TtsError::BadOption(_))), "{o:?}");
    }
}

#[test]
fn chinese_with_an_english_voice_is_flagged_not_spoken() {
    let Some(synth) = common::synth() else { return };
    let err = synth.synthesize("你好，我是玛雅。", &SpeakOptions::default()).unwrap_err();
    assert!(err.to_string().contains("no installed voice speaks Chinese"), "{err}");
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    let mixed = synth.synthesize("The report 报告 is ready.", &SpeakOptions::default());
    assert!(matches!(mixed, Err(TtsError::UnsupportedLanguage { .. })));
    let o = SpeakOptions { unsupported: Unsupported::SpeakRest, ..Default::default() };
    let speech = synth.synthesize("The report 报告 is ready.", &o).unwrap();
    assert_eq!(speech.skipped.as_deref(), Some("Chinese"));
    assert!(speech.duration_ms() > 500.0);
    assert!(matches!(synth.synthesize("只有中文。", &o), Err(TtsError::NothingToSay)));
}

#[test]
fn emotion_and_volume_change_the_audio() {
    let Some(synth) = common::synth() else { return };
    let flat = |emotion| SpeakOptions { noise_scale: Some(0.0), noise_w: Some(0.0), emotion, ..Default::default() };
    let text = "I am sorry to hear that, it must have been a long day.";
    let neutral = synth.synthesize(text, &flat(Emotion::Neutral)).unwrap();
    let sad = synth.synthesize(text, &flat(Emotion::Sad)).unwrap();
    let happy = synth.synthesize(text, &flat(Emotion::Happy)).unwrap();
    assert!(sad.duration_ms() > neutral.duration_ms() * 1.08);
    assert!(happy.duration_ms() < neutral.duration_ms());
    let pitch = |s: &alter_tts::Speech| alter_tts::dsp::median_pitch(&s.samples, s.sample_rate).unwrap();
    assert!(pitch(&happy) > pitch(&neutral) * 1.04, "{} vs {}", pitch(&happy), pitch(&neutral));
    assert!(pitch(&sad) < pitch(&neutral));
    let peak = |s: &alter_tts::Speech| s.samples.iter().fold(0f32, |m, x| m.max(x.abs()));
    assert!(peak(&sad) < peak(&neutral));
}

#[test]
fn writes_a_wav() {
    let Some(synth) = common::synth() else { return };
    let speech = synth.synthesize("Testing.", &SpeakOptions::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.wav");
    speech.write_wav(&path).unwrap();
    let reader = hound::WavReader::open(&path).unwrap();
    assert_eq!(reader.spec().sample_rate, 22050);
    assert_eq!(reader.len() as usize, speech.samples.len());
    assert!(matches!(speech.write_wav(&dir.path().join("no/such/dir.wav")), Err(TtsError::Write { .. })));
}
