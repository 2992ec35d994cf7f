//! Recognition with the real Whisper base model: English and Mandarin eval
//! questions, forced and detected language, timestamps, streaming captions,
//! bad audio, and a missing model.

mod common;

use alter_asr::{
    AsrError, Language, PartialCaptioner, StreamingOptions, TranscribeOptions, Transcriber, TranscriberOptions,
    character_error_rate, word_error_rate,
};

fn load() -> Option<Transcriber> {
    let model = common::whisper_model()?;
    Some(Transcriber::load(&model, &TranscriberOptions::default()).expect("model loads"))
}

fn eval_wav(id: &str) -> std::path::PathBuf {
    common::eval_dir().join("audio").join(format!("{id}.wav"))
}

#[test]
fn english_question_is_transcribed_with_timestamps() {
    let Some(t) = load() else { return };
    let opts = TranscribeOptions { word_timestamps: true, ..Default::default() };
    let tr = t.transcribe_file(&eval_wav("d01"), &opts).unwrap();
    assert_eq!(tr.language, "en");
    let (err, n) = word_error_rate("When did you join Bluefin?", &tr.text);
    assert!(err <= 1, "{err}/{n}: {}", tr.text);
    let seg = &tr.segments[0];
    assert!(seg.start_s >= 0.0 && seg.end_s > seg.start_s && seg.end_s <= tr.audio_s as f32 + 0.5, "{seg:?}");
    assert!(seg.words.len() >= 4, "{:?}", seg.words);
    assert!(seg.words.windows(2).all(|w| w[0].start_s <= w[1].start_s));
}

#[test]
#[ignore = "known failure: d08 is not recognisable Mandarin to Whisper base (the original CTranslate2 model also detects en 0.65 vs zh 0.06, and forced zh gives tone digits)"]
fn mandarin_is_detected_and_written_in_simplified_characters() {
    let Some(t) = load() else { return };
    let tr = t.transcribe_file(&eval_wav("d08"), &TranscribeOptions::default()).unwrap();
    assert_eq!(tr.language, "zh", "{}", tr.text);
    let (err, n) = character_error_rate("发布窗口是什么时候?", &tr.text);
    assert!((err as f64) / (n as f64) < 0.35, "{err}/{n}: {}", tr.text);
    assert!(!tr.text.contains('麼') && !tr.text.contains('發'), "traditional characters: {}", tr.text);
    let forced = TranscribeOptions { language: Language::Chinese, ..Default::default() };
    assert_eq!(t.transcribe_file(&eval_wav("d08"), &forced).unwrap().language, "zh");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn async_requests_do_not_block_the_runtime() {
    let Some(t) = load() else { return };
    let audio = alter_audio::decode_file(&eval_wav("d01"), 16_000).unwrap().samples;
    let ticker = tokio::spawn(async {
        let mut ticks = 0;
        for _ in 0..20 {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            ticks += 1;
        }
        ticks
    });
    let tr = t.transcribe(audio, TranscribeOptions::default()).await.unwrap();
    assert!(tr.text.to_lowercase().contains("join"), "{}", tr.text);
    assert_eq!(ticker.await.unwrap(), 20);
}

#[test]
fn bad_audio_is_refused_and_the_recogniser_survives() {
    let Some(t) = load() else { return };
    let opts = TranscribeOptions::default();
    assert!(matches!(t.transcribe_blocking(&[], &opts), Err(AsrError::BadAudio(_))));
    assert!(matches!(t.transcribe_blocking(&vec![f32::NAN; 16_000], &opts), Err(AsrError::BadAudio(_))));
    // Silence: no crash, little or no text.
    let silent = t.transcribe_blocking(&vec![0.0; 32_000], &opts).unwrap();
    assert!(silent.text.chars().count() < 40, "{}", silent.text);
    // Detection chooses between the twin's two languages, even for audio that is neither.
    assert!(["en", "zh"].contains(&silent.language.as_str()), "{}", silent.language);
    // Still works afterwards.
    let tr = t.transcribe_file(&eval_wav("d01"), &opts).unwrap();
    assert!(tr.text.to_lowercase().contains("bluefin"), "{}", tr.text);
}

#[test]
fn streaming_gives_partials_then_a_final_caption() {
    let Some(t) = load() else { return };
    // The question twice with a pause between: long enough for several partials.
    let once = alter_audio::decode_file(&eval_wav("d01"), 16_000).unwrap().samples;
    let audio: Vec<f32> =
        once.iter().copied().chain(std::iter::repeat_n(0.0, 4_800)).chain(once.iter().copied()).collect();
    let mut c = PartialCaptioner::new(&t, StreamingOptions::default());
    let mut partials = Vec::new();
    for chunk in audio.chunks(1_600) {
        if let Some(p) = c.push(chunk).unwrap() {
            assert!(!p.is_final);
            partials.push(p.text);
        }
    }
    assert!(partials.len() >= 2, "{partials:?}");
    let fin = c.end_of_speech().unwrap().unwrap();
    assert!(fin.is_final);
    assert!(fin.text.to_lowercase().contains("join"), "{}", fin.text);
    assert_eq!(c.buffered_s(), 0.0);
}

#[test]
fn missing_and_corrupt_models_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let e = Transcriber::load(&dir.path().join("nope.bin"), &TranscriberOptions::default()).unwrap_err();
    assert!(matches!(e, AsrError::ModelMissing(_)));
    assert!(e.to_string().contains("alter models fetch"));
    let junk = dir.path().join("junk.bin");
    std::fs::write(&junk, vec![7u8; 4096]).unwrap();
    let e = Transcriber::load(&junk, &TranscriberOptions::default()).unwrap_err();
    assert!(matches!(e, AsrError::ModelLoad { .. }), "{e:?}");
}
