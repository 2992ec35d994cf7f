//! Grounded answering as the owner: prompts, citations, declining, memory and emotion.
//!
//! Entry point: [`Answerer`] (an `alter_llm::LlmHandle`, the persona, the
//! decline calibration and the memory) → [`Answerer::ask`] streams
//! [`AnswerEvent`]s: tokens, sentences ready for speech, then the
//! [`Answer`] with citations, emotion, the declined flag and timings. The
//! pieces are usable alone: [`prompt`] builds the grounded prompt, [`cite`]
//! maps markers to citations, [`decline`] calibrates and words declines,
//! [`guard`] keeps documents from giving orders and the twin from making
//! commitments, [`emotion`] reads the user, [`memory`] stores turns and
//! user facts, [`stream`] finds sentence ends in a token stream.
//!
//! Architecture invariant: this crate never retrieves by itself (the engine
//! passes [`Source`]s from the knowledge crate) and never loads a model (it
//! is handed a running one).

pub mod answer;
pub mod cite;
pub mod decline;
pub mod emotion;
pub mod error;
pub mod guard;
pub mod memory;
pub mod prompt;
pub mod relevance;
pub mod source;
pub mod stream;

pub use alter_persona::lang::{Lang, detect as detect_language};
pub use answer::{Answer, AnswerEvent, AnswerOptions, Answerer, DeclineReason, PersonaContext, Question, Timings};
pub use cite::{Citation, CitedAnswer};
pub use decline::{DeclineCalibration, Evidence};
pub use emotion::{EmotionReading, ProsodyHints, ReplyEmotion, UserEmotion};
pub use error::BrainError;
pub use memory::{Memory, MemoryPolicy, Turn, UserFact};
pub use source::Source;
