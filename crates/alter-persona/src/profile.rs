//! The persona profile: self-facts, style and exemplars, versioned and serialisable.
//!
//! [`learn_profile`] is deterministic for a given input so that a resumed
//! build ends with the same twin as an uninterrupted one. The owner's
//! explicit [`TwinParams`] are not folded in here; they are applied when the
//! prompt is made ([`crate::prompt::persona_prompt`]) so that editing a
//! parameter never needs a rebuild.

use serde::{Deserialize, Serialize};

use crate::facts::{self, FactKind, FactOrigin, OwnerText, SelfFact, SourceRef};
use crate::lang::{self, Lang};
use crate::style::{self, StyleProfile};
use crate::text;

/// The format version of [`PersonaProfile`]; bump on incompatible changes.
pub const PROFILE_VERSION: u32 = 1;

/// One of the owner's own sentences, chosen to show the style.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exemplar {
    pub text: String,
    pub source: SourceRef,
    pub lang: Lang,
}

/// What the build learns about the owner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonaProfile {
    pub version: u32,
    pub facts: Vec<SelfFact>,
    pub style: StyleProfile,
    pub exemplars: Vec<Exemplar>,
    /// How many texts the profile was learned from.
    pub texts: usize,
}

impl Default for PersonaProfile {
    fn default() -> Self {
        Self {
            version: PROFILE_VERSION,
            facts: Vec::new(),
            style: StyleProfile::default(),
            exemplars: Vec::new(),
            texts: 0,
        }
    }
}

impl PersonaProfile {
    /// The most confident value of a kind of fact.
    pub fn fact(&self, kind: FactKind) -> Option<&str> {
        self.facts
            .iter()
            .filter(|f| f.kind == kind)
            .max_by(|a, b| a.confidence.total_cmp(&b.confidence))
            .map(|f| f.value.as_str())
    }

    /// Replaces learned facts with the owner's own, kind by kind: every kind
    /// in `owner` loses what was learned of it and gets the owner's values
    /// (none, for an empty list). Unknown kinds are ignored (the settings
    /// refuse them before they are stored).
    pub fn apply_owner_facts(&mut self, owner: &std::collections::BTreeMap<String, Vec<String>>) {
        for (key, values) in owner {
            let Some(kind) = FactKind::from_key(key) else { continue };
            self.facts.retain(|f| f.kind != kind);
            self.facts.extend(values.iter().map(|value| SelfFact {
                kind,
                value: value.clone(),
                sentence: String::new(),
                source: SourceRef::default(),
                origin: FactOrigin::Owner,
                confidence: 1.0,
            }));
        }
    }

    /// Adds facts from the LLM-assisted pass (already verified), skipping
    /// ones the rules found.
    pub fn merge_facts(&mut self, extra: Vec<SelfFact>) {
        for f in extra {
            let dup = self.facts.iter().any(|g| g.kind == f.kind && g.value.eq_ignore_ascii_case(&f.value));
            if !dup {
                self.facts.push(f);
            }
        }
    }
}

/// Options for [`learn_profile`].
#[derive(Debug, Clone)]
pub struct LearnOptions {
    pub max_exemplars: usize,
}

impl Default for LearnOptions {
    fn default() -> Self {
        Self { max_exemplars: 6 }
    }
}

/// Learns the profile from the owner's document chunks and transcripts.
pub fn learn_profile(texts: &[OwnerText], options: &LearnOptions) -> PersonaProfile {
    let style = style::learn_style(texts);
    let exemplars = choose_exemplars(texts, &style, options.max_exemplars);
    PersonaProfile {
        version: PROFILE_VERSION,
        facts: facts::extract_facts(texts),
        style,
        exemplars,
        texts: texts.len(),
    }
}

/// Picks sentences that sound like the owner: first person, a signature
/// phrase, a typical length, written rather than transcribed; no near-duplicates,
/// and both languages when the owner writes both.
pub fn choose_exemplars(texts: &[OwnerText], style: &StyleProfile, max: usize) -> Vec<Exemplar> {
    let mut candidates: Vec<(f32, Exemplar)> = Vec::new();
    for t in texts {
        for s in text::sentences(&t.text) {
            let lang = lang::detect(&s);
            let (len, typical, lo, hi) = match lang {
                Lang::Zh => (s.chars().count() as f32, style.mean_chars_zh.max(12.0), 8.0, 80.0),
                _ => (text::words(&s).len() as f32, style.mean_words_en.max(10.0), 6.0, 40.0),
            };
            if lang == Lang::Other || len < lo || len > hi {
                continue;
            }
            if s.starts_with(|c: char| c.is_ascii_lowercase()) {
                continue; // the tail of a sentence broken across lines or pages
            }
            let digits = s.chars().filter(|c| c.is_ascii_digit()).count() as f32;
            if digits / s.chars().count().max(1) as f32 > 0.15 {
                continue; // tables and dates show facts, not style
            }
            let words = text::words(&s);
            let first_person = words.iter().any(|w| matches!(w.as_str(), "i" | "i'm" | "i'd" | "my" | "me" | "我"))
                || s.contains('我');
            let signature = style.signature_phrases.iter().any(|p| s.to_lowercase().contains(&p.to_lowercase()));
            let score = f32::from(u8::from(first_person)) * 1.0
                + f32::from(u8::from(signature)) * 1.5
                // Transcripts carry speech-recognition slips the model would repeat.
                - f32::from(u8::from(t.spoken)) * 0.5
                - ((len - typical).abs() / typical).min(1.0) * 0.5;
            candidates.push((score, Exemplar { text: s, source: t.source.clone(), lang }));
        }
    }
    candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.text.cmp(&b.1.text)));
    let mut chosen: Vec<Exemplar> = Vec::new();
    let want_zh = style.zh_share > 0.1;
    // One slot is kept for the minority language when the owner mixes.
    if want_zh && let Some((_, e)) = candidates.iter().find(|(_, e)| e.lang != style.main_language()) {
        chosen.push(e.clone());
    }
    for (_, e) in candidates {
        if chosen.len() >= max {
            break;
        }
        let cw = text::content_words(&e.text);
        let near_dup = chosen.iter().any(|c| jaccard(&cw, &text::content_words(&c.text)) > 0.5);
        if !near_dup {
            chosen.push(e);
        }
    }
    chosen.truncate(max);
    chosen
}

fn jaccard(a: &[String], b: &[String]) -> f32 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let inter = a.iter().filter(|w| b.contains(w)).count() as f32;
    let union = a.len() as f32 + b.iter().filter(|w| !a.contains(w)).count() as f32;
    inter / union
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval_texts() -> Vec<OwnerText> {
        let profile =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/eval/docs/profile.md"))
                .expect("eval profile readable");
        vec![
            OwnerText::document("profile.md", "section Maya Okafor", &profile),
            OwnerText::document(
                "工作约定.docx",
                "section 产品组工作约定",
                "需求评审每两周一次，在周二上午10点。线上故障需要在30分钟内响应。",
            ),
        ]
    }

    #[test]
    fn the_owners_facts_replace_learned_ones_kind_by_kind() {
        let mut p = learn_profile(&eval_texts(), &LearnOptions::default());
        let learned_role = p.fact(FactKind::Role).map(str::to_owned);
        assert!(learned_role.is_some(), "the eval profile states a role");
        let name_before = p.fact(FactKind::Name).map(str::to_owned);
        let owner = std::collections::BTreeMap::from([
            ("role".to_owned(), vec!["Head of dispatch".to_owned()]),
            ("location".to_owned(), vec![]),
            ("interest".to_owned(), vec!["sailing".to_owned(), "chess".to_owned()]),
            ("not-a-kind".to_owned(), vec!["x".to_owned()]),
        ]);
        p.apply_owner_facts(&owner);
        let roles: Vec<&SelfFact> = p.facts.iter().filter(|f| f.kind == FactKind::Role).collect();
        assert_eq!(roles.len(), 1);
        assert_eq!((roles[0].value.as_str(), roles[0].origin), ("Head of dispatch", FactOrigin::Owner));
        assert!(p.facts.iter().all(|f| f.kind != FactKind::Location), "an empty list removes the kind");
        assert_eq!(p.facts.iter().filter(|f| f.kind == FactKind::Interest).count(), 2);
        assert_eq!(p.fact(FactKind::Name).map(str::to_owned), name_before, "other kinds stay as learned");
    }

    #[test]
    fn fact_kinds_are_the_settings_vocabulary() {
        let keys: Vec<&str> = FactKind::ALL.iter().map(|k| k.key()).collect();
        assert_eq!(keys, alter_core::FACT_KINDS);
        for kind in FactKind::ALL {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.key(), "serde and the settings agree");
            assert_eq!(FactKind::from_key(kind.key()), Some(kind));
        }
    }

    #[test]
    fn learns_and_round_trips() {
        let p = learn_profile(&eval_texts(), &LearnOptions::default());
        assert_eq!(p.fact(FactKind::Name), Some("Maya Okafor"));
        assert!(!p.exemplars.is_empty() && p.exemplars.len() <= 6);
        assert!(p.exemplars.iter().any(|e| e.text.contains("show me the floor")), "{:#?}", p.exemplars);
        let json = serde_json::to_string(&p).expect("serialises");
        let back: PersonaProfile = serde_json::from_str(&json).expect("deserialises");
        assert_eq!(back, p);
        // Deterministic: the same input gives the same profile.
        assert_eq!(learn_profile(&eval_texts(), &LearnOptions::default()), p);
    }

    #[test]
    fn empty_input() {
        let p = learn_profile(&[], &LearnOptions::default());
        assert!(p.facts.is_empty() && p.exemplars.is_empty());
        assert_eq!(p.version, PROFILE_VERSION);
    }
}
