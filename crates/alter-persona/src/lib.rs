//! The persona learned from the owner's own words: self-facts, style,
//! exemplars, the "sounds like me" score, the build's self-test and the
//! scoring behind `alter eval`.
//!
//! Entry points:
//! - [`profile::learn_profile`] from [`facts::OwnerText`]s (document chunks
//!   and voice transcripts) → [`profile::PersonaProfile`];
//! - [`prompt::persona_prompt`] → the system prompt, with the owner's
//!   [`alter_core::TwinParams`] overriding what was learned;
//! - [`stylescore::StyleModel::train`] / [`stylescore::StyleModel::score`];
//! - [`selftest::generate_questions`] and [`eval::score`] for the report card
//!   and `alter eval`;
//! - [`store`] to keep all of it in the twin database.
//!
//! Architecture invariant: no model runs here. The optional LLM-assisted
//! fact pass is a prompt ([`facts::llm_extraction_prompt`]) and a verifying
//! parser ([`facts::parse_llm_facts`]); the caller runs the model.

pub mod background;
pub mod error;
pub mod eval;
pub mod facts;
pub mod lang;
pub mod profile;
pub mod prompt;
pub mod selftest;
pub mod store;
pub mod style;
pub mod stylescore;
pub mod text;

pub use error::PersonaError;
pub use facts::{FactKind, OwnerText, SelfFact, SourceRef};
pub use lang::Lang;
pub use profile::{LearnOptions, PersonaProfile, learn_profile};
pub use prompt::persona_prompt;
pub use stylescore::StyleModel;
