//! End-to-end tests of the real window: the built `alter-app` binary driven
//! through tauri-driver + WebKitWebDriver under a private Xvfb display.
//!
//! The WebDriver protocol is spoken with one short-lived HTTP connection per
//! command (`curl`): requests reusing a kept-alive connection through
//! tauri-driver's proxy were seen to hang forever, which is what a pooling
//! client library (fantoccini) does.
//!
//! Every check waits (up to `WAIT`) for what a person would see rather than
//! reading once: an element is looked up again on each poll, so a list that
//! re-renders in between costs a retry, not a flaky failure. Text is read as
//! rendered (`innerText`) together with a visibility check, because
//! WebKitWebDriver's own "Get Element Text" returns "" for any element with
//! `overflow: hidden` (see [`WebDriver::seen`]).
//!
//! Each case gets a fresh `ALTER_HOME`, its own display and its own ports,
//! and leaves screenshots in `target/e2e-artifacts/` (the path is printed).
//! Cleanup runs on success, failure and panic alike: the WebDriver session is
//! closed, tauri-driver gets SIGTERM (SIGKILL would orphan WebKitWebDriver and
//! the app), then Xvfb is stopped.
//!
//! Needs: `Xvfb`, `WebKitWebDriver`, `curl` and ImageMagick's `import` (apt:
//! xvfb webkit2gtk-driver curl imagemagick) and `tauri-driver` (`cargo
//! install tauri-driver --locked`); `make test-e2e` installs them. A missing
//! tool fails the test with that advice, unless `ALTER_SKIP_E2E=1`, which
//! skips it with a printed reason.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use serde_json::{Value, json};

const APP: &str = env!("CARGO_BIN_EXE_alter-app");
const WAIT: Duration = Duration::from_secs(30);
const CASE_LIMIT: Duration = Duration::from_secs(240);
const ENTER: &str = "\u{E007}";
const ESCAPE: &str = "\u{E00C}";

/// One case at a time: two WebKit instances on a small shared machine make timings flaky.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creates_a_twin_through_the_window() {
    let Some(tools) = Tools::find() else { return };
    let _turn = ONE_AT_A_TIME.lock().await;
    let home = tempfile::tempdir().unwrap();
    run_case("library", &tools, home.path(), async |app: &App| {
        app.wait_for("[data-testid=empty-library]").await.context("the empty library did not show")?;
        app.screenshot("01-empty-library").await?;

        // The dialog opens with the name focused; Escape closes it.
        app.click("[data-testid=new-twin]").await?;
        app.wait_for("[data-testid=new-twin-dialog]").await?;
        let focused = app.wd.execute("return document.activeElement && document.activeElement.id", &[])?;
        ensure!(focused == "new-twin-name", "the name field should have focus, not {focused}");
        app.send_keys("#new-twin-name", ESCAPE).await?;
        app.wait_gone("[data-testid=new-twin-dialog]").await.context("Escape did not close the dialog")?;

        // An empty name is refused by the engine and the message shows under the field.
        app.click("[data-testid=new-twin]").await?;
        app.wait_for("[data-testid=new-twin-dialog]").await?;
        app.click("[data-testid=create-twin]").await?;
        app.wait_for_text("[data-testid=new-twin-name-error]", "The name is empty.")
            .await
            .context("no inline error")?;
        app.screenshot("02-new-twin-validation").await?;

        // A valid twin, submitted with Enter from the role field.
        app.type_into("#new-twin-name", "Maya Okafor").await?;
        app.type_into("#new-twin-role", "Mortgage advisor, retail banking").await?;
        app.send_keys("#new-twin-role", ENTER).await?;
        app.wait_gone("[data-testid=new-twin-dialog]").await.context("the dialog did not close after creating")?;
        // A new twin opens on Create, where its documents and voice are added; Back shows the library.
        app.wait_for("[data-testid=twin-screen][data-twin-id=maya-okafor] [data-testid=create-panel]").await?;
        app.screenshot("02b-new-twin-create").await?;
        app.click("[data-testid=back]").await?;
        app.wait_for("[data-testid=twin-card][data-twin-id=maya-okafor]").await?;
        app.wait_for_text("[data-twin-id=maya-okafor] [data-testid=twin-name]", "Maya Okafor").await?;
        app.wait_for_text("[data-twin-id=maya-okafor] [data-testid=twin-role]", "Mortgage advisor, retail banking")
            .await?;

        // A second twin, submitted with the button, to show the list with more than one card.
        app.click("[data-testid=new-twin]").await?;
        app.type_into("#new-twin-name", "Wang Min").await?;
        app.type_into("#new-twin-role", "Customer service lead").await?;
        app.click("[data-testid=create-twin]").await?;
        app.wait_gone("[data-testid=new-twin-dialog]").await?;
        app.wait_for("[data-twin-id=wang-min] [data-testid=create-panel]").await?;
        app.click("[data-testid=back]").await?;
        app.wait_for_text("[data-twin-id=wang-min] [data-testid=twin-name]", "Wang Min").await?;
        app.wait_for_text("[data-twin-id=wang-min] [data-testid=twin-role]", "Customer service lead").await?;
        app.wait_for_count("[data-testid=twin-card]", 2).await?;

        // The window wrote to the same database the engine (and so the CLI) reads...
        let engine = alter_engine::Engine::open(alter_core::Config::rooted(&app.home)).await?;
        let listed = |twins: Vec<alter_core::TwinSummary>| {
            twins.into_iter().map(|t| (t.id.to_string(), t.name, t.role)).collect::<Vec<_>>()
        };
        let stored = listed(engine.list_twins().await?);
        for (id, name, role) in [
            ("maya-okafor", "Maya Okafor", "Mortgage advisor, retail banking"),
            ("wang-min", "Wang Min", "Customer service lead"),
        ] {
            ensure!(
                stored.iter().any(|t| t.0 == id && t.1 == name && t.2 == role),
                "the database lacks {id} ({name} / {role}); it has {stored:?}"
            );
        }

        // ...and shows what the engine wrote: a twin created the way `alter twins create` does.
        let params =
            alter_core::TwinParams { role: "Branch manager".to_owned(), ..alter_core::TwinParams::named("Li Wei") };
        engine.create_twin(params, None).await?;
        app.wd.cmd("POST", "refresh", json!({}))?;
        app.wait_for_text("[data-twin-id=li-wei] [data-testid=twin-name]", "Li Wei")
            .await
            .context("a twin created outside the window did not show after a reload")?;
        app.wait_for_text("[data-twin-id=li-wei] [data-testid=twin-role]", "Branch manager").await?;
        app.wait_for_count("[data-testid=twin-card]", 3).await?;
        app.screenshot("03-library-with-twins").await?;

        // Settings: the language is switched and kept; the sound devices are listed (none on this machine).
        app.click("[data-testid=nav-settings]").await?;
        app.wait_for("[data-testid=settings]").await?;
        let devices = app.wd.execute(
            "return [...document.querySelectorAll('#settings-microphone option, #settings-speaker option')].length",
            &[],
        )?;
        eprintln!("[library] settings list {devices} device choices (the system default included)");
        app.screenshot("04-settings").await?;
        Ok(())
    })
    .await;
}

/// The journey of the brief: create a twin, build it from the evaluation
/// folder, read its report card, ask a typed question, see the answer with
/// its source card, watch the mouth move while the reply plays, barge in.
/// Needs the models (`ALTER_MODELS_DIR`); skipped with a reason under
/// `ALTER_SKIP_MODEL_TESTS=1`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn builds_a_twin_and_talks_to_it() {
    let Some(tools) = Tools::find() else { return };
    // The app finds the models through the inherited ALTER_MODELS_DIR.
    if alter_models::testing::models_dir_or_skip().is_none() {
        return;
    }
    let eval = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/eval");
    let eval = eval.canonicalize().unwrap_or_else(|e| panic!("{}: {e}", eval.display()));
    let _turn = ONE_AT_A_TIME.lock().await;
    let home = tempfile::tempdir().unwrap();
    // The spoken question d01 of the evaluation set is the microphone's input, said after
    // a second and a half of room quiet (as a person does, once listening has begun).
    let d01 = alter_audio::decode_file(&eval.join("audio/d01.wav"), alter_audio::SPEECH_RATE).unwrap();
    let mut said = vec![0.0f32; alter_audio::SPEECH_RATE as usize * 3 / 2];
    said.extend_from_slice(&d01.samples);
    alter_audio::write_wav(&home.path().join("microphone.wav"), &alter_audio::Audio::new(said, d01.sample_rate))
        .unwrap();
    run_case_within("journey", Duration::from_secs(900), &tools, home.path(), async |app: &App| {
        app.wait_for("[data-testid=empty-library]").await?;
        // The Models screen lists the installed models.
        app.click("[data-testid=nav-models]").await?;
        app.wait_for("[data-testid=model-row][data-state=installed]").await.context("no installed model listed")?;
        let broken = app.wd.find_all("[data-testid=model-row]:not([data-state=installed])")?;
        ensure!(broken == 0, "{broken} models are not installed");
        app.screenshot("09-models").await?;
        app.click("[data-testid=nav-library]").await?;
        app.wait_for("[data-testid=empty-library]").await?;
        app.click("[data-testid=new-twin]").await?;
        app.type_into("#new-twin-name", "Maya Okafor").await?;
        app.send_keys("#new-twin-name", ENTER).await?;
        app.wait_for("[data-testid=create-panel]").await.context("a new twin should open on Create")?;

        // Create: the twin's greeting, saved with its settings.
        app.type_into("#about-greeting", "Hi, I'm Maya's twin. Ask me about route planning.").await?;
        app.click("[data-testid=about-save]").await?;
        app.wait_for_seen("[data-testid=about-status]", "Saved", |t| t.starts_with("Saved")).await?;

        // Create: import the evaluation folder by keyboard (type the path, Enter); each file is checked.
        app.type_into("#import-folder", &eval.display().to_string()).await?;
        app.send_keys("#import-folder", ENTER).await?;
        app.wait_long("[data-testid=materials-added]", Duration::from_secs(60)).await.context("the import did not finish")?;
        let ready = app.wd.find_all("[data-testid=document-row][data-status=ready]")?;
        let good = app.wd.find_all("[data-testid=sample-row][data-usable=true]")?;
        ensure!(ready == 4 && good == 2, "expected 4 readable documents and 2 good samples, saw {ready} and {good}");
        // A voice sample recorded in the app (the test microphone plays a recording), measured, then removed.
        app.click("[data-testid=record-sample]").await?;
        app.wait_for("[data-testid=recording]").await.context("recording did not start")?;
        app.screenshot("09b-recording").await?;
        app.wait_long("[data-testid=sample-row][data-name='recording-1.wav']", Duration::from_secs(60))
            .await
            .context("the recording was not added")?;
        app.screenshot("09c-create").await?;
        app.click("[data-testid=sample-row][data-name='recording-1.wav'] [data-testid=remove-sample]").await?;
        app.wait_gone("[data-testid=sample-row][data-name='recording-1.wav']").await?;
        app.click("[data-testid=go-build]").await?;
        app.wait_for("[data-testid=build-panel]").await?;
        app.click("[data-testid=start-build]").await?;
        app.wait_for("[data-testid=build-panel][data-phase=running]").await.context("the build did not start")?;
        app.wait_long("[data-testid=stage-ingest][data-done=true]", Duration::from_secs(120)).await?;
        app.screenshot("10-building").await?;
        let built = Instant::now();
        app.wait_long("[data-testid=build-panel][data-phase=done], [data-testid=build-error]", Duration::from_secs(600))
            .await?;
        if let Some(err) = app.wd.find("[data-testid=build-error]")? {
            bail!("the build failed: {}", app.wd.seen(&err)?.text);
        }
        eprintln!("[journey] build finished {:.0} s after ingest", built.elapsed().as_secs_f64());
        app.wait_for("[data-testid=report-card]").await?;
        app.wd.execute("document.querySelector('[data-testid=report-card]').scrollIntoView()", &[])?;
        app.screenshot("11-report-card").await?;

        // Look: glasses on, saved with the twin.
        app.click("[data-testid=tab-look]").await?;
        app.wait_for("[data-testid=look-panel]").await?;
        app.click("[data-testid=look-panel] input[type=checkbox]").await?;
        app.click("[data-testid=save-look]").await?;
        app.wait_for_text("[data-testid=look-status]", "Saved.").await.context("the look was not saved")?;
        app.screenshot("11b-look").await?;

        // The owner's own VRM avatar: chosen by path (keyboard), kept with the twin, shown (or,
        // without WebGL 2, replaced by the drawn face with a note); then back to the drawn face.
        let vrm = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/avatar.vrm");
        app.type_into("#vrm-path", &vrm.canonicalize()?.display().to_string()).await?;
        app.send_keys("#vrm-path", ENTER).await?;
        app.wait_for("[data-testid=vrm-panel][data-chosen=true]").await.context("the VRM avatar was not taken")?;
        app.wait_long(
            "[data-testid=vrm-avatar][data-status=ready], [data-testid=vrm-fallback], [data-testid=vrm-failed]",
            Duration::from_secs(30),
        )
        .await?;
        let shown = app.wd.execute(
            "const v = document.querySelector('[data-testid=vrm-avatar]'); \
             const f = document.querySelector('[data-testid=vrm-fallback]'); \
             return v ? 'vrm ' + v.dataset.status : 'drawn face: ' + (f ? f.textContent : '?');",
            &[],
        )?;
        eprintln!("[journey] VRM avatar in the window: {shown}");
        ensure!(!shown.to_string().contains("failed"), "the test avatar failed to load: {shown}");
        app.screenshot("11c-vrm").await?;
        app.click("[data-testid=remove-vrm]").await?;
        app.wait_for("[data-testid=vrm-panel][data-chosen=false]").await?;

        // Persona: the learned self-facts with their sources; the owner corrects the role.
        app.click("[data-testid=tab-persona]").await?;
        app.wait_for("[data-testid=persona-panel][data-built=true]").await.context("no persona after the build")?;
        let name = app.text("[data-testid=fact-row][data-kind=name]").await?;
        ensure!(name.contains("Maya Okafor") && name.contains("profile.md"), "the name fact and its source: {name:?}");
        app.click("[data-testid=fact-row][data-kind=role] [data-testid=fact-edit]").await?;
        app.clear("#fact-role").await?;
        app.type_into("#fact-role", "Operations lead at Bluefin Logistics").await?;
        app.click("[data-testid=fact-row][data-kind=role] [data-testid=fact-save]").await?;
        app.wait_for("[data-testid=fact-row][data-kind=role][data-owner=true]").await.context("the correction was not kept")?;
        app.screenshot("11d-persona").await?;

        // Talk: a typed question, answered with its source.
        app.click("[data-testid=tab-talk]").await?;
        app.wait_for("[data-testid=talk-panel]").await?;
        app.type_into("#question", "When did you join Bluefin?").await?;
        // Time to the first sound, seen from the page: the avatar starts speaking.
        app.wd.execute(
            "window.__asked = performance.now(); const s = document.querySelector('svg.twin-avatar'); \
             new MutationObserver(() => { if (s.dataset.state === 'speaking' && !window.__spoke) \
               window.__spoke = performance.now(); }).observe(s, { attributes: true });",
            &[],
        )?;
        app.send_keys("#question", ENTER).await?;
        app.wait_long("[data-testid=turn][data-status=done], [data-testid=turn][data-status=failed]", Duration::from_secs(180))
            .await?;
        let answer = app.text("[data-testid=turn] [data-testid=answer]").await?;
        ensure!(answer.contains("2021") || answer.contains("September"), "unexpected answer {answer:?}");
        let source = app.wd.execute(
            "return [...document.querySelectorAll('[data-testid=source-card]')].map(e => e.dataset.file).join(',')",
            &[],
        )?;
        ensure!(source.as_str().is_some_and(|s| s.contains("profile.md")), "source cards: {source}");
        app.screenshot("12-answer").await?;

        // The reply plays (paced silently without a sound card): the mouth moves with it.
        app.wait_long("svg.twin-avatar[data-state=speaking]", Duration::from_secs(60)).await?;
        let mut widest = 0.0f64;
        let mut shapes = std::collections::BTreeSet::new();
        let watch = Instant::now();
        while watch.elapsed() < Duration::from_millis(1500) {
            let v = app.wd.execute(
                "const s = document.querySelector('svg.twin-avatar'); return [s.dataset.mouthOpen, s.dataset.viseme].join(' ')",
                &[],
            )?;
            let v = v.as_str().unwrap_or_default().to_owned();
            let mut parts = v.split(' ');
            widest = widest.max(parts.next().and_then(|x| x.parse().ok()).unwrap_or(0.0));
            shapes.insert(parts.next().unwrap_or_default().to_owned());
            tokio::time::sleep(Duration::from_millis(40)).await;
        }
        ensure!(widest > 0.1 && shapes.len() >= 2, "the mouth did not move: open {widest}, visemes {shapes:?}");
        let first_sound = app.wd.execute("return window.__spoke ? window.__spoke - window.__asked : null", &[])?;
        eprintln!("[journey] typed question to the avatar speaking: {first_sound} ms");
        // The lip offset, measured in the page against the player's time-stamped positions.
        app.wait_for("[data-testid=lip-offset]").await.context("the lip offset was not measured")?;
        let lips = app.wd.execute(
            "const l = document.querySelector('[data-testid=lip-offset]'); \
             return `p50 ${l.dataset.p50} ms, p95 ${l.dataset.p95} ms over ${l.dataset.frames} frames`",
            &[],
        )?;
        eprintln!("[journey] lips vs sound: {lips}");
        app.screenshot("13-speaking").await?;

        // Barge-in: Stop ends playback; the time is measured inside the page.
        let stop_ms = app.wd.execute_async(
            "const done = arguments[0]; const t0 = performance.now(); \
             document.querySelector('[data-testid=stop-speaking]').click(); \
             (function poll() { const s = document.querySelector('svg.twin-avatar'); \
               if (s.dataset.state !== 'speaking') done(performance.now() - t0); else requestAnimationFrame(poll); })();",
        );
        let stop_ms = match stop_ms {
            Ok(v) => v,
            Err(_) => {
                app.click("[data-testid=stop-speaking]").await.ok();
                Value::Null
            }
        };
        app.wait_long("svg.twin-avatar[data-state=idle]", Duration::from_secs(5)).await.context("barge-in did not stop")?;
        eprintln!("[journey] barge-in: the avatar stopped speaking {stop_ms} ms after Stop; mouth opened to {widest}, visemes {shapes:?}");
        let fps = app.wd.execute("const f = document.querySelector('[data-testid=fps]'); return f ? f.dataset.fps : null", &[])?;
        eprintln!("[journey] avatar frame rate under Xvfb (software rendering): {fps} FPS");
        app.screenshot("14-after-barge-in").await?;

        // A spoken question through the app's test input: the caption, then the answer.
        app.click("[data-testid=talk-button]").await?;
        app.wait_long("[data-testid=caption][data-listening=true]", Duration::from_secs(10)).await?;
        app.wait_long("[data-testid=turn]:nth-child(2)", Duration::from_secs(60)).await.context("the spoken question was not asked")?;
        let caption = app.text("[data-testid=caption]").await?;
        ensure!(caption.to_lowercase().contains("bluefin") || caption.to_lowercase().contains("join"), "caption {caption:?}");
        app.wait_long(
            "[data-testid=turn]:nth-child(2)[data-status=done], [data-testid=turn]:nth-child(2)[data-status=failed]",
            Duration::from_secs(180),
        )
        .await?;
        let spoken_answer = app.text("[data-testid=turn]:nth-child(2) [data-testid=answer]").await?;
        eprintln!("[journey] heard {caption:?}; answered {spoken_answer:?}");
        app.screenshot("15-spoken-question").await?;

        // Hands-free: while the twin speaks that answer, the person asks again (the test input);
        // the question is heard and asked without a click, and the reply playing is stopped.
        app.wait_long("svg.twin-avatar[data-state=speaking]", Duration::from_secs(60)).await?;
        app.wd.execute(
            "window.__handsFree = performance.now(); const s = document.querySelector('svg.twin-avatar'); \
             new MutationObserver(() => { if (s.dataset.state !== 'speaking' && !window.__quiet) \
               window.__quiet = performance.now(); }).observe(s, { attributes: true });",
            &[],
        )?;
        app.click("[data-testid=hands-free]").await?;
        app.wait_for("[data-testid=hands-free][aria-pressed=true]").await?;
        app.wait_long("[data-testid=turn]:nth-child(3)", Duration::from_secs(90))
            .await
            .context("hands-free did not ask the spoken question")?;
        // Off at once: the test input would say its question again to the next listening turn.
        app.click("[data-testid=hands-free]").await?;
        app.wait_for("[data-testid=hands-free][aria-pressed=false]").await?;
        let quiet = app.wd.execute("return window.__quiet ? window.__quiet - window.__handsFree : null", &[])?;
        let asked = app.text("[data-testid=turn]:nth-child(3)").await?;
        eprintln!("[journey] hands-free: the reply went quiet {quiet} ms after listening began (the person spoke at 1500 ms); asked {asked:?}");
        ensure!(asked.to_lowercase().contains("join"), "hands-free heard {asked:?}");
        app.wait_long(
            "[data-testid=turn]:nth-child(3)[data-status=done], [data-testid=turn]:nth-child(3)[data-status=failed]",
            Duration::from_secs(180),
        )
        .await?;
        let answer = app.text("[data-testid=turn]:nth-child(3) [data-testid=answer]").await?;
        eprintln!("[journey] hands-free answer: {answer:?}");
        app.screenshot("16-hands-free").await?;
        Ok(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupt_database_shows_what_to_do() {
    let Some(tools) = Tools::find() else { return };
    let _turn = ONE_AT_A_TIME.lock().await;
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join("alter.db"), "this is not a database\n".repeat(400)).unwrap();
    run_case("corrupt-db", &tools, home.path(), async |app: &App| {
        app.wait_for("[data-testid=startup-problem]").await.context("no start-up problem screen")?;
        let title = app.text("[data-testid=problem-title]").await?;
        ensure!(title.contains("damaged"), "title {title:?}");
        let text = app.text("[data-testid=startup-problem]").await?;
        ensure!(text.contains("alter.db") && text.contains("Move the file"), "no advice in {text:?}");
        ensure!(app.wd.find_all("[data-testid=nav-library]")? == 0, "nav shown");
        app.screenshot("04-corrupt-database").await?;
        Ok(())
    })
    .await;
}

/// Paths of the external programs the test drives.
struct Tools {
    xvfb: PathBuf,
    tauri_driver: PathBuf,
    webkit_driver: PathBuf,
}

impl Tools {
    /// Finds the tools, or fails with the fix (or skips when `ALTER_SKIP_E2E=1`).
    fn find() -> Option<Self> {
        let cargo_bin = std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo/bin"));
        let find = |name: &str, fix: &str| -> Result<PathBuf, String> {
            which(name, cargo_bin.as_deref()).ok_or_else(|| format!("{name} not found: {fix}"))
        };
        let found = (|| {
            // Spoken to by name: the WebDriver client and the screenshots.
            find("curl", "apt-get install curl")?;
            find("import", "apt-get install imagemagick")?;
            Ok::<_, String>(Tools {
                xvfb: find("Xvfb", "apt-get install xvfb xauth")?,
                webkit_driver: find("WebKitWebDriver", "apt-get install webkit2gtk-driver")?,
                tauri_driver: find("tauri-driver", "run `cargo install tauri-driver --locked` (or `make test-e2e`)")?,
            })
        })();
        match found {
            Ok(tools) => Some(tools),
            Err(why) if std::env::var_os("ALTER_SKIP_E2E").is_some_and(|v| v == "1") => {
                eprintln!("skipping the end-to-end test because ALTER_SKIP_E2E=1 and {why}");
                None
            }
            Err(why) => panic!("{why} (or set ALTER_SKIP_E2E=1 to skip the end-to-end tests)"),
        }
    }
}

fn which(name: &str, extra: Option<&Path>) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path).chain(extra.map(Path::to_path_buf)).map(|d| d.join(name)).find(|p| p.is_file())
}

/// A running window under test.
struct App {
    wd: WebDriver,
    home: PathBuf,
    artifacts: PathBuf,
    case: String,
    display: String,
}

impl App {
    async fn wait_for(&self, css: &str) -> Result<String> {
        verbose(&format!("waiting for {css}"));
        let start = Instant::now();
        loop {
            if let Some(el) = self.wd.find(css)? {
                return Ok(el);
            }
            ensure!(start.elapsed() < WAIT, "waited {WAIT:?} for {css}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn wait_gone(&self, css: &str) -> Result<()> {
        let start = Instant::now();
        while start.elapsed() < WAIT {
            if self.wd.find_all(css)? == 0 {
                return Ok(());
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        bail!("{css} was still there after {WAIT:?}")
    }

    async fn click(&self, css: &str) -> Result<()> {
        let el = self.wait_for(css).await?;
        self.wd
            .cmd("POST", &format!("element/{el}/click"), json!({}))
            .with_context(|| format!("could not click {css}"))?;
        Ok(())
    }

    async fn send_keys(&self, css: &str, text: &str) -> Result<()> {
        let el = self.wait_for(css).await?;
        self.wd
            .cmd("POST", &format!("element/{el}/value"), json!({ "text": text }))
            .with_context(|| format!("could not type into {css}"))?;
        Ok(())
    }

    /// Empties a text field.
    async fn clear(&self, css: &str) -> Result<()> {
        let el = self.wait_for(css).await?;
        self.wd
            .cmd("POST", &format!("element/{el}/clear"), json!({}))
            .with_context(|| format!("could not clear {css}"))?;
        Ok(())
    }

    /// Types `text` into an empty field and waits until the field holds exactly that.
    async fn type_into(&self, css: &str, text: &str) -> Result<()> {
        self.send_keys(css, text).await?;
        let start = Instant::now();
        loop {
            let value = match self.wd.find(css)? {
                Some(el) => self.wd.execute("return arguments[0].value", &[element_ref(&el)])?,
                None => Value::Null,
            };
            if value == text {
                return Ok(());
            }
            ensure!(start.elapsed() < WAIT, "typed {text:?} into {css}, but after {WAIT:?} it holds {value}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until `css` is visible with some text, and returns that text.
    async fn text(&self, css: &str) -> Result<String> {
        self.wait_for_seen(css, "some text", |text| !text.is_empty()).await
    }

    /// Waits until `css` is visible and shows exactly `expected`.
    /// Waits up to `limit` for `css` to exist (long jobs: a build, an answer).
    async fn wait_long(&self, css: &str, limit: Duration) -> Result<()> {
        let start = Instant::now();
        while self.wd.find(css)?.is_none() {
            ensure!(start.elapsed() < limit, "{css} did not appear within {limit:?}");
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        Ok(())
    }

    async fn wait_for_text(&self, css: &str, expected: &str) -> Result<()> {
        self.wait_for_seen(css, &format!("{expected:?}"), |text| text == expected).await.map(drop)
    }

    /// Polls `css` until it is visible and its rendered text passes `accept`.
    ///
    /// The element is looked up afresh each time, so a list that re-renders
    /// (a stale element) only costs a retry; the error says what was seen last.
    async fn wait_for_seen(&self, css: &str, want: &str, accept: impl Fn(&str) -> bool) -> Result<String> {
        verbose(&format!("waiting for {css} to show {want}"));
        let start = Instant::now();
        loop {
            let last = match self.wd.find(css)? {
                None => "was not there".to_owned(),
                Some(el) => match self.wd.seen(&el) {
                    Ok(Seen { shown: true, text }) if accept(&text) => return Ok(text),
                    Ok(Seen { shown: true, text }) => format!("showed {text:?}"),
                    Ok(Seen { shown: false, text }) => format!("held {text:?} but was not visible"),
                    Err(err) => format!("could not be read ({err:#})"),
                },
            };
            ensure!(start.elapsed() < WAIT, "{css} should show {want}, but after {WAIT:?} it {last}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn wait_for_count(&self, css: &str, expected: usize) -> Result<()> {
        let start = Instant::now();
        loop {
            let found = self.wd.find_all(css)?;
            if found == expected {
                return Ok(());
            }
            ensure!(start.elapsed() < WAIT, "expected {expected} of {css}, but after {WAIT:?} there are {found}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Saves the whole Xvfb screen (the window as a person sees it) as `<case>-<name>.png`.
    async fn screenshot(&self, name: &str) -> Result<PathBuf> {
        // Let the last change paint before capturing.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let path = self.artifacts.join(format!("{}-{name}.png", self.case));
        let status = Command::new("import")
            .args(["-display", &self.display, "-window", "root"])
            .arg(&path)
            .status()
            .context("run ImageMagick's import")?;
        ensure!(status.success(), "import failed for {}", path.display());
        eprintln!("screenshot: {}", path.display());
        Ok(path)
    }
}

/// A minimal WebDriver client: one `curl` process (one connection) per command.
struct WebDriver {
    base: String,
    session: String,
}

impl WebDriver {
    fn request(method: &str, url: &str, body: Option<&Value>) -> Result<Value> {
        let mut cmd = Command::new("curl");
        cmd.args(["-sS", "--max-time", "60", "-X", method, "-H", "content-type: application/json", url]);
        if let Some(body) = body {
            cmd.args(["--data-binary", &body.to_string()]);
        }
        let out = cmd.output().context("run curl")?;
        ensure!(out.status.success(), "{method} {url}: {}", String::from_utf8_lossy(&out.stderr));
        let reply: Value = serde_json::from_slice(&out.stdout)
            .with_context(|| format!("{method} {url}: not JSON: {}", String::from_utf8_lossy(&out.stdout)))?;
        if let Some(error) = reply["value"]["error"].as_str() {
            bail!("{method} {url}: {error}: {}", reply["value"]["message"]);
        }
        Ok(reply["value"].clone())
    }

    fn new_session(base: &str) -> Result<Self> {
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "wry",
            "tauri:options": { "application": APP },
        }}});
        let value = Self::request("POST", &format!("{base}/session"), Some(&caps))?;
        let session = value["sessionId"].as_str().context("no session id")?.to_owned();
        Ok(Self { base: base.to_owned(), session })
    }

    fn cmd(&self, method: &str, path: &str, body: Value) -> Result<Value> {
        let url = format!("{}/session/{}/{path}", self.base, self.session);
        Self::request(method, &url, if method == "GET" { None } else { Some(&body) })
    }

    fn find(&self, css: &str) -> Result<Option<String>> {
        let found = self.cmd("POST", "elements", json!({ "using": "css selector", "value": css }))?;
        Ok(found.as_array().and_then(|a| a.first()).and_then(element_id))
    }

    fn find_all(&self, css: &str) -> Result<usize> {
        let found = self.cmd("POST", "elements", json!({ "using": "css selector", "value": css }))?;
        Ok(found.as_array().map_or(0, Vec::len))
    }

    /// Whether an element is visible to a person, and its rendered text.
    ///
    /// Not WebDriver's "Get Element Text": WebKitWebDriver (2.50) counts every
    /// element with `overflow: hidden` as not displayed and so returns "" for
    /// it, which is how the library cards clip long names with an ellipsis.
    /// `checkVisibility` and a non-empty box stand in for its displayedness
    /// check; `innerText` is the text as rendered (CSS-hidden parts left out).
    fn seen(&self, el: &str) -> Result<Seen> {
        let script = "const el = arguments[0]; const box = el.getBoundingClientRect();
            const shown = el.checkVisibility({ opacityProperty: true, visibilityProperty: true })
                && box.width > 0 && box.height > 0;
            return { shown, text: el.innerText };";
        let value = self.execute(script, &[element_ref(el)])?;
        Ok(Seen {
            shown: value["shown"].as_bool().unwrap_or(false),
            text: value["text"].as_str().unwrap_or_default().trim().to_owned(),
        })
    }

    fn execute(&self, script: &str, args: &[Value]) -> Result<Value> {
        self.cmd("POST", "execute/sync", json!({ "script": script, "args": args }))
    }

    /// Runs `script` until it calls its last argument with the result.
    fn execute_async(&self, script: &str) -> Result<Value> {
        self.cmd("POST", "execute/async", json!({ "script": script, "args": [] }))
    }

    fn close(&self) {
        let _ = Self::request("DELETE", &format!("{}/session/{}", self.base, self.session), None);
    }
}

/// What [`WebDriver::seen`] reports about an element.
struct Seen {
    shown: bool,
    text: String,
}

/// The W3C key under which element references travel.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// An element reference as a script argument.
fn element_ref(el: &str) -> Value {
    json!({ ELEMENT_KEY: el })
}

fn element_id(v: &Value) -> Option<String> {
    v.as_object()?.values().next()?.as_str().map(str::to_owned)
}

/// Starts Xvfb, tauri-driver and a session on the app; runs `body`; always cleans up.
async fn run_case(case: &str, tools: &Tools, home: &Path, body: impl AsyncFnOnce(&App) -> Result<()>) {
    run_case_within(case, CASE_LIMIT, tools, home, body).await;
}

/// [`run_case`] with its own time limit (a case that builds a twin needs minutes).
async fn run_case_within(
    case: &str,
    limit: Duration,
    tools: &Tools,
    home: &Path,
    body: impl AsyncFnOnce(&App) -> Result<()>,
) {
    let started = Instant::now();
    let artifacts = Path::new(env!("CARGO_TARGET_TMPDIR")).parent().unwrap().join("e2e-artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    eprintln!("[{case}] artifacts in {}", artifacts.display());

    let xvfb = Xvfb::start(&tools.xvfb).expect("Xvfb did not start");
    let driver = TauriDriver::start(tools, &xvfb.display, home, &artifacts.join(format!("{case}-tauri-driver.log")))
        .expect("tauri-driver did not start");
    let outcome = tokio::time::timeout(limit, async {
        driver.wait_until_listening()?;
        verbose("tauri-driver listens; opening a session");
        let wd = connect(driver.port).await?;
        verbose("session open");
        let app = App {
            wd,
            home: home.to_path_buf(),
            artifacts: artifacts.clone(),
            case: case.to_owned(),
            display: xvfb.display.clone(),
        };
        let result = body(&app).await;
        if result.is_err() {
            let _ = app.screenshot("failure").await;
        }
        app.wd.close();
        result
    })
    .await;
    drop(driver);
    drop(xvfb);
    eprintln!("[{case}] took {:.1} s", started.elapsed().as_secs_f64());
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(err)) => panic!("[{case}] {err:#}"),
        Err(_) => panic!("[{case}] did not finish within {limit:?}"),
    }
}

/// Opens a WebDriver session on the app, retrying while tauri-driver comes up.
async fn connect(port: u16) -> Result<WebDriver> {
    let base = format!("http://127.0.0.1:{port}");
    let start = Instant::now();
    loop {
        match WebDriver::new_session(&base) {
            Ok(wd) => return Ok(wd),
            Err(err) if start.elapsed() < WAIT => {
                verbose(&format!("session not ready yet: {err:#}"));
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
            Err(err) => return Err(err).context("could not open a WebDriver session on the app"),
        }
    }
}

fn verbose(msg: &str) {
    if std::env::var_os("ALTER_E2E_VERBOSE").is_some() {
        eprintln!("{msg}");
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// Sends SIGTERM and waits up to `grace`; SIGKILL only as a last resort.
fn terminate(child: &mut Child, grace: Duration) {
    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let start = Instant::now();
    while start.elapsed() < grace {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!("pid {} ignored SIGTERM for {grace:?}; killing it", child.id());
    let _ = child.kill();
    let _ = child.wait();
}

struct Xvfb {
    child: Child,
    display: String,
}

impl Xvfb {
    fn start(xvfb: &Path) -> Result<Self> {
        // Find a display number nobody uses (lock file and socket both absent).
        let base = 90 + (std::process::id() % 50);
        let n = (base..base + 100)
            .find(|n| !Path::new(&format!("/tmp/.X{n}-lock")).exists())
            .context("no free X display number")?;
        let display = format!(":{n}");
        let child = Command::new(xvfb)
            .args([&display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("spawn Xvfb")?;
        let mut this = Self { child, display };
        // `this` owns the child from here on, so an early return still stops Xvfb.
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
        let start = Instant::now();
        while !socket.exists() {
            if start.elapsed() > Duration::from_secs(15) || matches!(this.child.try_wait(), Ok(Some(_))) {
                bail!("Xvfb {} did not come up", this.display);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(this)
    }
}

impl Drop for Xvfb {
    fn drop(&mut self) {
        terminate(&mut self.child, Duration::from_secs(5));
    }
}

struct TauriDriver {
    child: Child,
    port: u16,
}

impl TauriDriver {
    fn start(tools: &Tools, display: &str, home: &Path, log: &Path) -> Result<Self> {
        let port = free_port();
        let native_port = free_port();
        let log_file = std::fs::File::create(log)?;
        let mut command = Command::new(&tools.tauri_driver);
        // A case that speaks to the app leaves its recording here: it becomes the microphone.
        let microphone = home.join("microphone.wav");
        if microphone.is_file() {
            command.env("ALTER_TEST_MICROPHONE", &microphone);
        }
        let child = command
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .arg("--native-driver")
            .arg(&tools.webkit_driver)
            .env("DISPLAY", display)
            .env("ALTER_HOME", home)
            // Software rendering: Xvfb has no GPU, and the DMA-BUF renderer draws nothing there.
            .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
            .stdin(Stdio::null())
            .stdout(log_file.try_clone()?)
            .stderr(log_file)
            .spawn()
            .context("spawn tauri-driver")?;
        Ok(Self { child, port })
    }

    /// Waits until tauri-driver accepts connections.
    fn wait_until_listening(&self) -> Result<()> {
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            ensure!(start.elapsed() < WAIT, "nothing listens on port {} after {WAIT:?}", self.port);
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(())
    }
}

impl Drop for TauriDriver {
    fn drop(&mut self) {
        // SIGTERM lets tauri-driver stop WebKitWebDriver (and with it the app).
        terminate(&mut self.child, Duration::from_secs(10));
    }
}
