//! Hybrid retrieval: BM25 over the word index fused with exact cosine similarity.
//!
//! The vectors of a twin live in one contiguous row-major `f32` matrix, and
//! its word index's postings in [`Bm25Index`], both loaded once
//! ([`KnowledgeIndex::load`]) and reloaded only when the database's
//! knowledge generation changes. A query is scored against every
//! row (exact, no approximate index), split across the rayon pool, with a
//! small top-k heap per slice. The two rankings are fused with reciprocal-
//! rank fusion; the fused score is scaled so that a chunk ranked first by
//! both lists scores 1.0.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

use alter_store::TwinDb;
use rayon::prelude::*;

use crate::bm25::Bm25Index;
use crate::embed::Embedder;
use crate::error::KnowledgeError;
use crate::segment::{any_of, query_words, trigram_terms};
use crate::store::{self, FtsIndex};

/// Which rankings to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchMode {
    Hybrid,
    Bm25,
    Vector,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SearchOptions {
    /// Results to return.
    pub k: usize,
    pub mode: SearchMode,
    /// Candidates taken from each ranking before fusion.
    pub candidates: usize,
    /// The RRF constant: larger flattens the rank weights.
    pub rrf_k: f32,
    pub fts: FtsIndex,
}

impl Default for SearchOptions {
    fn default() -> Self {
        Self { k: 5, mode: SearchMode::Hybrid, candidates: 50, rrf_k: 60.0, fts: FtsIndex::Words }
    }
}

/// One retrieved chunk, ready to cite.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Hit {
    pub chunk_id: i64,
    /// The document's file name as the user gave it.
    pub file: String,
    pub location: String,
    pub heading: String,
    pub text: String,
    /// Fused score in `(0, 1]` (for single-method modes, that method's scaled rank score).
    pub score: f32,
    /// BM25 score (higher is better), when the full-text search found the chunk.
    pub bm25: Option<f32>,
    /// Cosine similarity, when the vector search ranked the chunk.
    pub cosine: Option<f32>,
}

/// All of a twin's vectors in memory, and its word index's postings (FTS5
/// scores every matching chunk of a query, too slow for common words on a
/// large twin; see [`crate::bm25`]).
#[derive(Debug, Clone, Default)]
pub struct KnowledgeIndex {
    generation: i64,
    ids: Vec<i64>,
    dim: usize,
    matrix: Vec<f32>,
    bm25: Bm25Index,
}

impl KnowledgeIndex {
    /// Loads every vector of the twin.
    pub async fn load(db: &TwinDb) -> Result<Self, KnowledgeError> {
        let generation = store::generation(db.pool()).await?;
        let (ids, dim, matrix) = store::load_vectors(db.pool()).await?;
        let bodies = store::word_index_bodies(db.pool()).await?;
        let bm25 =
            tokio::task::spawn_blocking(move || Bm25Index::build(bodies.iter().map(|(id, b)| (*id, b.as_str()))))
                .await
                .map_err(|e| KnowledgeError::Internal(e.to_string()))?;
        Ok(Self { generation, ids, dim, matrix, bm25 })
    }

    /// Reloads when the database changed since loading; returns whether it did.
    pub async fn refresh(&mut self, db: &TwinDb) -> Result<bool, KnowledgeError> {
        if store::generation(db.pool()).await? == self.generation {
            return Ok(false);
        }
        *self = Self::load(db).await?;
        Ok(true)
    }

    /// An index over given vectors (benchmarks, tests). `matrix` is row-major `ids.len() × dim`.
    pub fn from_matrix(ids: Vec<i64>, dim: usize, matrix: Vec<f32>) -> Self {
        assert_eq!(ids.len() * dim, matrix.len(), "matrix shape");
        Self { generation: 0, ids, dim, matrix, bm25: Bm25Index::default() }
    }

    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// The knowledge generation this index was loaded at.
    pub fn generation(&self) -> i64 {
        self.generation
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The `k` rows most similar to `query`, best first, as (chunk id, cosine).
    pub fn nearest(&self, query: &[f32], k: usize) -> Vec<(i64, f32)> {
        if self.dim == 0 || query.len() != self.dim || k == 0 {
            return Vec::new();
        }
        const ROWS_PER_TASK: usize = 2048;
        let heaps: Vec<BinaryHeap<Scored>> = self
            .matrix
            .par_chunks(ROWS_PER_TASK * self.dim)
            .enumerate()
            .map(|(task, block)| {
                let mut heap = BinaryHeap::with_capacity(k + 1);
                for (i, row) in block.chunks_exact(self.dim).enumerate() {
                    let score = dot(row, query);
                    if heap.len() < k {
                        heap.push(Scored(score, task * ROWS_PER_TASK + i));
                    } else if heap.peek().is_some_and(|min: &Scored| score > min.0) {
                        heap.pop();
                        heap.push(Scored(score, task * ROWS_PER_TASK + i));
                    }
                }
                heap
            })
            .collect();
        let mut all: Vec<Scored> = heaps.into_iter().flatten().collect();
        all.sort_by(|a, b| b.0.total_cmp(&a.0));
        all.truncate(k);
        all.into_iter().map(|Scored(s, i)| (self.ids[i], s)).collect()
    }

    /// The naive baseline: one thread, plain loop, full sort.
    pub fn nearest_naive(&self, query: &[f32], k: usize) -> Vec<(i64, f32)> {
        let mut scores: Vec<(i64, f32)> = self
            .matrix
            .chunks_exact(self.dim.max(1))
            .zip(&self.ids)
            .map(|(row, id)| (*id, row.iter().zip(query).map(|(a, b)| a * b).sum()))
            .collect();
        scores.sort_by(|a, b| b.1.total_cmp(&a.1));
        scores.truncate(k);
        scores
    }
}

/// Min-heap entry: the heap's top is the weakest kept score.
#[derive(Debug, PartialEq)]
struct Scored(f32, usize);

impl Eq for Scored {}

impl PartialOrd for Scored {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Scored {
    fn cmp(&self, other: &Self) -> Ordering {
        other.0.total_cmp(&self.0)
    }
}

/// Dot product of two equal-length vectors: AVX2+FMA when the CPU has it
/// (checked once), otherwise a portable loop the compiler vectorises.
#[inline]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    #[cfg(target_arch = "x86_64")]
    {
        static HAS_AVX2: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        if *HAS_AVX2.get_or_init(|| is_x86_feature_detected!("avx2") && is_x86_feature_detected!("fma")) {
            // SAFETY: the CPU supports AVX2 and FMA (checked above).
            return unsafe { dot_avx2(a, b) };
        }
    }
    dot_portable(a, b)
}

/// 16 independent accumulators so the compiler can vectorise without reassociating.
fn dot_portable(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 16];
    let (ca, cb) = (a.chunks_exact(16), b.chunks_exact(16));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for i in 0..16 {
            acc[i] += x[i] * y[i];
        }
    }
    let tail: f32 = ra.iter().zip(rb).map(|(x, y)| x * y).sum();
    acc.iter().sum::<f32>() + tail
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn dot_avx2(a: &[f32], b: &[f32]) -> f32 {
    use std::arch::x86_64::*;
    let n = a.len().min(b.len());
    let chunks = n / 32;
    let (pa, pb) = (a.as_ptr(), b.as_ptr());
    let mut acc = [_mm256_setzero_ps(); 4];
    for c in 0..chunks {
        let base = c * 32;
        for (j, lane) in acc.iter_mut().enumerate() {
            // SAFETY: base + 8 * j + 8 <= chunks * 32 <= n, within both slices.
            let (x, y) = unsafe { (_mm256_loadu_ps(pa.add(base + 8 * j)), _mm256_loadu_ps(pb.add(base + 8 * j))) };
            *lane = _mm256_fmadd_ps(x, y, *lane);
        }
    }
    let sum = _mm256_add_ps(_mm256_add_ps(acc[0], acc[1]), _mm256_add_ps(acc[2], acc[3]));
    let mut lanes = [0f32; 8];
    // SAFETY: `lanes` holds exactly 8 f32.
    unsafe { _mm256_storeu_ps(lanes.as_mut_ptr(), sum) };
    let tail: f32 = a[chunks * 32..n].iter().zip(&b[chunks * 32..n]).map(|(x, y)| x * y).sum();
    lanes.iter().sum::<f32>() + tail
}

/// Searches a twin: embeds the query (off the async runtime) unless the mode is BM25 only.
pub async fn search(
    db: &TwinDb,
    index: &KnowledgeIndex,
    embedder: &Embedder,
    query: &str,
    opts: &SearchOptions,
) -> Result<Vec<Hit>, KnowledgeError> {
    let vector = match opts.mode {
        SearchMode::Bm25 => None,
        _ => Some(embedder.embed_query_async(query).await?),
    };
    search_with_vector(db, index, query, vector.as_deref(), opts).await
}

/// Searches with an already computed query vector (or none: BM25 only).
pub async fn search_with_vector(
    db: &TwinDb,
    index: &KnowledgeIndex,
    query: &str,
    vector: Option<&[f32]>,
    opts: &SearchOptions,
) -> Result<Vec<Hit>, KnowledgeError> {
    let full_text = async {
        if opts.mode == SearchMode::Vector {
            return Ok(None);
        }
        let terms = match opts.fts {
            FtsIndex::Words if !index.bm25.is_empty() => {
                let ranked = index.bm25.search(&query_words(query), opts.candidates);
                return Ok((!ranked.is_empty()).then_some(ranked));
            }
            // An index made from bare vectors has no postings: FTS5 answers.
            FtsIndex::Words => query_words(query),
            // The trigram index exists for comparison.
            FtsIndex::Trigram => trigram_terms(query),
        };
        match any_of(&terms) {
            Some(expr) => store::bm25(db.pool(), opts.fts, &expr, opts.candidates).await.map(Some),
            None => Ok(None),
        }
    };
    // For the trigram index, the scan runs while SQLite answers the
    // full-text query on its own thread: `join` sends the query first.
    let vectors = async {
        match vector {
            Some(v) if opts.mode != SearchMode::Bm25 => Some(index.nearest(v, opts.candidates)),
            _ => None,
        }
    };
    let (full_text, vectors) = tokio::join!(full_text, vectors);
    let mut lists: Vec<Vec<(i64, f32)>> = Vec::new();
    let mut bm25 = HashMap::new();
    let mut cosine = HashMap::new();
    if let Some(ranked) = full_text? {
        bm25.extend(ranked.iter().copied());
        lists.push(ranked);
    }
    if let Some(ranked) = vectors {
        cosine.extend(ranked.iter().copied());
        lists.push(ranked);
    }
    let fused = fuse(&lists, opts.rrf_k, opts.k);
    let ids: Vec<i64> = fused.iter().map(|(id, _)| *id).collect();
    let mut rows = store::chunks_by_ids(db.pool(), &ids).await?;
    Ok(fused
        .into_iter()
        .filter_map(|(id, score)| {
            let row = rows.remove(&id)?;
            Some(Hit {
                chunk_id: id,
                file: row.file_name,
                location: row.location,
                heading: row.heading,
                text: row.text,
                score,
                bm25: bm25.get(&id).copied(),
                cosine: cosine.get(&id).copied(),
            })
        })
        .collect())
}

/// Reciprocal-rank fusion of ranked lists, scaled to `(0, 1]`, best first.
pub fn fuse(lists: &[Vec<(i64, f32)>], rrf_k: f32, k: usize) -> Vec<(i64, f32)> {
    let mut scores: HashMap<i64, f32> = HashMap::new();
    for list in lists {
        for (rank, (id, _)) in list.iter().enumerate() {
            *scores.entry(*id).or_default() += 1.0 / (rrf_k + rank as f32 + 1.0);
        }
    }
    let best = lists.iter().filter(|l| !l.is_empty()).count() as f32 / (rrf_k + 1.0);
    let mut fused: Vec<(i64, f32)> = scores.into_iter().map(|(id, s)| (id, s / best.max(f32::MIN_POSITIVE))).collect();
    fused.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    fused.truncate(k);
    fused
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_matches_naive() {
        let dim = 384;
        let n = 5000;
        let mut seed = 7u64;
        let mut rnd = || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((seed >> 33) as f32 / (1u64 << 31) as f32) - 0.5
        };
        let matrix: Vec<f32> = (0..n * dim).map(|_| rnd()).collect();
        let index = KnowledgeIndex::from_matrix((0..n as i64).collect(), dim, matrix);
        let q: Vec<f32> = (0..dim).map(|_| rnd()).collect();
        let fast = index.nearest(&q, 10);
        let slow = index.nearest_naive(&q, 10);
        assert_eq!(fast.iter().map(|x| x.0).collect::<Vec<_>>(), slow.iter().map(|x| x.0).collect::<Vec<_>>());
        for (a, b) in fast.iter().zip(&slow) {
            assert!((a.1 - b.1).abs() < 1e-4);
        }
        assert!(index.nearest(&q[..10], 5).is_empty());
    }

    #[test]
    fn dot_variants_agree() {
        for n in [0, 1, 7, 16, 31, 32, 33, 384, 385] {
            let a: Vec<f32> = (0..n).map(|i| (i as f32 * 0.37).sin()).collect();
            let b: Vec<f32> = (0..n).map(|i| (i as f32 * 0.11).cos()).collect();
            let naive: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
            assert!((dot(&a, &b) - naive).abs() < 1e-4, "{n}");
            assert!((dot_portable(&a, &b) - naive).abs() < 1e-4, "{n}");
        }
    }

    #[test]
    fn rrf_prefers_agreement() {
        let fused = fuse(&[vec![(1, 9.0), (2, 8.0)], vec![(2, 0.9), (3, 0.8)]], 60.0, 3);
        assert_eq!(fused[0].0, 2);
        let top = fuse(&[vec![(5, 1.0)], vec![(5, 1.0)]], 60.0, 1);
        assert!((top[0].1 - 1.0).abs() < 1e-6);
    }
}
