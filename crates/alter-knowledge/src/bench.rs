//! Benchmarks, each printed side by side with a baseline measured in the
//! same run: retrieval latency (ours vs a naive scan, and BM25 alone),
//! ingest throughput on a generated mixed corpus, retrieval quality
//! (hit@1/hit@5) per method on an evaluation folder, and PDF extractors.
//!
//! `alter bench retrieval` calls [`run`]; `cargo bench -p alter-knowledge`
//! runs the same through `benches/retrieval.rs`. Timings on a shared
//! machine are noisy: read them against the baseline next to them.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use alter_core::eval::{EvalQuestion, read_questions};
use alter_core::{CancelToken, ProgressSink};
use alter_store::TwinDb;

use crate::chunk::Chunk;
use crate::embed::{Embedder, Precision};
use crate::error::KnowledgeError;
use crate::ingest::{IngestOptions, ingest_folder};
use crate::retrieve::{KnowledgeIndex, SearchMode, SearchOptions, search_with_vector};
use crate::store::{self, FtsIndex, NewDocument};
use crate::synth::{self, Rng, ZipfWords};

/// A printable result table.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Table {
    pub title: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub notes: Vec<String>,
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "## {}", self.title)?;
        let cols = self.header.len();
        let width = |c: usize| {
            self.rows
                .iter()
                .map(|r| r.get(c).map_or(0, |s| s.chars().count()))
                .chain([self.header[c].chars().count()])
                .max()
                .unwrap_or(0)
        };
        let widths: Vec<usize> = (0..cols).map(width).collect();
        let line = |cells: &[String]| {
            cells.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect::<Vec<_>>().join(" | ")
        };
        writeln!(f, "| {} |", line(&self.header))?;
        writeln!(f, "|{}|", widths.iter().map(|w| "-".repeat(w + 2)).collect::<Vec<_>>().join("|"))?;
        for row in &self.rows {
            writeln!(f, "| {} |", line(row))?;
        }
        for note in &self.notes {
            writeln!(f, "{note}")?;
        }
        Ok(())
    }
}

/// What [`run`] measures.
#[derive(Debug, Clone)]
pub struct BenchOptions {
    /// Chunk counts for the latency table.
    pub sizes: Vec<usize>,
    /// Pages of generated documents for the ingest run (0 skips it).
    pub ingest_pages: usize,
    /// An evaluation folder (`docs/` + `questions.jsonl`) for hit@k.
    pub eval_dir: Option<PathBuf>,
    /// Real PDFs to compare the two extractors on.
    pub pdfs: Vec<PathBuf>,
    /// Scratch space for databases and generated files.
    pub work_dir: PathBuf,
}

/// Runs every benchmark that its options ask for, printing each table as it completes.
pub async fn run(embedder: &Embedder, opts: &BenchOptions) -> Result<Vec<Table>, KnowledgeError> {
    let mut tables = Vec::new();
    let mut emit = |t: Table| {
        println!("{t}");
        tables.push(t);
    };
    if let Some(eval) = &opts.eval_dir {
        emit(eval_hits(embedder, eval, &opts.work_dir.join("eval")).await?);
    }
    if !opts.pdfs.is_empty() {
        emit(compare_pdf(&opts.pdfs));
    }
    if opts.ingest_pages > 0 {
        emit(ingest_throughput(embedder, opts.ingest_pages, &opts.work_dir.join("ingest")).await?);
    }
    if !opts.sizes.is_empty() {
        emit(latency(embedder, &opts.sizes, &opts.work_dir.join("latency")).await?);
    }
    Ok(tables)
}

/// p50 and p95 in milliseconds.
pub fn percentiles(samples: &mut [Duration]) -> (f64, f64) {
    if samples.is_empty() {
        return (0.0, 0.0);
    }
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 * q).ceil() as usize).clamp(1, samples.len()) - 1];
    (at(0.5).as_secs_f64() * 1e3, at(0.95).as_secs_f64() * 1e3)
}

fn ms(p: (f64, f64)) -> String {
    format!("{:.2} / {:.2}", p.0, p.1)
}

async fn fresh_db(dir: &Path) -> Result<TwinDb, KnowledgeError> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).map_err(|source| KnowledgeError::Folder { path: dir.to_path_buf(), source })?;
    Ok(TwinDb::open(&dir.join("twin.db")).await?)
}

/// Retrieval latency at each size: hybrid (ours), vector scan (ours vs
/// naive), BM25 alone, on synthetic chunks with random unit vectors.
pub async fn latency(embedder: &Embedder, sizes: &[usize], work: &Path) -> Result<Table, KnowledgeError> {
    let dim = embedder.dim();
    let mut rows = Vec::new();
    let mut loads = Vec::new();
    let query_embed = {
        let mut samples = Vec::new();
        for q in ["How many vans does the Antwerp depot have?", "发布窗口是什么时候?", "weekly depot budget"] {
            for _ in 0..5 {
                let t = Instant::now();
                embedder.embed_query_async(q).await?;
                samples.push(t.elapsed());
            }
        }
        percentiles(&mut samples)
    };
    for &n in sizes {
        let db = fresh_db(&work.join(n.to_string())).await?;
        let mut rng = Rng::new(n as u64);
        let vocabulary = ZipfWords::new(VOCABULARY);
        fill_synthetic(&db, n, dim, &vocabulary, &mut rng).await?;
        let loading = Instant::now();
        let index = KnowledgeIndex::load(&db).await?;
        loads.push(format!("{n}: {:.2} s", loading.elapsed().as_secs_f64()));
        type Query = (String, Vec<f32>);
        let queries: Vec<Query> = (0..60)
            // Four words of a passage, common ones included, as a person would type them.
            .map(|_| (vocabulary.text(&mut rng, 4), unit_vector(&mut rng, dim)))
            .collect();
        let time = |f: &mut dyn FnMut(&Query)| {
            let mut samples = Vec::new();
            for q in &queries {
                let t = Instant::now();
                f(q);
                samples.push(t.elapsed());
            }
            percentiles(&mut samples)
        };
        let ours = time(&mut |(_, v)| {
            std::hint::black_box(index.nearest(v, 50));
        });
        let naive = time(&mut |(_, v)| {
            std::hint::black_box(index.nearest_naive(v, 50));
        });
        let (mut hybrid, mut bm25, mut fts5) = (Vec::new(), Vec::new(), Vec::new());
        for (q, v) in &queries {
            for (mode, out) in [(SearchMode::Hybrid, &mut hybrid), (SearchMode::Bm25, &mut bm25)] {
                let opts = SearchOptions { mode, ..SearchOptions::default() };
                let t = Instant::now();
                search_with_vector(&db, &index, q, Some(v.as_slice()), &opts).await?;
                out.push(t.elapsed());
            }
            let t = Instant::now();
            if let Some(expr) = crate::segment::any_of(&crate::segment::query_words(q)) {
                store::bm25(db.pool(), FtsIndex::Words, &expr, 50).await?;
            }
            fts5.push(t.elapsed());
        }
        rows.push(vec![
            n.to_string(),
            ms(percentiles(&mut hybrid)),
            ms(ours),
            ms(naive),
            ms(percentiles(&mut bm25)),
            ms(percentiles(&mut fts5)),
        ]);
        db.close().await;
        let _ = std::fs::remove_dir_all(work.join(n.to_string()));
    }
    Ok(Table {
        title: format!(
            "Retrieval latency, ms p50 / p95 ({dim} dims, k=5, 50 candidates per list, target p95 ≤ 20 ms at 100k)"
        ),
        header: [
            "chunks",
            "hybrid (ours, excl. query embedding)",
            "vector scan (ours)",
            "vector scan (naive)",
            "BM25 only (ours, in memory)",
            "BM25 only (FTS5)",
        ]
        .map(String::from)
        .to_vec(),
        rows,
        notes: vec![
            format!("query embedding ({}) p50 / p95: {} ms", embedder.id(), ms(query_embed)),
            format!("index load (vectors + BM25 postings), once per twin change: {}", loads.join(", ")),
            format!(
                "corpus: {VOCABULARY} Zipf-distributed words, 180 per chunk; questions: 4 words drawn the same way"
            ),
        ],
    })
}

fn unit_vector(rng: &mut Rng, dim: usize) -> Vec<f32> {
    let mut v: Vec<f32> = (0..dim).map(|_| rng.unit()).collect();
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-12);
    v.iter_mut().for_each(|x| *x /= norm);
    v
}

/// Distinct words of the synthetic latency corpus (a 200-page report uses a
/// few thousand; a whole company's documents some tens of thousands).
const VOCABULARY: usize = 50_000;

async fn fill_synthetic(
    db: &TwinDb,
    n: usize,
    dim: usize,
    vocabulary: &ZipfWords,
    rng: &mut Rng,
) -> Result<(), KnowledgeError> {
    const PER_DOC: usize = 1000;
    let mut written = 0;
    let mut doc_no = 0;
    while written < n {
        let count = PER_DOC.min(n - written);
        let chunks: Vec<Chunk> = (0..count)
            .map(|i| Chunk {
                ord: i as u32,
                text: vocabulary.text(rng, 180),
                heading: String::new(),
                location: format!("page {}", i / 3 + 1),
                tokens: 200,
            })
            .collect();
        let vectors: Vec<Vec<f32>> = (0..count).map(|_| unit_vector(rng, dim)).collect();
        let name = format!("synthetic_{doc_no}.pdf");
        let doc = NewDocument {
            file_name: &name,
            path: &name,
            content_hash: "synthetic",
            kind: Some("pdf"),
            size: 0,
            error: None,
            notes: String::new(),
            embedder: "synthetic",
        };
        store::write_document(db.pool(), &doc, &chunks, &vectors).await?;
        written += count;
        doc_no += 1;
    }
    Ok(())
}

/// Ingest + embed throughput on a generated mixed corpus, next to the
/// time of parsing and chunking alone and of re-running on unchanged files.
pub async fn ingest_throughput(embedder: &Embedder, pages: usize, work: &Path) -> Result<Table, KnowledgeError> {
    let docs = work.join("docs");
    let _ = std::fs::remove_dir_all(&docs);
    let files = synth::write_corpus(&docs, pages, 42)
        .map_err(|source| KnowledgeError::Folder { path: docs.clone(), source })?;
    let opts = IngestOptions::default();
    let t = Instant::now();
    let mut texts = Vec::new();
    for (_, path) in crate::ingest::list_documents(&docs)? {
        if let Ok(doc) = crate::parse::parse_file(&path, &opts.limits) {
            texts.extend(crate::chunk::chunk_document(&doc, &opts.chunk).into_iter().map(|c| c.text));
        }
    }
    let parse_only = t.elapsed().as_secs_f64();
    let chunks = texts.len();
    let db = fresh_db(&work.join("db")).await?;
    let (sink, cancel) = (ProgressSink::none(), CancelToken::new());
    let report = ingest_folder(&db, &docs, embedder, &opts, &sink, &cancel).await?;
    let again = ingest_folder(&db, &docs, embedder, &opts, &sink, &cancel).await?;
    db.close().await;
    let mut rows = vec![
        vec![
            "full ingest (parse, chunk, embed, store)".into(),
            format!("{:.1}", report.seconds),
            format!("{:.1}", report.chunks as f64 / report.seconds),
        ],
        vec![
            "baseline: parse + chunk only".into(),
            format!("{parse_only:.1}"),
            format!("{:.1}", chunks as f64 / parse_only.max(1e-9)),
        ],
        vec!["re-run, nothing changed".into(), format!("{:.2}", again.seconds), "-".into()],
    ];
    let mut notes = vec![format!("model {}; failures: {}", embedder.id(), report.failed.len())];
    // The encoders side by side on a sample (candle's f32 BERT takes minutes for the whole corpus).
    let sample: Vec<String> = texts.iter().step_by((chunks / SAMPLE).max(1)).take(SAMPLE).cloned().collect();
    let baseline = embedder.with_precision(Precision::F32)?;
    if !sample.is_empty() && baseline.precision() != embedder.precision() {
        let timed = |e: &Embedder| -> Result<(f64, Vec<Vec<f32>>), KnowledgeError> {
            let t = Instant::now();
            let v = e.embed_passages(&sample)?;
            Ok((t.elapsed().as_secs_f64(), v))
        };
        let ((ours, a), (theirs, b)) = (timed(embedder)?, timed(&baseline)?);
        let n = sample.len() as f64;
        rows.push(vec![
            format!("embed only, {n} chunks: ours ({:?})", embedder.precision()),
            format!("{ours:.1}"),
            format!("{:.1}", n / ours),
        ]);
        rows.push(vec![
            format!("baseline: candle f32 BertModel, same {n}"),
            format!("{theirs:.1}"),
            format!("{:.1}", n / theirs),
        ]);
        let cosine =
            a.iter().zip(&b).map(|(x, y)| x.iter().zip(y).map(|(p, q)| p * q).sum::<f32>()).fold(f32::MAX, f32::min);
        notes.push(format!("lowest cosine between the two encoders' vectors: {cosine:.4}"));
    }
    Ok(Table {
        title: format!("Ingest + embed, {pages} generated pages in {files} files ({chunks} chunks), target ≤ 40 s"),
        header: ["run", "seconds", "chunks/s"].map(String::from).to_vec(),
        rows,
        notes,
    })
}

/// Chunks embedded by both encoders in the ingest table.
const SAMPLE: usize = 48;

/// hit@1 and hit@5 (the question's `source` among the top results' files) per method.
pub async fn eval_hits(embedder: &Embedder, eval_dir: &Path, work: &Path) -> Result<Table, KnowledgeError> {
    let db = fresh_db(work).await?;
    let report = ingest_folder(
        &db,
        &eval_dir.join("docs"),
        embedder,
        &IngestOptions::default(),
        &ProgressSink::none(),
        &CancelToken::new(),
    )
    .await?;
    let questions: Vec<EvalQuestion> =
        read_questions(&eval_dir.join("questions.jsonl"))?.into_iter().filter(|q| q.source.is_some()).collect();
    let index = KnowledgeIndex::load(&db).await?;
    let methods = [
        ("BM25 (jieba words)", SearchMode::Bm25, FtsIndex::Words),
        ("BM25 (trigram)", SearchMode::Bm25, FtsIndex::Trigram),
        ("vectors only", SearchMode::Vector, FtsIndex::Words),
        ("hybrid (jieba words) — default", SearchMode::Hybrid, FtsIndex::Words),
        ("hybrid (trigram)", SearchMode::Hybrid, FtsIndex::Trigram),
    ];
    let mut vectors = Vec::new();
    for q in &questions {
        vectors.push(embedder.embed_query_async(&q.question).await?);
    }
    let mut rows = Vec::new();
    let mut misses = Vec::new();
    for (name, mode, fts) in methods {
        let (mut h1, mut h5) = (0, 0);
        for (q, v) in questions.iter().zip(&vectors) {
            let opts = SearchOptions { k: 5, mode, fts, ..SearchOptions::default() };
            let hits = search_with_vector(&db, &index, &q.question, Some(v.as_slice()), &opts).await?;
            let source = q.source.as_deref().unwrap_or_default();
            if hits.first().is_some_and(|h| h.file == source) {
                h1 += 1;
            } else if mode == SearchMode::Hybrid && fts == FtsIndex::Words {
                misses.push(format!("miss@1 {} ({}): got {:?}", q.id, q.lang, hits.first().map(|h| &h.file)));
            }
            if hits.iter().any(|h| h.file == source) {
                h5 += 1;
            }
        }
        let n = questions.len().max(1) as f64;
        rows.push(vec![name.to_string(), format!("{:.2}", h1 as f64 / n), format!("{:.2}", h5 as f64 / n)]);
    }
    db.close().await;
    let mut notes = vec![format!(
        "{} questions with a source; {} documents, {} chunks, {} failed; model {}",
        questions.len(),
        report.files,
        report.chunks,
        report.failed.len(),
        embedder.id()
    )];
    notes.extend(misses);
    Ok(Table {
        title: format!("Retrieval quality on {} (target hit@5 ≥ 0.95)", eval_dir.display()),
        header: ["method", "hit@1", "hit@5"].map(String::from).to_vec(),
        rows,
        notes,
    })
}

/// pdf-extract against lopdf's own text extraction on real PDFs: characters
/// found, the share of them in plausible words, and time.
pub fn compare_pdf(paths: &[PathBuf]) -> Table {
    let mut rows = Vec::new();
    for path in paths {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let Ok(bytes) = std::fs::read(path) else { continue };
        let t = Instant::now();
        let ours = crate::parse::pdf_pages_pdf_extract(&bytes);
        let t_ours = t.elapsed();
        let t = Instant::now();
        let base = crate::parse::pdf_pages_lopdf(&bytes);
        let t_base = t.elapsed();
        let describe = |pages: &Option<Vec<String>>, took: Duration| match pages {
            Some(p) => {
                let text = p.join("\n");
                format!(
                    "{} pages, {} chars, {:.0}% in words, {:.0} ms",
                    p.len(),
                    text.chars().count(),
                    word_quality(&text) * 100.0,
                    took.as_secs_f64() * 1e3
                )
            }
            None => "failed".into(),
        };
        rows.push(vec![name, describe(&ours, t_ours), describe(&base, t_base)]);
    }
    Table {
        title: "PDF text extraction on real files".into(),
        header: ["file", "pdf-extract (chosen)", "lopdf extract_text (baseline)"].map(String::from).to_vec(),
        rows,
        notes: vec!["'in words': share of non-space characters inside tokens of 2–20 letters, a proxy for correct spacing and decoding".into()],
    }
}

/// Share of non-space characters that sit in word-like tokens (letters only, 2–20 long).
fn word_quality(text: &str) -> f64 {
    let mut good = 0usize;
    let mut total = 0usize;
    for tok in text.split_whitespace() {
        let n = tok.chars().count();
        total += n;
        let core = tok.trim_matches(|c: char| !c.is_alphanumeric());
        let len = core.chars().count();
        if (2..=20).contains(&len) && core.chars().all(char::is_alphabetic) {
            good += n;
        }
    }
    if total == 0 { 0.0 } else { good as f64 / total as f64 }
}
