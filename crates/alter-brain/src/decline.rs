//! Declining when the notes are silent, calibrated on the twin's own documents.
//!
//! Two gates. Before generation: the retrieval evidence for the question
//! ([`Evidence`]: the best cosine similarity among the hits and how much of
//! the question's content words the best hits contain) is compared with a
//! threshold learnt at build time ([`DeclineCalibration::fit`]) from the
//! evidence of questions generated from the twin's own chunks (answerable)
//! and of off-topic probes (unanswerable). After generation: the model says
//! it cannot support the answer ([`model_declined`]). Either gives a polite
//! decline in the user's language that suggests what the twin can talk about.

use serde::{Deserialize, Serialize};

use alter_persona::Lang;
use alter_persona::text::content_words;

use crate::source::Source;

/// Retrieval evidence for one question.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct Evidence {
    /// Best cosine similarity among the hits (0 when none has one).
    pub cosine: f32,
    /// Share of the question's content words found in the best three hits, in `[0, 1]`.
    pub coverage: f32,
}

impl Evidence {
    /// Measures the evidence that `sources` hold for `question`.
    pub fn of(question: &str, sources: &[Source]) -> Evidence {
        let cosine = sources.iter().filter_map(|s| s.cosine).fold(0.0f32, f32::max);
        let words: Vec<String> = {
            let mut w = content_words(question);
            w.sort();
            w.dedup();
            w
        };
        let coverage = if words.is_empty() {
            0.0
        } else {
            let hay: String = sources
                .iter()
                .take(3)
                .map(|s| format!("{} {} {}", s.heading, s.text, s.file))
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase();
            let hay_words = content_words(&hay);
            words.iter().filter(|w| hay_words.contains(w)).count() as f32 / words.len() as f32
        };
        Evidence { cosine, coverage }
    }

    /// One number combining both signals (the calibration works on it).
    pub fn combined(&self, coverage_weight: f32) -> f32 {
        self.cosine + coverage_weight * self.coverage
    }
}

/// The learnt decision rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeclineCalibration {
    /// Answer when `evidence.combined(coverage_weight) >= threshold`.
    pub threshold: f32,
    pub coverage_weight: f32,
    /// Balanced accuracy of the rule on the calibration questions.
    pub balanced_accuracy: f32,
    pub answerable: usize,
    pub unanswerable: usize,
    /// True when fitted on too few questions and the default was kept.
    pub fallback: bool,
}

impl Default for DeclineCalibration {
    /// Before a build has calibrated: never decline on evidence alone
    /// (the model-level decline still applies).
    fn default() -> Self {
        Self {
            threshold: f32::NEG_INFINITY,
            coverage_weight: 0.5,
            balanced_accuracy: 0.0,
            answerable: 0,
            unanswerable: 0,
            fallback: true,
        }
    }
}

/// The `twin_meta` key the calibration is stored under.
pub const CALIBRATION_META_KEY: &str = "brain.decline_calibration";

impl DeclineCalibration {
    /// Fits the threshold that best separates answerable from unanswerable
    /// questions (balanced accuracy), choosing the middle of the widest gap
    /// among equally good thresholds and leaning toward answering, because
    /// the model-level decline catches what slips through.
    pub fn fit(answerable: &[Evidence], unanswerable: &[Evidence]) -> DeclineCalibration {
        if answerable.len() < 2 || unanswerable.len() < 2 {
            return DeclineCalibration {
                answerable: answerable.len(),
                unanswerable: unanswerable.len(),
                ..Default::default()
            };
        }
        let mut best: Option<DeclineCalibration> = None;
        for w in [0.0f32, 0.25, 0.5, 1.0] {
            let a: Vec<f32> = answerable.iter().map(|e| e.combined(w)).collect();
            let u: Vec<f32> = unanswerable.iter().map(|e| e.combined(w)).collect();
            let mut cuts: Vec<f32> = a.iter().chain(u.iter()).copied().filter(|x| x.is_finite()).collect();
            cuts.sort_by(f32::total_cmp);
            cuts.dedup();
            // Candidate thresholds: midpoints between consecutive observed values.
            let mut candidates: Vec<f32> = cuts.windows(2).map(|p| (p[0] + p[1]) / 2.0).collect();
            candidates.extend(cuts.first().map(|c| c - 1e-3));
            for t in candidates {
                let tpr = a.iter().filter(|x| **x >= t).count() as f32 / a.len() as f32;
                let tnr = u.iter().filter(|x| **x < t).count() as f32 / u.len() as f32;
                // Answering is slightly preferred: false declines hurt more than the LLM gate misses.
                let bal = 0.55 * tpr + 0.45 * tnr;
                let better = best.as_ref().is_none_or(|b| bal > b.balanced_accuracy + 1e-6);
                if better {
                    best = Some(DeclineCalibration {
                        threshold: t,
                        coverage_weight: w,
                        balanced_accuracy: bal,
                        answerable: a.len(),
                        unanswerable: u.len(),
                        fallback: false,
                    });
                }
            }
        }
        let mut cal = best.unwrap_or_default();
        // Move the cut to the middle of the gap it sits in, so small shifts in scores do not flip decisions.
        let a: Vec<f32> = answerable.iter().map(|e| e.combined(cal.coverage_weight)).collect();
        let u: Vec<f32> = unanswerable.iter().map(|e| e.combined(cal.coverage_weight)).collect();
        let below = a.iter().chain(u.iter()).copied().filter(|x| *x < cal.threshold).fold(f32::NEG_INFINITY, f32::max);
        let above = a.iter().chain(u.iter()).copied().filter(|x| *x >= cal.threshold).fold(f32::INFINITY, f32::min);
        if below.is_finite() && above.is_finite() {
            cal.threshold = (below + above) / 2.0;
        }
        cal.balanced_accuracy = {
            let tpr = a.iter().filter(|x| **x >= cal.threshold).count() as f32 / a.len() as f32;
            let tnr = u.iter().filter(|x| **x < cal.threshold).count() as f32 / u.len() as f32;
            (tpr + tnr) / 2.0
        };
        cal
    }

    /// True when the evidence is too weak to answer.
    pub fn should_decline(&self, evidence: &Evidence) -> bool {
        evidence.combined(self.coverage_weight) < self.threshold
    }
}

/// Off-topic probes used as the unanswerable side of the calibration
/// (personal trivia and general knowledge no work document answers).
pub fn calibration_probes() -> Vec<(&'static str, Lang)> {
    let en = [
        "What is your favourite colour?",
        "What is your home address?",
        "What is your phone number?",
        "What car do you drive?",
        "What is the capital of Peru?",
        "How do I bake sourdough bread?",
        "Who won the football world cup in 1998?",
        "What is your blood type?",
        "What is your favourite food?",
        "How tall is Mount Everest?",
        "What did you have for dinner yesterday?",
        "What is your salary?",
    ];
    let zh = [
        "你最喜欢什么颜色？",
        "你家住在哪里？",
        "你的电话号码是多少？",
        "你开什么车？",
        "秘鲁的首都是哪里？",
        "怎么做酸面包？",
        "你的血型是什么？",
        "你最喜欢吃什么？",
        "珠穆朗玛峰有多高？",
        "你的工资是多少？",
    ];
    en.into_iter().map(|q| (q, Lang::En)).chain(zh.into_iter().map(|q| (q, Lang::Zh))).collect()
}

const MODEL_DECLINE_EN: &[&str] = &[
    "not_in_notes",
    "not in my notes",
    "isn't in my notes",
    "is not in my notes",
    "not in the sources",
    "not in my sources",
    "no information",
    "don't have information",
    "do not have information",
    "don't have any information",
    "don't know",
    "do not know",
    "can't find",
    "cannot find",
    "couldn't find",
    "not mentioned",
    "no mention",
    "not provided",
    "unable to answer",
    "cannot answer",
    "can't answer",
    "sources do not",
    "sources don't",
    "notes don't",
    "notes do not",
    "not covered",
    "no details",
    "don't have details",
    "not specified",
    "doesn't say",
    "does not say",
    "don't say",
];
const MODEL_DECLINE_ZH: &[&str] = &[
    "我的资料里没有",
    "资料里没有",
    "资料中没有",
    "笔记里没有",
    "没有这方面",
    "没有相关",
    "不知道",
    "无法回答",
    "没有提到",
    "未提及",
    "没有提及",
    "找不到",
    "不清楚",
    "没有找到",
    "未提供",
    "没有提供",
];

/// True when the model's answer says the sources cannot support it. Only
/// the first sentence or a short answer counts, so "I don't know the exact
/// date, but it was March [1]" is an answer, not a decline.
pub fn model_declined(answer: &str) -> bool {
    let lower = answer.to_lowercase();
    if lower.trim().is_empty() {
        return true;
    }
    let has = |hay: &str| MODEL_DECLINE_EN.iter().chain(MODEL_DECLINE_ZH).any(|p| hay.contains(p));
    let first: String = alter_persona::text::sentences(&lower).into_iter().next().unwrap_or_default();
    let short = lower.split_whitespace().count() <= 25 && lower.chars().count() <= 120;
    has(&first) && (short || !lower.contains('['))
}

/// Options for the decline line.
#[derive(Debug, Clone, Default)]
pub struct DeclineLine<'a> {
    pub owner: &'a str,
    /// Topics the twin does know about (e.g. document headings), for the suggestion.
    pub topics: &'a [String],
}

/// The decline in the user's language: "That isn't in my notes — you could ask …".
pub fn decline_message(lang: Lang, line: &DeclineLine<'_>) -> String {
    let topics: Vec<&str> = line.topics.iter().map(|t| t.trim()).filter(|t| !t.is_empty()).take(2).collect();
    let owner = line.owner.trim();
    match lang {
        Lang::Zh => {
            let mut s = String::from("我的资料里没有这方面的信息。");
            if !topics.is_empty() {
                s.push_str(&format!("你可以问我关于{}的问题", topics.join("或")));
                s.push_str(if owner.is_empty() { "。" } else { "，" });
            }
            if !owner.is_empty() {
                s.push_str(&format!("{}直接问{owner}本人。", if topics.is_empty() { "你可以" } else { "或者" }));
            }
            s
        }
        _ => {
            let mut s = String::from("That isn't in my notes");
            match (topics.is_empty(), owner.is_empty()) {
                (false, false) => {
                    s.push_str(&format!(" — you could ask me about {}, or ask {owner} directly.", topics.join(" or ")))
                }
                (false, true) => s.push_str(&format!(" — you could ask me about {}.", topics.join(" or "))),
                (true, false) => s.push_str(&format!(" — you could ask {owner} directly.")),
                (true, true) => s.push('.'),
            }
            s
        }
    }
}

/// The polite reply to a question in a language the twin does not speak,
/// written in the twin's first language.
pub fn unsupported_language_message(reply_in: Lang) -> String {
    match reply_in {
        Lang::Zh => "抱歉，我只能用中文或英文交流。请用中文或英文再问一次。".to_owned(),
        _ => "Sorry, I can only talk in English or Chinese. Could you ask again in English or Chinese?".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(cosine: f32, coverage: f32) -> Evidence {
        Evidence { cosine, coverage }
    }

    #[test]
    fn calibration_separates_and_is_stable() {
        let a = [ev(0.86, 1.0), ev(0.84, 0.5), ev(0.88, 0.66), ev(0.83, 0.5), ev(0.85, 0.75)];
        let u = [ev(0.78, 0.0), ev(0.80, 0.0), ev(0.79, 0.33), ev(0.77, 0.0)];
        let cal = DeclineCalibration::fit(&a, &u);
        assert!(!cal.fallback);
        assert_eq!(cal.balanced_accuracy, 1.0, "{cal:?}");
        for e in &a {
            assert!(!cal.should_decline(e), "{e:?} {cal:?}");
        }
        for e in &u {
            assert!(cal.should_decline(e), "{e:?} {cal:?}");
        }
        // Too little data: never decline on evidence.
        let fallback = DeclineCalibration::fit(&a[..1], &u);
        assert!(fallback.fallback && !fallback.should_decline(&ev(0.0, 0.0)));
        let json = serde_json::to_string(&cal).expect("serialises");
        assert_eq!(serde_json::from_str::<DeclineCalibration>(&json).expect("reads back"), cal);
    }

    #[test]
    fn evidence_measures_coverage() {
        let s = vec![Source {
            cosine: Some(0.8),
            ..Source::new("depots.csv", "row 3", "", "depot: D02, city: Antwerp, vans: 35")
        }];
        let e = Evidence::of("How many vans does the Antwerp depot have?", &s);
        assert_eq!(e.cosine, 0.8);
        assert!(e.coverage > 0.6, "{e:?}");
        assert_eq!(Evidence::of("What is your favourite food?", &s).coverage, 0.0);
        assert_eq!(Evidence::of("", &[]), Evidence::default());
    }

    #[test]
    fn model_declines_detected() {
        assert!(model_declined("That isn't in my notes."));
        assert!(model_declined("NOT_IN_NOTES"));
        assert!(model_declined("The sources don't say what my favourite food is."));
        assert!(model_declined("我的资料里没有这方面的信息。"));
        assert!(model_declined(""));
        assert!(!model_declined("I joined Bluefin in September 2021 [1]."));
        assert!(!model_declined("需求评审每两周一次[1]。"));
    }

    #[test]
    fn decline_lines() {
        let topics = vec!["Dispatch Planner".to_string(), "our depots".to_string()];
        assert_eq!(
            decline_message(Lang::En, &DeclineLine { owner: "Maya", topics: &topics }),
            "That isn't in my notes — you could ask me about Dispatch Planner or our depots, or ask Maya directly."
        );
        assert_eq!(
            decline_message(Lang::Zh, &DeclineLine { owner: "Maya", topics: &[] }),
            "我的资料里没有这方面的信息。你可以直接问Maya本人。"
        );
        assert_eq!(decline_message(Lang::Other, &DeclineLine::default()), "That isn't in my notes.");
    }
}
