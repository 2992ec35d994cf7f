//! Ingest and search end to end with the real embedding model and a real
//! SQLite database: citations, incremental updates, per-file errors, and a
//! process killed mid-ingest.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use alter_core::{CancelToken, ProgressSink};
use alter_knowledge::{IngestOptions, KnowledgeIndex, SearchOptions, ingest_folder, search, synth};
use alter_store::TwinDb;
use alter_store::sqlx::{self, Row};
use common::{embedder, eval_dir, fixture};

async fn ingest(db: &TwinDb, dir: &Path, e: &alter_knowledge::Embedder) -> alter_knowledge::IngestReport {
    ingest_folder(db, dir, e, &IngestOptions::default(), &ProgressSink::none(), &CancelToken::new()).await.unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

#[tokio::test]
async fn search_cites_file_and_place_in_both_languages() {
    let Some(e) = embedder() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let db = TwinDb::open(&tmp.path().join("twin.db")).await.unwrap();
    let report = ingest(&db, &eval_dir().join("docs"), &e).await;
    assert_eq!((report.added, report.failed.len()), (4, 0), "{report:?}");
    let index = KnowledgeIndex::load(&db).await.unwrap();
    let cases = [
        ("How many vans does the Antwerp depot have?", "depots.csv", "rows"),
        ("When did Dispatch Planner 3.0 ship?", "dispatch_planner_3_launch.pdf", "page 1"),
        ("发布窗口是什么时候?", "工作约定.docx", "paragraph"),
        ("When did you join Bluefin?", "profile.md", "paragraph"),
    ];
    for (q, file, location) in cases {
        let hits = search(&db, &index, &e, q, &SearchOptions::default()).await.unwrap();
        let top = &hits[0];
        assert_eq!(top.file, file, "{q}: {hits:#?}");
        assert!(top.location.starts_with(location), "{q}: {}", top.location);
        assert!(top.score > 0.0 && top.score <= 1.0 + 1e-6);
    }
    let hits =
        search(&db, &index, &e, "How many vans does the Antwerp depot have?", &SearchOptions::default()).await.unwrap();
    assert!(hits[0].text.contains("Antwerp") && hits[0].bm25.is_some() && hits[0].cosine.is_some(), "{:#?}", hits[0]);
}

#[tokio::test]
async fn unchanged_changed_and_deleted_files() {
    let Some(e) = embedder() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    copy_dir(&eval_dir().join("docs"), &docs);
    let db = TwinDb::open(&tmp.path().join("twin.db")).await.unwrap();
    let first = ingest(&db, &docs, &e).await;
    assert_eq!(first.added, 4);

    let again = ingest(&db, &docs, &e).await;
    assert_eq!((again.added, again.updated, again.unchanged, again.chunks), (0, 0, 4, 0), "{again:?}");

    std::fs::write(docs.join("depots.csv"), "depot,city,vans\nD09,Lyon,77\n").unwrap();
    std::fs::remove_file(docs.join("profile.md")).unwrap();
    let changed = ingest(&db, &docs, &e).await;
    assert_eq!((changed.updated, changed.removed, changed.unchanged), (1, 1, 2), "{changed:?}");
    let texts: Vec<String> = sqlx::query_scalar(
        "SELECT c.text FROM kn_chunks c JOIN kn_documents d ON d.id = c.document_id WHERE d.file_name = 'depots.csv'",
    )
    .fetch_all(db.pool())
    .await
    .unwrap();
    assert_eq!(texts, vec!["depot: D09; city: Lyon; vans: 77".to_string()]);
    let orphans: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM kn_chunks WHERE document_id NOT IN (SELECT id FROM kn_documents)) + \
         (SELECT COUNT(*) FROM kn_fts WHERE rowid NOT IN (SELECT id FROM kn_chunks))",
    )
    .fetch_one(db.pool())
    .await
    .unwrap();
    assert_eq!(orphans, 0);
    let index = KnowledgeIndex::load(&db).await.unwrap();
    let hits = search(&db, &index, &e, "Where does Maya work?", &SearchOptions::default()).await.unwrap();
    assert!(hits.iter().all(|h| h.file != "profile.md"));
}

#[tokio::test]
async fn bad_files_get_errors_and_the_rest_is_ingested() {
    let Some(e) = embedder() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    std::fs::copy(fixture("handbook.docx"), docs.join("handbook.docx")).unwrap();
    std::fs::copy(fixture("encrypted.pdf"), docs.join("secret.pdf")).unwrap();
    std::fs::copy(fixture("scanned.pdf"), docs.join("scan.pdf")).unwrap();
    std::fs::write(docs.join("empty.txt"), b"").unwrap();
    std::fs::write(docs.join("truncated.pdf"), &std::fs::read(fixture("handbook.pdf")).unwrap()[..3000]).unwrap();
    std::fs::File::create(docs.join("huge.pdf")).unwrap().set_len(2 << 30).unwrap();
    std::fs::write(docs.join("voice.wav"), b"RIFF....WAVE").unwrap(); // Not a document: skipped.
    let db = TwinDb::open(&tmp.path().join("twin.db")).await.unwrap();
    let report = ingest(&db, &docs, &e).await;
    assert_eq!(report.files, 6);
    assert_eq!(report.added, 1, "{report:?}");
    let mut codes: Vec<(String, String)> = report.failed.iter().map(|f| (f.file.clone(), f.code.clone())).collect();
    codes.sort();
    assert_eq!(
        codes,
        [
            ("empty.txt", "empty"),
            ("huge.pdf", "too_large"),
            ("scan.pdf", "no_text"),
            ("secret.pdf", "encrypted"),
            ("truncated.pdf", "corrupt")
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    let stored = alter_knowledge::store::documents(db.pool()).await.unwrap();
    let scan = stored.iter().find(|d| d.file_name == "scan.pdf").unwrap();
    assert_eq!(scan.status, "failed");
    assert!(scan.error.as_deref().unwrap().contains("OCR is not available"));
    // Failed files are not retried while unchanged.
    let again = ingest(&db, &docs, &e).await;
    assert_eq!((again.unchanged, again.failed.len()), (6, 0), "{again:?}");
}

/// Runs only as the child of `killed_mid_ingest_resumes_identically`.
#[tokio::test]
async fn child_process_ingest() {
    let Ok(spec) = std::env::var("ALTER_KNOWLEDGE_KILL_CHILD") else { return };
    let (db_path, docs) = spec.split_once('|').unwrap();
    let e = embedder().unwrap();
    let db = TwinDb::open(Path::new(db_path)).await.unwrap();
    ingest(&db, Path::new(docs), &e).await;
    // The parent kills us before we get here; finishing means the test setup is too small.
    std::process::exit(3);
}

async fn dump(db: &TwinDb) -> Vec<String> {
    let mut out = Vec::new();
    for r in sqlx::query(
        "SELECT file_name, content_hash, kind, status, chunk_count, notes FROM kn_documents ORDER BY file_name",
    )
    .fetch_all(db.pool())
    .await
    .unwrap()
    {
        out.push(format!(
            "doc {} {} {:?} {} {} {}",
            r.get::<String, _>(0),
            r.get::<String, _>(1),
            r.get::<Option<String>, _>(2),
            r.get::<String, _>(3),
            r.get::<i64, _>(4),
            r.get::<String, _>(5)
        ));
    }
    for r in sqlx::query(
        "SELECT d.file_name, c.ord, c.location, c.heading, c.text, c.vector FROM kn_chunks c \
         JOIN kn_documents d ON d.id = c.document_id ORDER BY d.file_name, c.ord",
    )
    .fetch_all(db.pool())
    .await
    .unwrap()
    {
        let v: Vec<u8> = r.get(5);
        // Vectors compared to 4 decimals: thread scheduling may change the last bits.
        let rounded: Vec<i32> =
            v.chunks_exact(4).map(|b| (f32::from_le_bytes([b[0], b[1], b[2], b[3]]) * 1e4).round() as i32).collect();
        out.push(format!(
            "chunk {} {} {} {} {} {:?}",
            r.get::<String, _>(0),
            r.get::<i64, _>(1),
            r.get::<String, _>(2),
            r.get::<String, _>(3),
            r.get::<String, _>(4),
            &rounded[..8]
        ));
    }
    let fts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM kn_fts").fetch_one(db.pool()).await.unwrap();
    out.push(format!("fts rows {fts}"));
    out
}

#[tokio::test]
async fn killed_mid_ingest_resumes_identically() {
    let Some(e) = embedder() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let docs = tmp.path().join("docs");
    let files = synth::write_corpus(&docs, 60, 7).unwrap();
    let db_path = tmp.path().join("killed/twin.db");
    // Create the schema first so the parent can watch progress.
    TwinDb::open(&db_path).await.unwrap().close().await;

    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_process_ingest", "--nocapture"])
        .env("ALTER_KNOWLEDGE_KILL_CHILD", format!("{}|{}", db_path.display(), docs.display()))
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let watcher = TwinDb::open(&db_path).await.unwrap();
    let started = Instant::now();
    let mut done_before_kill = 0;
    while started.elapsed() < Duration::from_secs(120) {
        done_before_kill =
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM kn_documents").fetch_one(watcher.pool()).await.unwrap();
        if done_before_kill >= 2 {
            break;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("child ended before it was killed: {status}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill().unwrap(); // SIGKILL: no cleanup, mid-transaction if it was writing.
    child.wait().unwrap();
    watcher.close().await;
    assert!(done_before_kill >= 2 && (done_before_kill as usize) < files, "{done_before_kill} of {files}");

    let resumed = TwinDb::open(&db_path).await.unwrap();
    let report = ingest(&resumed, &docs, &e).await;
    assert!(report.unchanged >= 2 && report.added + report.unchanged == files, "{report:?}");

    let clean = TwinDb::open(&tmp.path().join("clean/twin.db")).await.unwrap();
    ingest(&clean, &docs, &e).await;
    let (a, b) = (dump(&resumed).await, dump(&clean).await);
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y);
    }
}
