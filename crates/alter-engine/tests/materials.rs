//! A twin's materials as the app manages them: documents and voice samples
//! added one by one or as a folder, checked as they arrive, recorded in the
//! app, removed; broken, empty, huge, duplicate and hostile input included.
//! No models are needed: checking parses and decodes, it does not embed.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use alter_audio::io::MemorySource;
use alter_audio::{Audio, SPEECH_RATE};
use alter_core::{CancelToken, ErrorCode, HasErrorCode, Settings, TwinId, TwinParams};
use alter_engine::Engine;
use alter_engine::materials::RecordOptions;

fn eval_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval")
}

async fn engine_with_twin(home: &Path) -> (Engine, TwinId) {
    let settings = Settings { home: Some(home.to_path_buf()), models_dir: Some(home.join("models")), threads: 1 };
    let engine = Engine::open(settings.resolve().unwrap()).await.unwrap();
    let params = TwinParams { name: "Maya Okafor".into(), role: "Operations lead".into(), ..TwinParams::default() };
    let twin = engine.create_twin(params, None).await.unwrap().id;
    (engine, twin)
}

#[tokio::test]
async fn documents_are_checked_as_they_are_added_and_can_be_removed() {
    let home = tempfile::tempdir().unwrap();
    let (engine, twin) = engine_with_twin(home.path()).await;
    let scratch = tempfile::tempdir().unwrap();
    let broken = scratch.path().join("broken.pdf");
    std::fs::write(&broken, b"%PDF-1.4\nthis is not a real pdf").unwrap();
    let empty = scratch.path().join("empty.txt");
    std::fs::write(&empty, b"").unwrap();

    let docs = eval_dir().join("docs");
    let added = engine
        .add_documents(
            &twin,
            vec![docs.join("profile.md"), docs.join("depots.csv"), broken, empty, scratch.path().join("missing.docx")],
        )
        .await
        .unwrap();
    let names: Vec<&str> = added.added.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["profile.md", "depots.csv", "broken.pdf", "empty.txt"]);
    let profile = &added.added[0];
    assert!(profile.check.is_usable() && profile.check.chunks > 0, "{profile:?}");
    assert_eq!(added.added[1].check.kind.as_deref(), Some("csv"));
    assert!(added.added[1].check.rows.unwrap_or(0) > 0);
    assert!(!added.added[2].check.is_usable(), "a broken PDF is listed with its reason");
    assert_eq!(added.added[3].check.failure.as_ref().unwrap().code, "empty");
    assert_eq!(added.skipped.len(), 1);
    assert_eq!(added.skipped[0].reason, "no such file");

    // The same file again is recognised; a whole folder adds what is new in it.
    let again = engine.add_documents(&twin, vec![docs.join("profile.md"), docs.clone()]).await.unwrap();
    assert!(again.skipped.iter().any(|s| s.reason == "already added as profile.md"), "{again:?}");
    let listed = engine.materials(&twin).await.unwrap();
    assert_eq!(listed.documents.len(), 6, "{:?}", listed.documents.iter().map(|d| &d.name).collect::<Vec<_>>());
    let pdf = listed.documents.iter().find(|d| d.name == "dispatch_planner_3_launch.pdf").unwrap();
    assert!(pdf.check.pages.unwrap_or(0) >= 1, "{pdf:?}");
    assert!(listed.documents.iter().any(|d| d.name == "工作约定.docx" && d.check.is_usable()));

    engine.remove_document(&twin, "broken.pdf").await.unwrap();
    for hostile in ["../twin.toml", "/etc/passwd", "", ".adding-x", "broken.pdf"] {
        let err = engine.remove_document(&twin, hostile).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidInput, "{hostile:?}: {err}");
    }
    assert_eq!(engine.materials(&twin).await.unwrap().documents.len(), 5);
    // The copies are the twin's own: the originals are untouched.
    assert!(docs.join("profile.md").is_file());
}

#[tokio::test]
async fn voice_samples_are_measured_and_non_audio_is_refused() {
    let home = tempfile::tempdir().unwrap();
    let (engine, twin) = engine_with_twin(home.path()).await;
    let scratch = tempfile::tempdir().unwrap();
    let not_audio = scratch.path().join("speech.wav");
    std::fs::write(&not_audio, b"RIFF\x10\x00\x00\x00WAVEfmt garbage").unwrap();
    let silence = scratch.path().join("silence.wav");
    alter_audio::write_wav(&silence, &Audio::new(vec![0.0; SPEECH_RATE as usize * 4], SPEECH_RATE)).unwrap();

    let voice = eval_dir().join("voice");
    let added = engine.add_voice_samples(&twin, vec![voice.clone(), not_audio, silence]).await.unwrap();
    let names: Vec<&str> = added.added.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["maya_1.wav", "maya_2.wav", "silence.wav"]);
    let maya = added.added[0].check.quality.as_ref().unwrap();
    assert!(maya.usable && maya.duration_s > 5.0, "{maya:?}");
    let silent = added.added[2].check.quality.as_ref().unwrap();
    assert!(!silent.usable && !silent.advice.is_empty(), "silence is kept with advice: {silent:?}");
    assert_eq!(added.skipped.len(), 1);
    assert!(added.skipped[0].reason.starts_with("not a usable recording"), "{:?}", added.skipped);

    engine.remove_voice_sample(&twin, "silence.wav").await.unwrap();
    assert_eq!(engine.materials(&twin).await.unwrap().samples.len(), 2);
}

#[tokio::test]
async fn a_recording_is_saved_measured_and_metered() {
    let home = tempfile::tempdir().unwrap();
    let (engine, twin) = engine_with_twin(home.path()).await;
    let speech = alter_audio::decode_file(&eval_dir().join("voice/maya_1.wav"), SPEECH_RATE).unwrap();
    let levels = Arc::new(Mutex::new(Vec::new()));
    let sink = levels.clone();
    let source = Box::new(MemorySource::new(speech, 320));
    let opts = RecordOptions { max: Duration::from_secs(6) };
    let take = engine
        .record_voice_sample(&twin, source, opts, CancelToken::new(), move |l| sink.lock().unwrap().push(l))
        .await
        .unwrap();
    assert_eq!(take.name, "recording-1.wav");
    let quality = take.check.quality.as_ref().unwrap();
    assert!((quality.duration_s - 6.0).abs() < 0.05, "the take stops at its limit: {quality:?}");
    {
        let levels = levels.lock().unwrap();
        assert_eq!(levels.len(), 60, "ten meter readings a second");
        assert!(levels.iter().any(|l| l.dbfs > -40.0) && levels.iter().all(|l| l.peak <= 1.0));
    }

    // Stopped before anything arrived: no empty file is made.
    let stop = CancelToken::new();
    stop.cancel();
    let source = Box::new(MemorySource::new(Audio::new(vec![0.1; 16_000], SPEECH_RATE), 320));
    let err = engine.record_voice_sample(&twin, source, RecordOptions::default(), stop, |_| {}).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    assert_eq!(engine.materials(&twin).await.unwrap().samples.len(), 1);
}

#[tokio::test]
async fn importing_a_build_folder_takes_its_files_and_settings_but_keeps_the_name() {
    let home = tempfile::tempdir().unwrap();
    let (engine, twin) = engine_with_twin(home.path()).await;
    let imported = engine.import_materials(&twin, &eval_dir()).await.unwrap();
    assert_eq!(imported.documents.added.len(), 4);
    assert_eq!(imported.samples.added.len(), 2);
    let params = engine.twin_params(&twin).await.unwrap();
    assert_eq!(params.name, "Maya Okafor");
    assert_eq!(imported.settings_applied, eval_dir().join("twin.toml").is_file());

    let empty = tempfile::tempdir().unwrap();
    let err = engine.import_materials(&twin, empty.path()).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
    let err = engine.import_materials(&twin, &eval_dir().join("docs/profile.md")).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput, "{err}");
    let unknown = TwinId::parse("nobody").unwrap();
    assert!(engine.materials(&unknown).await.is_err());
}
