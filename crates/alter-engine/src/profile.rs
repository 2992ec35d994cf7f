//! The twin's persona as its owner reviews it: what the build learned (each
//! self-fact with the sentence and place it came from, the style, the
//! exemplar sentences) and the facts the owner set by hand, which replace
//! the learned ones of their kind in every answer.

use std::collections::BTreeMap;

use alter_core::{TwinId, TwinParams};
use alter_persona::PersonaProfile;

use crate::{Engine, EngineError};

/// A built twin's persona.
#[derive(Debug, Clone, PartialEq)]
pub struct TwinPersona {
    /// The profile revision (one per build that changed it).
    pub revision: i64,
    /// As learned, before the owner's facts.
    pub learned: PersonaProfile,
    /// The owner's facts by kind (see `TwinParams::facts`).
    pub owner_facts: BTreeMap<String, Vec<String>>,
}

impl Engine {
    /// The twin's persona; `None` until it has been built.
    pub async fn persona(&self, twin: &TwinId) -> Result<Option<TwinPersona>, EngineError> {
        let params = self.twin_params(twin).await?;
        let db = self.twin_db(twin).await?;
        let profile = alter_persona::store::load_profile(db.pool()).await?;
        Ok(profile.map(|(revision, learned)| TwinPersona { revision, learned, owner_facts: params.facts }))
    }

    /// Sets the owner's values for one kind of fact (`None` goes back to what was learned).
    pub async fn set_owner_facts(
        &self,
        twin: &TwinId,
        kind: &str,
        values: Option<Vec<String>>,
    ) -> Result<TwinParams, EngineError> {
        let mut params = self.twin_params(twin).await?;
        match values {
            Some(values) => {
                let values = values.into_iter().map(|v| v.trim().to_owned()).filter(|v| !v.is_empty()).collect();
                params.facts.insert(kind.to_owned(), values);
            }
            None => {
                params.facts.remove(kind);
            }
        }
        self.update_twin(twin, params.clone()).await?;
        self.twin_params(twin).await
    }
}
