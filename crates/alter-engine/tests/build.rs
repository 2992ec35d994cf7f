//! The build pipeline with the real models on the development twin
//! (`shared/eval`): a full build, a rebuild that reuses every stage, a build
//! cancelled mid-way that resumes to the same twin, asking the built twin,
//! and the bad folders a user can give it.
//!
//! Needs the models: run `alter models fetch` with `ALTER_MODELS_DIR` set
//! (or set `ALTER_SKIP_MODEL_TESTS=1` to skip, which prints why).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use alter_core::{CancelToken, ProgressSink, Settings, TwinId};
use alter_engine::build::BuildLock;
use alter_engine::{AskRequest, BuildRequest, Engine, EngineError};

fn eval_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/eval")
}

async fn engine(home: &Path) -> Option<Engine> {
    let models = alter_models::testing::models_dir_or_skip()?;
    let settings = Settings { home: Some(home.to_path_buf()), models_dir: Some(models), threads: 0 };
    Some(Engine::open(settings.resolve().expect("settings resolve")).await.expect("engine opens"))
}

/// A small self-test keeps the tests quick; the CLI default is larger.
fn request(dir: &Path) -> BuildRequest {
    BuildRequest { name: Some("Maya Okafor".into()), selftest_questions: (2, 1), ..BuildRequest::new(dir) }
}

async fn profile_json(engine: &Engine, twin: &TwinId) -> serde_json::Value {
    let db = alter_store::TwinDb::open(&engine.config().twin_db(twin)).await.unwrap();
    let (_, profile) = alter_persona::store::load_profile(db.pool()).await.unwrap().expect("a profile is stored");
    serde_json::to_value(profile).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn builds_the_dev_twin_then_reuses_every_stage_and_answers() {
    let home = tempfile::tempdir().unwrap();
    let Some(engine) = engine(home.path()).await else { return };
    let stages = Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let seen = Arc::clone(&stages);
    let progress = ProgressSink::new(move |p| {
        let mut s = seen.lock().unwrap();
        if s.last() != Some(&p.stage) {
            s.push(p.stage);
        }
    });
    let report =
        engine.build_twin(&request(&eval_dir()), &progress, &CancelToken::new()).await.expect("the build succeeds");
    assert!(report.created);
    assert_eq!(report.twin.as_str(), "maya-okafor");
    assert_eq!(
        *stages.lock().unwrap(),
        ["ingest", "voice", "persona", "selftest"],
        "progress covers every stage in order"
    );
    assert_eq!(report.ingest.files, 4);
    assert!(report.ingest.failed.is_empty(), "{:?}", report.ingest.failed);
    assert_eq!(report.voice.samples.len(), 2);
    assert!(report.voice.tuned, "two good samples tune the voice: {:?}", report.voice.warnings);
    let (before, after) = (report.voice.pitch_error_before.unwrap(), report.voice.pitch_error_after.unwrap());
    assert!(after < before.max(0.5), "tuning brings the pitch closer: {before} → {after} semitones");
    assert!(report.voice.similarity_before.is_some(), "the voice is compared with the owner's");
    assert!(
        report.voice.similarity_after.is_some() || report.warnings.iter().any(|w| w.contains("similarity")),
        "a missing after-tuning similarity is reported"
    );
    assert!(!report.report.questions.is_empty(), "the self-test asked questions");
    let profile = profile_json(&engine, &report.twin).await;
    assert!(profile.to_string().contains("Maya"), "the profile knows the owner's name");
    let twins = engine.list_twins().await.unwrap();
    assert!(twins[0].score.is_some_and(|s| (s - report.report.score).abs() < 1e-6), "the library shows the score");

    // Nothing changed: every stage after ingestion is reused.
    let again = engine.build_twin(&request(&eval_dir()), &ProgressSink::none(), &CancelToken::new()).await.unwrap();
    assert!(!again.created);
    assert_eq!(again.ingest.unchanged, 4);
    assert!(again.stages.iter().filter(|s| s.name != "ingest").all(|s| s.reused), "{:?}", again.stages);
    assert_eq!(again.report.questions, report.report.questions, "the stored report card is returned");
    assert_eq!(again.report.results.overall, report.report.results.overall);

    // The built twin answers from its documents, citing them.
    let question = AskRequest { question: "How many vans does the Antwerp depot have?".into(), ..Default::default() };
    let asked = engine.ask(&report.twin, question, CancelToken::new()).await.expect("ask succeeds");
    assert_eq!(asked.retrieved_files.first().map(String::as_str), Some("depots.csv"));
    assert!(!asked.answer.answer.trim().is_empty());

    // A cited file maps to the document the twin read; nothing else does.
    let path = engine.document_path(&report.twin, "depots.csv").await.expect("a cited file resolves");
    assert!(path.is_file() && path.ends_with("depots.csv"), "{}", path.display());
    for hostile in ["../../etc/passwd", "/etc/passwd", "", "depots.csv/..", "nope.pdf"] {
        let err = engine.document_path(&report.twin, hostile).await.unwrap_err();
        assert!(err.to_string().contains("no document named"), "{hostile:?}: {err}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_build_resumes_and_ends_with_the_same_twin() {
    let straight_home = tempfile::tempdir().unwrap();
    let resumed_home = tempfile::tempdir().unwrap();
    let Some(straight) = engine(straight_home.path()).await else { return };
    let Some(resumed) = engine(resumed_home.path()).await else { return };
    let req = BuildRequest { selftest_questions: (0, 0), ..request(&eval_dir()) };
    let whole = straight.build_twin(&req, &ProgressSink::none(), &CancelToken::new()).await.unwrap();

    // Cancel as soon as the persona stage starts: ingest and voice are finished and checkpointed.
    let cancel = CancelToken::new();
    let trip = cancel.clone();
    let progress = ProgressSink::new(move |p| {
        if p.stage == "persona" {
            trip.cancel();
        }
    });
    let first = resumed.build_twin(&req, &progress, &cancel).await;
    assert!(matches!(first, Err(EngineError::Cancelled)), "{first:?}");
    let done = resumed.build_twin(&req, &ProgressSink::none(), &CancelToken::new()).await.unwrap();
    let reused: Vec<&str> = done.stages.iter().filter(|s| s.reused).map(|s| s.name.as_str()).collect();
    assert_eq!(reused, ["voice"], "the finished voice stage is not redone");
    assert_eq!(done.ingest.unchanged, 4, "ingested documents are kept");
    assert_eq!(profile_json(&resumed, &done.twin).await, profile_json(&straight, &whole.twin).await);
    assert_eq!(done.voice.tuning, whole.voice.tuning);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_folders_get_clear_errors() {
    let home = tempfile::tempdir().unwrap();
    let Some(engine) = engine(home.path()).await else { return };
    let none = ProgressSink::none();
    let build = |dir: PathBuf| {
        let engine = engine.clone();
        let none = none.clone();
        async move { engine.build_twin(&request(&dir), &none, &CancelToken::new()).await }
    };

    let src = tempfile::tempdir().unwrap();
    let err = build(src.path().join("missing")).await.unwrap_err().to_string();
    assert!(err.contains("missing"), "{err}");

    std::fs::create_dir_all(src.path().join("docs")).unwrap();
    let err = build(src.path().to_path_buf()).await.unwrap_err().to_string();
    assert!(err.contains("no documents"), "{err}");

    std::fs::write(src.path().join("docs/broken.pdf"), b"%PDF-1.7 garbage \x00\x01\x02").unwrap();
    std::fs::write(src.path().join("docs/empty.docx"), b"").unwrap();
    let err = build(src.path().to_path_buf()).await.unwrap_err().to_string();
    assert!(err.contains("none of the documents") && err.contains("broken.pdf"), "{err}");

    std::fs::write(src.path().join("twin.toml"), "name = \"Maya\"\ncolour = 3\n").unwrap();
    let err = build(src.path().to_path_buf()).await.unwrap_err().to_string();
    assert!(err.contains("line 2"), "the error names the line: {err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn builds_without_voice_samples_and_refuses_a_second_build_at_once() {
    let home = tempfile::tempdir().unwrap();
    let Some(engine) = engine(home.path()).await else { return };
    let src = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(src.path().join("docs")).unwrap();
    std::fs::copy(eval_dir().join("docs/profile.md"), src.path().join("docs/profile.md")).unwrap();
    std::fs::create_dir_all(src.path().join("voice")).unwrap();
    // Silence is not a voice: it is reported, and the twin speaks untuned.
    let silence = alter_audio::Audio::new(vec![0.0; 16_000 * 3], 16_000);
    alter_audio::write_wav(&src.path().join("voice/silence.wav"), &silence).unwrap();
    let req = BuildRequest { selftest_questions: (0, 0), ..request(src.path()) };
    let report = engine.build_twin(&req, &ProgressSink::none(), &CancelToken::new()).await.unwrap();
    assert!(!report.voice.tuned);
    assert!(report.warnings.iter().any(|w| w.contains("silence.wav")), "{:?}", report.warnings);

    // While one build holds the twin, a second is refused with a clear message.
    let held = BuildLock::acquire(&engine.config().twin_dir(&report.twin)).unwrap();
    let second = engine.build_twin(&req, &ProgressSink::none(), &CancelToken::new()).await;
    assert!(matches!(second, Err(EngineError::Busy(_))), "{second:?}");
    drop(held);
    let third = engine.build_twin(&req, &ProgressSink::none(), &CancelToken::new()).await;
    assert!(third.is_ok(), "the build runs once the lock is released: {third:?}");
}
