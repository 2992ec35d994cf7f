//! The Persona screen over IPC: the learned profile with a source for each
//! self-fact, and the owner's corrections, one kind of fact at a time.

use alter_core::{ErrorReport, TwinParams};
use alter_engine::TwinPersona;
use alter_engine::persona::facts::FactOrigin;
use serde::Serialize;
use tauri::State;

use super::twins::parse_id;
use crate::AppState;

/// One learned self-fact and where it was read.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct FactView {
    /// `name`, `role`, `team`… (the settings' vocabulary).
    pub kind: String,
    pub value: String,
    /// The sentence that states it.
    pub sentence: String,
    pub file: String,
    pub location: String,
    /// `rules` (read from a first-person sentence) or `llm` (proposed by the model, checked against the text).
    pub origin: String,
    pub confidence: f32,
}

/// The owner's own values for one kind of fact (none: the kind is removed).
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct OwnerFactsView {
    pub kind: String,
    pub values: Vec<String>,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct StyleView {
    pub mean_words_en: f32,
    pub mean_chars_zh: f32,
    /// 0 casual … 1 formal.
    pub formality: f32,
    pub first_person_singular: f32,
    pub first_person_plural: f32,
    pub signature_phrases: Vec<String>,
    pub openings: Vec<String>,
    pub closings: Vec<String>,
    pub zh_share: f32,
    pub sentences: u32,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ExemplarView {
    pub text: String,
    pub file: String,
    pub location: String,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct PersonaView {
    pub revision: u32,
    /// Every kind of fact, in display order.
    pub kinds: Vec<String>,
    pub learned: Vec<FactView>,
    pub owner: Vec<OwnerFactsView>,
    pub style: StyleView,
    pub exemplars: Vec<ExemplarView>,
}

fn origin(o: FactOrigin) -> &'static str {
    match o {
        FactOrigin::Rules => "rules",
        FactOrigin::Llm => "llm",
        FactOrigin::Owner => "owner",
    }
}

impl From<TwinPersona> for PersonaView {
    fn from(p: TwinPersona) -> Self {
        let s = &p.learned.style;
        Self {
            revision: u32::try_from(p.revision).unwrap_or(u32::MAX),
            kinds: alter_core::FACT_KINDS.iter().map(|k| (*k).to_owned()).collect(),
            learned: p
                .learned
                .facts
                .iter()
                .map(|f| FactView {
                    kind: f.kind.key().to_owned(),
                    value: f.value.clone(),
                    sentence: f.sentence.clone(),
                    file: f.source.file.clone(),
                    location: f.source.location.clone(),
                    origin: origin(f.origin).to_owned(),
                    confidence: f.confidence,
                })
                .collect(),
            owner: p.owner_facts.into_iter().map(|(kind, values)| OwnerFactsView { kind, values }).collect(),
            style: StyleView {
                mean_words_en: s.mean_words_en,
                mean_chars_zh: s.mean_chars_zh,
                formality: s.formality,
                first_person_singular: s.first_person_singular,
                first_person_plural: s.first_person_plural,
                signature_phrases: s.signature_phrases.clone(),
                openings: s.openings.clone(),
                closings: s.closings.clone(),
                zh_share: s.zh_share,
                sentences: u32::try_from(s.sentences).unwrap_or(u32::MAX),
            },
            exemplars: p
                .learned
                .exemplars
                .iter()
                .map(|e| ExemplarView {
                    text: e.text.clone(),
                    file: e.source.file.clone(),
                    location: e.source.location.clone(),
                })
                .collect(),
        }
    }
}

pub async fn persona(state: &AppState, id: &str) -> Result<Option<PersonaView>, ErrorReport> {
    let id = parse_id(id)?;
    Ok(state.engine()?.persona(&id).await?.map(Into::into))
}

pub async fn set_facts(
    state: &AppState,
    id: &str,
    kind: &str,
    values: Option<Vec<String>>,
) -> Result<TwinParams, ErrorReport> {
    let id = parse_id(id)?;
    let engine = state.engine()?.clone();
    let params = engine.set_owner_facts(&id, kind, values).await?;
    // The persona changed: prepare the twin's answerer now, while the owner is still
    // reviewing, so the next question does not wait for it.
    if engine.persona(&id).await.is_ok_and(|p| p.is_some()) {
        tauri::async_runtime::spawn(async move {
            if let Err(e) = engine.answerer(&id).await {
                tracing::warn!("preparing the corrected persona failed: {e}");
            }
        });
    }
    Ok(params)
}

/// The learned persona and the owner's corrections; `null` before the first build.
#[tauri::command]
#[specta::specta]
pub async fn twin_persona(state: State<'_, AppState>, id: String) -> Result<Option<PersonaView>, ErrorReport> {
    persona(&state, &id).await
}

/// Sets the owner's values for one kind of fact; `null` goes back to what was learned.
#[tauri::command]
#[specta::specta]
pub async fn set_twin_facts(
    state: State<'_, AppState>,
    id: String,
    kind: String,
    values: Option<Vec<String>>,
) -> Result<TwinParams, ErrorReport> {
    set_facts(&state, &id, &kind, values).await
}
