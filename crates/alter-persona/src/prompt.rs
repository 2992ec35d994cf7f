//! The persona system prompt, generated from the learned profile and the
//! owner's explicit parameters.
//!
//! Explicit parameters win: a name, role or greeting set by the owner
//! replaces the learned one; tone sliders that were moved from their defaults
//! replace the learned formality; declined topics are always listed. The
//! prompt is kept short (it is prefilled on a laptop CPU) and is stable for a
//! given profile and parameters, so its KV cache can be reused across turns.
//! The owner's signature phrases and exemplar sentences stay out of it: the
//! 0.5B default model pastes them into answers about something else.

use alter_core::{Tone, TwinParams};

use crate::facts::FactKind;
use crate::lang::Lang;
use crate::profile::PersonaProfile;

/// Facts shown in the prompt, at most this many.
const MAX_FACTS: usize = 10;

/// The persona as it should be presented: learned values with the owner's
/// overrides applied.
#[derive(Debug, Clone, PartialEq)]
pub struct EffectivePersona {
    pub name: String,
    pub role: String,
    pub greeting: String,
    /// 0 = formal, 1 = casual.
    pub casual: f32,
    /// 0 = brief, 1 = detailed.
    pub detailed: f32,
    pub decline_topics: Vec<String>,
    pub languages: Vec<String>,
}

/// Applies the owner's parameters over the learned profile.
pub fn effective_persona(profile: &PersonaProfile, params: &TwinParams) -> EffectivePersona {
    let learned_name = profile.fact(FactKind::Name).unwrap_or_default();
    let learned_role = profile.fact(FactKind::Role).unwrap_or_default();
    let pick = |explicit: &str, learned: &str| {
        if explicit.trim().is_empty() { learned.to_owned() } else { explicit.trim().to_owned() }
    };
    let default_tone = Tone::default();
    let casual = if (params.tone.casual - default_tone.casual).abs() > f32::EPSILON || profile.style.sentences == 0 {
        params.tone.casual
    } else {
        1.0 - profile.style.formality
    };
    EffectivePersona {
        name: pick(&params.name, learned_name),
        role: pick(&params.role, learned_role),
        greeting: params.greeting.trim().to_owned(),
        casual: casual.clamp(0.0, 1.0),
        detailed: params.tone.detailed.clamp(0.0, 1.0),
        decline_topics: params.decline_topics.clone(),
        languages: params.languages.clone(),
    }
}

/// The system prompt for answering in `lang` (`Other` gets the English prompt).
pub fn persona_prompt(profile: &PersonaProfile, params: &TwinParams, lang: Lang) -> String {
    let p = effective_persona(profile, params);
    let zh = lang == Lang::Zh;
    let mut out = String::new();
    let name = if p.name.is_empty() { if zh { "这位员工" } else { "the owner" } } else { p.name.as_str() };
    if zh {
        out.push_str(&format!("你就是{name}本人"));
        if !p.role.is_empty() {
            out.push_str(&format!("（{}）", p.role));
        }
        out.push_str("。用第一人称“我”回答，像本人一样说话。\n");
    } else {
        out.push_str(&format!("You are {name}"));
        if !p.role.is_empty() {
            out.push_str(&format!(", {}", p.role));
        }
        out.push_str(". Answer as yourself, in the first person (\"I\"), the way you talk.\n");
    }
    let facts: Vec<String> = profile
        .facts
        .iter()
        .filter(|f| f.confidence >= 0.6 && f.kind != FactKind::Name)
        .take(MAX_FACTS)
        .map(|f| format!("- {}: {}", f.kind.label(zh), f.value))
        .collect();
    if !facts.is_empty() {
        out.push_str(if zh { "关于你：\n" } else { "About you:\n" });
        for f in facts {
            out.push_str(&f);
            out.push('\n');
        }
    }
    out.push_str(&style_line(profile, &p, zh));
    if !p.decline_topics.is_empty() {
        let topics = p.decline_topics.join(", ");
        out.push_str(&if zh {
            format!("礼貌地拒绝谈论：{topics}。\n")
        } else {
            format!("Politely decline to discuss: {topics}.\n")
        });
    }
    if !p.greeting.is_empty() {
        out.push_str(&if zh {
            format!("你的问候语：{}\n", p.greeting)
        } else {
            format!("Your greeting: {}\n", p.greeting)
        });
    }
    out
}

fn style_line(profile: &PersonaProfile, p: &EffectivePersona, zh: bool) -> String {
    let tone = match (p.casual, zh) {
        (c, false) if c < 0.35 => "formal and precise",
        (c, false) if c > 0.65 => "casual and warm",
        (_, false) => "plain and friendly",
        (c, true) if c < 0.35 => "正式、严谨",
        (c, true) if c > 0.65 => "随和、亲切",
        (_, true) => "平实、友好",
    };
    let length = match (p.detailed, zh) {
        (d, false) if d < 0.35 => "1-2 short sentences",
        (d, false) if d > 0.65 => "a detailed answer of up to 6 sentences",
        (_, false) => "2-4 sentences",
        (d, true) if d < 0.35 => "一两句话",
        (d, true) if d > 0.65 => "详细一些，最多六句",
        (_, true) => "两到四句话",
    };
    let words = profile.style.mean_words_en.round() as u32;
    match zh {
        false if words > 0 => format!("Style: {tone}; {length}; your sentences average about {words} words.\n"),
        false => format!("Style: {tone}; {length}.\n"),
        true => format!("风格：{tone}；{length}。\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facts::OwnerText;
    use crate::profile::{LearnOptions, learn_profile};

    fn maya() -> PersonaProfile {
        let t = OwnerText::document(
            "profile.md",
            "",
            "# Maya Okafor\nProduct manager for route planning at Bluefin Logistics, Rotterdam office, since September 2021.\nI own the Dispatch Planner product. I say \"show me the floor\" a lot.",
        );
        learn_profile(&[t], &LearnOptions::default())
    }

    #[test]
    fn prompt_uses_learned_values() {
        let prompt = persona_prompt(&maya(), &TwinParams::default(), Lang::En);
        assert!(prompt.starts_with("You are Maya Okafor, Product manager for route planning."), "{prompt}");
        assert!(prompt.contains("Bluefin Logistics"), "{prompt}");
        assert!(!prompt.contains("show me the floor"), "the owner's sentences stay out of the prompt: {prompt}");
        assert!(prompt.len() < 1_500, "prompt too long to prefill quickly: {}", prompt.len());
        let zh = persona_prompt(&maya(), &TwinParams::default(), Lang::Zh);
        assert!(zh.starts_with("你就是Maya Okafor本人"), "{zh}");
    }

    #[test]
    fn explicit_parameters_override() {
        let params: TwinParams = toml::from_str(
            "name = \"Maya O.\"\nrole = \"Head of Routing\"\ngreeting = \"Hi, I'm Maya's twin.\"\ndecline_topics = [\"salaries\"]\n[tone]\ncasual = 0.9\ndetailed = 0.1\n",
        )
        .expect("twin.toml-like parameters parse");
        let prompt = persona_prompt(&maya(), &params, Lang::En);
        assert!(prompt.starts_with("You are Maya O., Head of Routing."), "{prompt}");
        assert!(prompt.contains("casual and warm") && prompt.contains("1-2 short sentences"), "{prompt}");
        assert!(prompt.contains("Politely decline to discuss: salaries."), "{prompt}");
        assert!(prompt.contains("Hi, I'm Maya's twin."), "{prompt}");
    }

    #[test]
    fn empty_profile_still_makes_a_prompt() {
        let prompt = persona_prompt(&PersonaProfile::default(), &TwinParams::default(), Lang::Other);
        assert!(prompt.starts_with("You are the owner."), "{prompt}");
    }
}
