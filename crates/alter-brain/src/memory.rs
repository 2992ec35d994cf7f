//! Conversation memory in the twin database (tables of `0200_conversations.sql`).
//!
//! Every turn is stored per session. Facts a user states about themselves
//! are extracted with the persona crate's sentence rules and stored with the
//! session they came from; [`MemoryPolicy::remember_across_sessions`] (the
//! owner's choice) decides whether other sessions can recall them. Recall is
//! lexical (content-word and character-bigram overlap), which is enough for
//! the handful of facts a twin collects; an embedding callback can rank them
//! instead. Wiping a session deletes its turns and its facts.

use alter_persona::facts::{FactKind, facts_in_sentence};
use alter_persona::lang::{self, Lang};
use alter_persona::text::{content_words, sentences};
use alter_store::sqlx::{self, SqlitePool};
use serde::{Deserialize, Serialize};

use crate::cite::Citation;
use crate::error::BrainError;

/// Who spoke a turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Speaker {
    User,
    Twin,
}

impl Speaker {
    fn as_str(self) -> &'static str {
        match self {
            Speaker::User => "user",
            Speaker::Twin => "twin",
        }
    }
}

/// One stored turn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    pub speaker: Speaker,
    pub text: String,
    pub lang: Lang,
    pub emotion: Option<String>,
    pub citations: Vec<Citation>,
    pub declined: bool,
}

impl Turn {
    pub fn user(text: &str) -> Self {
        Self {
            speaker: Speaker::User,
            text: text.into(),
            lang: lang::detect(text),
            emotion: None,
            citations: Vec::new(),
            declined: false,
        }
    }

    pub fn twin(text: &str) -> Self {
        Self { speaker: Speaker::Twin, ..Self::user(text) }
    }
}

/// A fact a user told the twin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserFact {
    pub session_id: String,
    pub kind: FactKind,
    pub value: String,
    pub sentence: String,
}

impl UserFact {
    /// How the fact reads in a prompt: "the user's name: Wang Lei".
    pub fn describe(&self, zh: bool) -> String {
        if zh {
            format!("用户的{}：{}", self.kind.label(true), self.value)
        } else {
            format!("the user's {}: {}", self.kind.label(false), self.value)
        }
    }
}

/// What the owner allows the twin to remember.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemoryPolicy {
    /// Store facts users state about themselves at all.
    pub remember_facts: bool,
    /// Recall them in later sessions (off: only within the session).
    pub remember_across_sessions: bool,
}

impl Default for MemoryPolicy {
    /// Facts are used within a session; keeping them across sessions is the owner's opt-in.
    fn default() -> Self {
        Self { remember_facts: true, remember_across_sessions: false }
    }
}

/// The memory of one twin.
#[derive(Debug, Clone)]
pub struct Memory {
    pool: SqlitePool,
    policy: MemoryPolicy,
}

/// Longest stored turn, in characters (a 50k-character question is stored truncated).
pub const MAX_TURN_CHARS: usize = 8_000;

impl Memory {
    pub fn new(pool: SqlitePool, policy: MemoryPolicy) -> Self {
        Self { pool, policy }
    }

    pub fn policy(&self) -> MemoryPolicy {
        self.policy
    }

    /// Stores a turn; for user turns also extracts and stores stated facts
    /// (when allowed). Returns the facts learned from this turn.
    pub async fn record(&self, session_id: &str, turn: &Turn) -> Result<Vec<UserFact>, BrainError> {
        let text: String = turn.text.chars().take(MAX_TURN_CHARS).collect();
        let citations = serde_json::to_string(&turn.citations).map_err(|e| BrainError::Internal(e.to_string()))?;
        sqlx::query(
            "INSERT INTO conversation_turns (session_id, role, text, lang, emotion, citations, declined, created_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(session_id)
        .bind(turn.speaker.as_str())
        .bind(&text)
        .bind(turn.lang.code())
        .bind(turn.emotion.as_deref())
        .bind(citations)
        .bind(turn.declined)
        .bind(alter_store::now_rfc3339())
        .execute(&self.pool)
        .await?;
        if turn.speaker != Speaker::User || !self.policy.remember_facts {
            return Ok(Vec::new());
        }
        let mut learned = Vec::new();
        for sentence in sentences(&text) {
            for (kind, value, _) in facts_in_sentence(&sentence) {
                let done = sqlx::query(
                    "INSERT INTO memory_facts (session_id, kind, value, sentence, created_at) VALUES (?, ?, ?, ?, ?) \
                     ON CONFLICT (session_id, kind, value) DO NOTHING",
                )
                .bind(session_id)
                .bind(kind_str(kind))
                .bind(&value)
                .bind(&sentence)
                .bind(alter_store::now_rfc3339())
                .execute(&self.pool)
                .await?;
                if done.rows_affected() > 0 {
                    learned.push(UserFact { session_id: session_id.into(), kind, value, sentence: sentence.clone() });
                }
            }
        }
        Ok(learned)
    }

    /// The last `limit` turns of a session, oldest first.
    pub async fn recent_turns(&self, session_id: &str, limit: usize) -> Result<Vec<Turn>, BrainError> {
        let rows: Vec<(String, String, String, Option<String>, String, bool)> = sqlx::query_as(
            "SELECT role, text, lang, emotion, citations, declined FROM conversation_turns WHERE session_id = ? \
             ORDER BY id DESC LIMIT ?",
        )
        .bind(session_id)
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .rev()
            .map(|(role, text, lang, emotion, citations, declined)| Turn {
                speaker: if role == "user" { Speaker::User } else { Speaker::Twin },
                text,
                lang: Lang::from_code(&lang),
                emotion,
                citations: serde_json::from_str(&citations).unwrap_or_default(),
                declined,
            })
            .collect())
    }

    /// Facts visible to a session: its own, plus other sessions' when the
    /// owner allows remembering across sessions.
    pub async fn facts(&self, session_id: &str) -> Result<Vec<UserFact>, BrainError> {
        let rows: Vec<(String, String, String, String)> = if self.policy.remember_across_sessions {
            sqlx::query_as("SELECT session_id, kind, value, sentence FROM memory_facts ORDER BY id")
                .fetch_all(&self.pool)
                .await?
        } else {
            sqlx::query_as(
                "SELECT session_id, kind, value, sentence FROM memory_facts WHERE session_id = ? ORDER BY id",
            )
            .bind(session_id)
            .fetch_all(&self.pool)
            .await?
        };
        Ok(rows
            .into_iter()
            .filter_map(|(session_id, kind, value, sentence)| {
                Some(UserFact { session_id, kind: parse_kind(&kind)?, value, sentence })
            })
            .collect())
    }

    /// The facts most related to `query`, best first (lexical overlap, with
    /// names always included since "who am I talking to" is always relevant).
    pub async fn recall(&self, session_id: &str, query: &str, limit: usize) -> Result<Vec<UserFact>, BrainError> {
        let facts = self.facts(session_id).await?;
        Ok(rank_facts(facts, query, limit, None))
    }

    /// Deletes a session's turns and the facts learned in it.
    pub async fn wipe_session(&self, session_id: &str) -> Result<(), BrainError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM conversation_turns WHERE session_id = ?").bind(session_id).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM memory_facts WHERE session_id = ?").bind(session_id).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes every remembered fact (all sessions).
    pub async fn forget_all_facts(&self) -> Result<(), BrainError> {
        sqlx::query("DELETE FROM memory_facts").execute(&self.pool).await?;
        Ok(())
    }
}

/// Ranks facts for a query. `similarity`, when given, scores a fact's
/// sentence against the query (e.g. embedding cosine) instead of word overlap.
/// Scores how close two texts are in meaning (e.g. embedding cosine).
pub type Similarity<'a> = &'a dyn Fn(&str, &str) -> f32;

pub fn rank_facts(
    facts: Vec<UserFact>,
    query: &str,
    limit: usize,
    similarity: Option<Similarity<'_>>,
) -> Vec<UserFact> {
    let q = content_words(query);
    let q_bigrams = han_bigrams(query);
    let mut scored: Vec<(f32, UserFact)> = facts
        .into_iter()
        .map(|f| {
            let s = match similarity {
                Some(sim) => sim(query, &f.sentence),
                None => {
                    let words = content_words(&format!("{} {}", f.value, f.sentence));
                    let w = q.iter().filter(|x| words.contains(x)).count() as f32;
                    let b = han_bigrams(&f.sentence).iter().filter(|x| q_bigrams.contains(x)).count() as f32;
                    w + 0.5 * b
                }
            };
            let bonus = if matches!(f.kind, FactKind::Name | FactKind::Team | FactKind::Role) { 0.5 } else { 0.0 };
            (s + bonus, f)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    scored.into_iter().take(limit).map(|(_, f)| f).collect()
}

fn han_bigrams(s: &str) -> Vec<(char, char)> {
    let han: Vec<char> = s.chars().filter(|c| lang::is_han(*c)).collect();
    han.windows(2).map(|w| (w[0], w[1])).collect()
}

fn kind_str(k: FactKind) -> String {
    serde_json::to_value(k).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

fn parse_kind(s: &str) -> Option<FactKind> {
    serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn memory(policy: MemoryPolicy) -> (tempfile::TempDir, Memory) {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = alter_store::TwinDb::open(&dir.path().join("twin.db")).await.expect("twin db opens");
        (dir, Memory::new(db.pool().clone(), policy))
    }

    #[tokio::test]
    async fn turns_and_facts_round_trip() {
        let (_dir, m) = memory(MemoryPolicy { remember_facts: true, remember_across_sessions: true }).await;
        let learned = m.record("s1", &Turn::user("Hi, I'm Wang Lei from compliance.")).await.expect("stored");
        assert!(learned.iter().any(|f| f.kind == FactKind::Name && f.value == "Wang Lei"), "{learned:?}");
        m.record("s1", &Turn::twin("Nice to meet you, Wang Lei.")).await.expect("stored");
        m.record("s2", &Turn::user("我是合规部的王磊")).await.expect("stored");
        let turns = m.recent_turns("s1", 10).await.expect("read");
        assert_eq!(turns.len(), 2);
        assert_eq!(turns[0].speaker, Speaker::User);
        assert_eq!(turns[1].text, "Nice to meet you, Wang Lei.");
        // Across sessions: a new session recalls both users' facts.
        let recalled = m.recall("s3", "Who am I? What team am I in?", 5).await.expect("recall");
        assert!(recalled.iter().any(|f| f.value == "Wang Lei"));
        assert!(recalled.iter().any(|f| f.value == "合规部"), "{recalled:?}");
        // Same message twice does not duplicate facts.
        assert!(m.record("s1", &Turn::user("I'm Wang Lei from compliance.")).await.expect("stored").is_empty());
        // Wiping a session removes its turns and facts only.
        m.wipe_session("s1").await.expect("wiped");
        assert!(m.recent_turns("s1", 10).await.expect("read").is_empty());
        let left = m.facts("s9").await.expect("read");
        assert!(left.iter().all(|f| f.session_id == "s2") && !left.is_empty());
    }

    #[tokio::test]
    async fn policy_is_respected() {
        let (_dir, m) = memory(MemoryPolicy::default()).await;
        m.record("a", &Turn::user("My name is Li Na.")).await.expect("stored");
        assert!(!m.facts("a").await.expect("read").is_empty());
        assert!(m.facts("b").await.expect("read").is_empty(), "not shared across sessions by default");
        let (_dir2, off) = memory(MemoryPolicy { remember_facts: false, remember_across_sessions: false }).await;
        assert!(off.record("a", &Turn::user("My name is Li Na.")).await.expect("stored").is_empty());
        assert!(off.facts("a").await.expect("read").is_empty());
    }

    #[tokio::test]
    async fn hostile_turns() {
        let (_dir, m) = memory(MemoryPolicy::default()).await;
        let huge = "I am ".repeat(12_000);
        m.record("s", &Turn::user(&huge)).await.expect("huge turn stored");
        let binary = String::from_utf8_lossy(&[0, 159, 255, 0, 7]).into_owned();
        m.record("s", &Turn::user(&binary)).await.expect("binary stored");
        let turns = m.recent_turns("s", 10).await.expect("read");
        assert_eq!(turns[0].text.chars().count(), MAX_TURN_CHARS);
        assert_eq!(m.recent_turns("none", 10).await.expect("read").len(), 0);
    }
}
