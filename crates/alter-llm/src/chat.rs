//! The model's chat template, rendered structurally.
//!
//! We read `tokenizer.chat_template` from the GGUF and recognise its family:
//! ChatML (`<|im_start|>role\n…<|im_end|>\n`, Qwen, SmolLM and most small
//! models) or Llama 3 (`<|start_header_id|>…`). Rather than evaluating the
//! Jinja text, we render the family's markup ourselves, taking the template's
//! default system prompt when the conversation has none (as the Jinja does).
//! Rendering keeps markup and content apart: markup is tokenized with special
//! tokens enabled, message content with them disabled, so text inside a
//! message can never open or close a turn. Invariant: the rendered text is
//! byte-identical to what the model's Jinja template renders for plain
//! system/user/assistant messages.

use serde::{Deserialize, Serialize};

use crate::error::LlmError;
use crate::tokenizer::{TokenId, Tokenizer};

/// Who said a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    System,
    User,
    Assistant,
}

impl Role {
    fn as_str(self) -> &'static str {
        match self {
            Role::System => "system",
            Role::User => "user",
            Role::Assistant => "assistant",
        }
    }
}

/// One message of a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    pub role: Role,
    pub content: String,
}

impl ChatMessage {
    pub fn system(s: impl Into<String>) -> Self {
        Self { role: Role::System, content: s.into() }
    }
    pub fn user(s: impl Into<String>) -> Self {
        Self { role: Role::User, content: s.into() }
    }
    pub fn assistant(s: impl Into<String>) -> Self {
        Self { role: Role::Assistant, content: s.into() }
    }
}

/// The template families we render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TemplateKind {
    ChatMl,
    Llama3,
}

/// A chat template recognised from GGUF metadata.
#[derive(Debug, Clone)]
pub struct ChatTemplate {
    pub kind: TemplateKind,
    /// System prompt the template inserts when the conversation has none.
    pub default_system: Option<String>,
}

/// How a rendered conversation ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ending {
    /// Every message closed, then the assistant's turn opened (for generation).
    AssistantTurn,
    /// Every message closed, nothing after (a reusable prefix such as the persona).
    Closed,
    /// The last message left open (a question still being spoken).
    Open,
}

/// A piece of rendered prompt: markup (special tokens allowed) or content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Markup(String),
    Content(String),
}

/// Find the literal default system prompt inside a ChatML Jinja template.
fn chatml_default_system(tpl: &str) -> Option<String> {
    for marker in ["<|im_start|>system\\n", "<|im_start|>system\n"] {
        let mut from = 0;
        while let Some(p) = tpl[from..].find(marker) {
            let start = from + p + marker.len();
            from = start;
            let Some(end) = tpl[start..].find("<|im_end|>") else { break };
            let lit = &tpl[start..start + end];
            if !lit.is_empty() && !lit.contains(['{', '}', '\'', '"']) {
                return Some(lit.replace("\\n", "\n"));
            }
        }
    }
    None
}

impl ChatTemplate {
    /// Recognise the template text; `None` text means "assume ChatML" only
    /// when the vocabulary has `<|im_start|>`.
    pub fn detect(template: Option<&str>, tok: &Tokenizer) -> Result<Self, LlmError> {
        let has_chatml = tok.token_id("<|im_start|>").is_some() && tok.token_id("<|im_end|>").is_some();
        match template {
            Some(t) if t.contains("<|im_start|>") && has_chatml => {
                Ok(Self { kind: TemplateKind::ChatMl, default_system: chatml_default_system(t) })
            }
            Some(t) if t.contains("<|start_header_id|>") && tok.token_id("<|eot_id|>").is_some() => {
                Ok(Self { kind: TemplateKind::Llama3, default_system: None })
            }
            None if has_chatml => Ok(Self { kind: TemplateKind::ChatMl, default_system: None }),
            _ => Err(LlmError::Unsupported(
                "the model's chat template is neither ChatML nor Llama 3; use a ChatML instruct model".into(),
            )),
        }
    }

    /// Render a conversation, ending with the opening of the assistant turn.
    pub fn render(&self, messages: &[ChatMessage]) -> Vec<Segment> {
        self.render_as(messages, Ending::AssistantTurn)
    }

    /// Render a conversation with the chosen ending.
    pub fn render_as(&self, messages: &[ChatMessage], ending: Ending) -> Vec<Segment> {
        let mut out = Vec::new();
        let markup = |out: &mut Vec<Segment>, s: String| match out.last_mut() {
            Some(Segment::Markup(m)) => m.push_str(&s),
            _ => out.push(Segment::Markup(s)),
        };
        match self.kind {
            TemplateKind::ChatMl => {
                if messages.first().is_none_or(|m| m.role != Role::System)
                    && let Some(sys) = &self.default_system
                {
                    markup(&mut out, format!("<|im_start|>system\n{sys}<|im_end|>\n"));
                }
                for (i, m) in messages.iter().enumerate() {
                    markup(&mut out, format!("<|im_start|>{}\n", m.role.as_str()));
                    out.push(Segment::Content(m.content.clone()));
                    if ending == Ending::Open && i + 1 == messages.len() {
                        return out;
                    }
                    markup(&mut out, "<|im_end|>\n".into());
                }
                if ending == Ending::AssistantTurn {
                    markup(&mut out, "<|im_start|>assistant\n".into());
                }
            }
            TemplateKind::Llama3 => {
                markup(&mut out, "<|begin_of_text|>".into());
                for (i, m) in messages.iter().enumerate() {
                    markup(&mut out, format!("<|start_header_id|>{}<|end_header_id|>\n\n", m.role.as_str()));
                    out.push(Segment::Content(m.content.trim().to_owned()));
                    if ending == Ending::Open && i + 1 == messages.len() {
                        return out;
                    }
                    markup(&mut out, "<|eot_id|>".into());
                }
                if ending == Ending::AssistantTurn {
                    markup(&mut out, "<|start_header_id|>assistant<|end_header_id|>\n\n".into());
                }
            }
        }
        out
    }

    /// Render to one string (for display and tests).
    pub fn render_text(&self, messages: &[ChatMessage]) -> String {
        self.render(messages)
            .into_iter()
            .map(|s| match s {
                Segment::Markup(t) | Segment::Content(t) => t,
            })
            .collect()
    }

    /// Render and tokenize; content never turns into special tokens.
    pub fn tokenize(&self, tok: &Tokenizer, messages: &[ChatMessage]) -> Vec<TokenId> {
        self.tokenize_as(tok, messages, Ending::AssistantTurn)
    }

    /// Render with `ending` and tokenize.
    pub fn tokenize_as(&self, tok: &Tokenizer, messages: &[ChatMessage], ending: Ending) -> Vec<TokenId> {
        let mut ids = Vec::new();
        for s in self.render_as(messages, ending) {
            match s {
                Segment::Markup(t) => ids.extend(tok.encode(&t, true)),
                Segment::Content(t) => ids.extend(tok.encode(&t, false)),
            }
        }
        ids
    }

    /// Token strings that end the assistant's turn for this family.
    pub fn end_tokens(&self) -> &'static [&'static str] {
        match self.kind {
            TemplateKind::ChatMl => &["<|im_end|>", "<|endoftext|>"],
            TemplateKind::Llama3 => &["<|eot_id|>", "<|end_of_text|>"],
        }
    }
}
