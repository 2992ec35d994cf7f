//! The persona stage: the profile learned from the owner's documents and
//! voice transcripts, the "sounds like me" model, and the decline
//! calibration fitted on this twin's own retrieval scores.

use alter_brain::decline::{CALIBRATION_META_KEY, calibration_probes};
use alter_brain::{DeclineCalibration, Evidence};
use alter_knowledge::store::ChunkRow;
use alter_persona::selftest::{GenerateOptions, generate_questions};
use alter_persona::stylescore::TrainOptions;
use alter_persona::{LearnOptions, OwnerText, SourceRef, StyleModel, learn_profile};
use serde::{Deserialize, Serialize};

use super::{StageContext, VoiceOutcome};
use crate::EngineError;
use crate::brain::SOURCES_IN_PROMPT;

/// What the persona stage produced (the profile itself is in the database).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PersonaOutcome {
    pub revision: i64,
    pub facts: usize,
    pub exemplars: usize,
    pub owner_sentences: usize,
    pub style_model: bool,
    pub calibration: DeclineCalibration,
}

/// The owner's texts: every document chunk and every voice transcript.
pub fn owner_texts(chunks: &[ChunkRow], voice: &VoiceOutcome) -> Vec<OwnerText> {
    let mut texts: Vec<OwnerText> = chunks
        .iter()
        .map(|c| OwnerText {
            heading: (!c.heading.is_empty()).then(|| c.heading.clone()),
            ..OwnerText::document(&c.file_name, &c.location, &c.text)
        })
        .collect();
    for s in &voice.samples {
        if let Some(t) = s.transcript.as_deref().filter(|t| !t.is_empty()) {
            texts.push(OwnerText {
                source: SourceRef { file: s.file.clone(), location: "voice sample".into() },
                heading: None,
                text: t.to_owned(),
                spoken: true,
            });
        }
    }
    texts
}

pub async fn run(
    cx: &StageContext<'_>,
    chunks: &[ChunkRow],
    voice: &VoiceOutcome,
) -> Result<PersonaOutcome, EngineError> {
    cx.report("persona", 0, 3, "learning the profile");
    let texts = owner_texts(chunks, voice);
    let learn = texts.clone();
    let (profile, style_model, owner_sentences) = tokio::task::spawn_blocking(move || {
        let profile = learn_profile(&learn, &LearnOptions::default());
        let sentences: Vec<String> = learn.iter().flat_map(|t| alter_persona::text::sentences(&t.text)).collect();
        let model = StyleModel::train(&sentences, &TrainOptions::default());
        (profile, model, sentences.len())
    })
    .await
    .map_err(|e| alter_persona::PersonaError::Corrupt(format!("the learning thread failed: {e}")))?;
    cx.check()?;
    let revision = alter_persona::store::save_profile(cx.db.pool(), &profile).await?;
    if let Some(model) = &style_model {
        alter_persona::store::save_style_model(cx.db.pool(), revision, model).await?;
    }

    cx.report("persona", 1, 3, "calibrating when to decline");
    let calibration = calibrate(cx, &texts).await?;
    let json = serde_json::to_string(&calibration).map_err(alter_store::StoreError::from)?;
    cx.db.set_meta(CALIBRATION_META_KEY, &json).await?;
    cx.report("persona", 3, 3, "profile learned");
    Ok(PersonaOutcome {
        revision,
        facts: profile.facts.len(),
        exemplars: profile.exemplars.len(),
        owner_sentences,
        style_model: style_model.is_some(),
        calibration,
    })
}

/// Fits the decline threshold: questions the documents answer (generated
/// from them) against off-topic probes, scored by this twin's retrieval.
async fn calibrate(cx: &StageContext<'_>, texts: &[OwnerText]) -> Result<DeclineCalibration, EngineError> {
    let options = GenerateOptions { max_answerable: 12, max_unanswerable: 0 };
    let answerable: Vec<String> =
        generate_questions(texts, &options).into_iter().filter(|q| q.answerable).map(|q| q.question).collect();
    let probes: Vec<String> = calibration_probes().into_iter().map(|(q, _)| q.to_owned()).collect();
    let evidence = |questions: Vec<String>| async move {
        let mut out = Vec::with_capacity(questions.len());
        for q in questions {
            cx.check()?;
            let r = cx.engine.retrieve(cx.twin, &q, SOURCES_IN_PROMPT).await?;
            out.push(Evidence::of(&q, &r.sources));
        }
        Ok::<_, EngineError>(out)
    };
    let yes = evidence(answerable).await?;
    let no = evidence(probes).await?;
    Ok(DeclineCalibration::fit(&yes, &no))
}
