//! The in-memory BM25 ranks as SQLite's FTS5 `bm25()` does: same chunks,
//! same scores, on Zipf-distributed text and on English, accented and
//! segmented Chinese chunks.

use alter_knowledge::chunk::Chunk;
use alter_knowledge::retrieve::{KnowledgeIndex, SearchMode, SearchOptions, search_with_vector};
use alter_knowledge::segment::{any_of, query_words};
use alter_knowledge::store::{self, FtsIndex, NewDocument};
use alter_knowledge::synth::{Rng, ZipfWords};
use alter_store::TwinDb;

fn chunk(ord: usize, text: String) -> Chunk {
    Chunk { ord: ord as u32, text, heading: String::new(), location: format!("page {}", ord + 1), tokens: 0 }
}

#[tokio::test]
async fn in_memory_bm25_matches_fts5() {
    let dir = tempfile::tempdir().unwrap();
    let db = TwinDb::open(&dir.path().join("twin.db")).await.unwrap();
    let (words, mut rng) = (ZipfWords::new(3000), Rng::new(5));
    let mut texts: Vec<String> = (0..1500)
        .map(|_| {
            let len = 20 + rng.next_u32() as usize % 150;
            words.text(&mut rng, len)
        })
        .collect();
    texts.extend(
        [
            "The Rotterdam depot has 42 vans; the Antwerp depot has 30.",
            "Café opening in Zürich, with the Ångström team.",
            "需求评审每两周一次，在周二上午10点。",
            "I joined Bluefin Logistics in September 2021 as a planner.",
        ]
        .map(String::from),
    );
    for (d, part) in texts.chunks(400).enumerate() {
        let chunks: Vec<Chunk> = part.iter().enumerate().map(|(i, t)| chunk(i, t.clone())).collect();
        let vectors = vec![vec![0.0f32; 4]; chunks.len()];
        let name = format!("doc{d}.md");
        let doc = NewDocument {
            file_name: &name,
            path: &name,
            content_hash: "h",
            kind: Some("md"),
            size: 0,
            error: None,
            notes: String::new(),
            embedder: "test",
        };
        store::write_document(db.pool(), &doc, &chunks, &vectors).await.unwrap();
    }
    let index = KnowledgeIndex::load(&db).await.unwrap();
    let mut questions: Vec<String> = (0..40).map(|_| words.text(&mut rng, 4)).collect();
    questions.extend(
        ["How many vans does the Rotterdam depot have?", "cafe zurich angstrom", "需求评审多久一次?", "Bluefin"]
            .map(String::from),
    );
    let opts = SearchOptions { mode: SearchMode::Bm25, k: 50, candidates: 50, ..SearchOptions::default() };
    let mut compared = 0;
    for q in &questions {
        let ours = search_with_vector(&db, &index, q, None, &opts).await.unwrap();
        let Some(expr) = any_of(&query_words(q)) else { continue };
        let fts5 = store::bm25(db.pool(), FtsIndex::Words, &expr, 50).await.unwrap();
        assert_eq!(ours.len(), fts5.len(), "{q}: {} results, FTS5 {}", ours.len(), fts5.len());
        for (hit, (id, score)) in ours.iter().zip(&fts5) {
            let ours = hit.bm25.unwrap();
            assert!((ours - score).abs() <= 1e-4 * score.abs().max(1.0), "{q}: score {ours} vs FTS5 {score}");
            if hit.chunk_id != *id {
                // Equal scores may come in either order.
                assert!((ours - score).abs() <= 1e-4 * score.abs().max(1.0), "{q}: chunk {} vs {id}", hit.chunk_id);
            }
        }
        compared += 1;
    }
    assert!(compared >= 40, "{compared} questions compared");
    db.close().await;
}
