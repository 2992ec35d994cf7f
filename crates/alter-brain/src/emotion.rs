//! The user's emotion from their words (English and Chinese lexicon + rules)
//! and, when speech was the input, prosody hints; and the emotion of the reply.
//!
//! No text emotion model ships, so words are read with a small lexicon:
//! each cue adds weight to one emotion; a negation just before a cue ("not
//! happy", "不开心", "not worried") flips or cancels it; intensifiers
//! ("very", "非常") strengthen it; "!"/"?!" patterns mark surprise or
//! arousal. Prosody is weak evidence for valence and better for arousal, so
//! it only tips decisions between close candidates or when the words are
//! neutral. The labelled set in `tests/data/emotion.jsonl` measures it.

use serde::{Deserialize, Serialize};

/// What the user seems to feel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum UserEmotion {
    Neutral,
    Happy,
    Sad,
    Angry,
    Anxious,
    Surprised,
}

/// How the twin should sound and look when it replies; drives the face and the voice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReplyEmotion {
    Neutral,
    Happy,
    Concerned,
    Surprised,
    Sad,
}

impl ReplyEmotion {
    pub fn as_str(self) -> &'static str {
        match self {
            ReplyEmotion::Neutral => "neutral",
            ReplyEmotion::Happy => "happy",
            ReplyEmotion::Concerned => "concerned",
            ReplyEmotion::Surprised => "surprised",
            ReplyEmotion::Sad => "sad",
        }
    }
}

/// Prosody hints from the voice (same scale as the audio crate's `Prosody`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct ProsodyHints {
    /// -1 calm … +1 excited/tense.
    pub arousal: f32,
    /// -1 negative … +1 positive.
    pub valence: f32,
    pub arousal_confidence: f32,
    pub valence_confidence: f32,
}

/// The reading of one utterance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EmotionReading {
    pub user: UserEmotion,
    /// In `[0, 1]`.
    pub confidence: f32,
    pub reply: ReplyEmotion,
}

type Cue = (&'static str, UserEmotion, f32);

use UserEmotion::{Angry, Anxious, Happy, Sad, Surprised};

const EN_CUES: &[Cue] = &[
    ("happy", Happy, 1.0),
    ("glad", Happy, 1.0),
    ("great", Happy, 0.8),
    ("awesome", Happy, 1.0),
    ("love", Happy, 0.9),
    ("excellent", Happy, 1.0),
    ("wonderful", Happy, 1.0),
    ("thanks", Happy, 0.6),
    ("thank", Happy, 0.6),
    ("excited", Happy, 1.0),
    ("amazing", Happy, 0.8),
    ("fantastic", Happy, 1.0),
    ("pleased", Happy, 1.0),
    ("delighted", Happy, 1.0),
    ("nice", Happy, 0.6),
    ("yay", Happy, 1.0),
    ("congrats", Happy, 1.0),
    ("congratulations", Happy, 1.0),
    ("good news", Happy, 1.2),
    ("perfect", Happy, 0.8),
    ("enjoy", Happy, 0.7),
    ("enjoyed", Happy, 0.7),
    ("proud", Happy, 0.9),
    ("helpful", Happy, 0.6),
    ("celebrate", Happy, 1.0),
    ("sad", Sad, 1.0),
    ("unhappy", Sad, 1.0),
    ("depressed", Sad, 1.2),
    ("miss", Sad, 0.7),
    ("lonely", Sad, 1.0),
    ("cry", Sad, 1.0),
    ("crying", Sad, 1.0),
    ("heartbroken", Sad, 1.2),
    ("disappointed", Sad, 1.0),
    ("disappointing", Sad, 0.9),
    ("passed away", Sad, 1.5),
    ("died", Sad, 1.2),
    ("lost my", Sad, 1.0),
    ("laid off", Sad, 1.2),
    ("let go", Sad, 0.6),
    ("down", Sad, 0.4),
    ("upset", Sad, 0.7),
    ("sorry", Sad, 0.4),
    ("tired", Sad, 0.5),
    ("exhausted", Sad, 0.7),
    ("hopeless", Sad, 1.2),
    ("bad news", Sad, 1.2),
    ("gloomy", Sad, 1.0),
    ("angry", Angry, 1.2),
    ("annoyed", Angry, 1.0),
    ("annoying", Angry, 1.0),
    ("furious", Angry, 1.5),
    ("ridiculous", Angry, 1.0),
    ("unacceptable", Angry, 1.2),
    ("hate", Angry, 1.0),
    ("frustrated", Angry, 1.0),
    ("frustrating", Angry, 1.0),
    ("fed up", Angry, 1.2),
    ("sick of", Angry, 1.2),
    ("mad", Angry, 0.9),
    ("terrible", Angry, 0.7),
    ("awful", Angry, 0.7),
    ("useless", Angry, 1.0),
    ("broken again", Angry, 1.2),
    ("stupid", Angry, 1.0),
    ("outrageous", Angry, 1.2),
    ("waste of time", Angry, 1.0),
    ("again?!", Angry, 0.8),
    ("worried", Anxious, 1.0),
    ("worry", Anxious, 0.9),
    ("anxious", Anxious, 1.2),
    ("nervous", Anxious, 1.0),
    ("afraid", Anxious, 1.0),
    ("scared", Anxious, 1.0),
    ("stressed", Anxious, 1.0),
    ("stress", Anxious, 0.8),
    ("panic", Anxious, 1.2),
    ("deadline", Anxious, 0.5),
    ("urgent", Anxious, 0.8),
    ("concerned", Anxious, 0.9),
    ("overwhelmed", Anxious, 1.1),
    ("fear", Anxious, 1.0),
    ("what if", Anxious, 0.6),
    ("unsure", Anxious, 0.5),
    ("not sure", Anxious, 0.5),
    ("asap", Anxious, 0.6),
    ("help me", Anxious, 0.5),
    ("wow", Surprised, 1.2),
    ("really?", Surprised, 1.0),
    ("no way", Surprised, 1.2),
    ("unbelievable", Surprised, 1.0),
    ("surprised", Surprised, 1.2),
    ("surprising", Surprised, 1.0),
    ("shocked", Surprised, 1.2),
    ("unexpected", Surprised, 1.0),
    ("can't believe", Surprised, 1.1),
    ("whoa", Surprised, 1.2),
    ("didn't expect", Surprised, 1.0),
    ("seriously?", Surprised, 1.0),
    ("oh!", Surprised, 0.8),
];

const ZH_CUES: &[Cue] = &[
    ("开心", Happy, 1.0),
    ("高兴", Happy, 1.0),
    ("太好了", Happy, 1.2),
    ("棒", Happy, 0.9),
    ("喜欢", Happy, 0.8),
    ("谢谢", Happy, 0.6),
    ("感谢", Happy, 0.6),
    ("满意", Happy, 0.9),
    ("不错", Happy, 0.7),
    ("好消息", Happy, 1.2),
    ("兴奋", Happy, 1.0),
    ("恭喜", Happy, 1.0),
    ("哈哈", Happy, 1.0),
    ("幸福", Happy, 1.0),
    ("愉快", Happy, 1.0),
    ("赞", Happy, 0.8),
    ("顺利", Happy, 0.7),
    ("激动", Happy, 0.8),
    ("难过", Sad, 1.0),
    ("伤心", Sad, 1.1),
    ("失望", Sad, 1.0),
    ("沮丧", Sad, 1.0),
    ("想念", Sad, 0.7),
    ("哭", Sad, 1.0),
    ("孤单", Sad, 1.0),
    ("去世", Sad, 1.5),
    ("被裁", Sad, 1.2),
    ("失去", Sad, 0.9),
    ("遗憾", Sad, 0.9),
    ("累", Sad, 0.5),
    ("郁闷", Sad, 1.0),
    ("坏消息", Sad, 1.2),
    ("心情不好", Sad, 1.2),
    ("低落", Sad, 1.0),
    ("生气", Angry, 1.2),
    ("气死", Angry, 1.5),
    ("愤怒", Angry, 1.3),
    ("烦", Angry, 0.9),
    ("讨厌", Angry, 1.0),
    ("受够", Angry, 1.3),
    ("离谱", Angry, 1.1),
    ("垃圾", Angry, 1.0),
    ("太差", Angry, 1.0),
    ("不可理喻", Angry, 1.3),
    ("恼火", Angry, 1.2),
    ("什么鬼", Angry, 1.0),
    ("浪费时间", Angry, 1.0),
    ("又坏了", Angry, 1.2),
    ("担心", Anxious, 1.0),
    ("焦虑", Anxious, 1.2),
    ("紧张", Anxious, 1.0),
    ("害怕", Anxious, 1.0),
    ("着急", Anxious, 1.0),
    ("急", Anxious, 0.6),
    ("压力", Anxious, 0.9),
    ("怕", Anxious, 0.7),
    ("不安", Anxious, 1.0),
    ("来不及", Anxious, 1.0),
    ("慌", Anxious, 1.0),
    ("万一", Anxious, 0.6),
    ("怎么办", Anxious, 0.8),
    ("哇", Surprised, 1.2),
    ("真的吗", Surprised, 1.1),
    ("居然", Surprised, 1.0),
    ("竟然", Surprised, 1.0),
    ("没想到", Surprised, 1.1),
    ("惊讶", Surprised, 1.2),
    ("吃惊", Surprised, 1.2),
    ("不敢相信", Surprised, 1.2),
    ("天哪", Surprised, 1.1),
    ("震惊", Surprised, 1.2),
    ("意外", Surprised, 0.9),
];

const EN_NEGATIONS: &[&str] = &[
    "not", "no", "never", "don't", "dont", "isn't", "wasn't", "aren't", "didn't", "doesn't", "hardly", "without",
    "nothing",
];
const ZH_NEGATIONS: &[&str] = &["不", "没", "没有", "别", "并不", "不太", "不是", "无"];
const EN_INTENSIFIERS: &[&str] = &["very", "so", "really", "extremely", "super", "totally", "incredibly", "too"];
const ZH_INTENSIFIERS: &[&str] = &["非常", "特别", "太", "好", "真", "超", "十分", "很"];

/// What a negated cue means: happy → sad-ish, negative → cancelled.
fn negate(e: UserEmotion) -> Option<UserEmotion> {
    match e {
        Happy => Some(Sad),
        _ => None,
    }
}

fn is_word_boundary(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
}

/// Reads the emotion of the user's words alone: scores per emotion.
fn text_scores(text: &str) -> [f32; 6] {
    let lower: String = text.chars().take(2_000).collect::<String>().to_lowercase();
    let mut scores = [0.0f32; 6];
    let mut covered: Vec<(usize, usize)> = Vec::new();
    // Longest cues first so "good news" wins over "good", "不开心" over "开心".
    let mut cues: Vec<&Cue> = EN_CUES.iter().chain(ZH_CUES.iter()).collect();
    cues.sort_by_key(|c| std::cmp::Reverse(c.0.len()));
    for &(cue, emotion, weight) in cues {
        let han = !cue.is_ascii();
        for (start, _) in lower.match_indices(cue) {
            let end = start + cue.len();
            let alnum_edges = cue.chars().next().is_some_and(char::is_alphanumeric)
                && cue.chars().last().is_some_and(char::is_alphanumeric);
            if !han && alnum_edges && !is_word_boundary(&lower, start, end) {
                continue;
            }
            if covered.iter().any(|&(s, e)| start < e && end > s) {
                continue;
            }
            covered.push((start, end));
            let before = &lower[..start];
            let (negated, intense) = if han {
                let window: String = before.chars().rev().take(3).collect::<Vec<_>>().into_iter().rev().collect();
                (ZH_NEGATIONS.iter().any(|n| window.contains(n)), ZH_INTENSIFIERS.iter().any(|n| window.contains(n)))
            } else {
                let prev: Vec<&str> = before
                    .split(|c: char| !c.is_alphanumeric() && c != '\'')
                    .filter(|w| !w.is_empty())
                    .rev()
                    .take(3)
                    .collect();
                (
                    prev.iter().any(|w| EN_NEGATIONS.contains(w)),
                    prev.first().is_some_and(|w| EN_INTENSIFIERS.contains(w)),
                )
            };
            let w = weight * if intense { 1.5 } else { 1.0 };
            match (negated, negate(emotion)) {
                (false, _) => scores[emotion as usize] += w,
                (true, Some(flipped)) => scores[flipped as usize] += w * 0.6,
                (true, None) => {}
            }
        }
    }
    let exclaims = lower.matches(['!', '！']).count() as f32;
    if lower.contains("?!") || lower.contains("？！") || lower.contains("!?") {
        scores[Surprised as usize] += 0.8;
    }
    // Exclamation amplifies whatever is already there.
    if exclaims > 0.0 {
        for s in scores.iter_mut().skip(1) {
            *s *= 1.0 + 0.2 * exclaims.min(3.0);
        }
    }
    scores
}

const ALL: [UserEmotion; 6] = [UserEmotion::Neutral, Happy, Sad, Angry, Anxious, Surprised];

/// Reads the user's emotion from their words and optional prosody hints.
pub fn read_emotion(text: &str, prosody: Option<&ProsodyHints>) -> EmotionReading {
    let mut scores = text_scores(text);
    if let Some(p) = prosody {
        let a = p.arousal.clamp(-1.0, 1.0) * p.arousal_confidence.clamp(0.0, 1.0);
        let v = p.valence.clamp(-1.0, 1.0) * p.valence_confidence.clamp(0.0, 1.0);
        // Voice tips the balance: tense and negative → angry/anxious, low and negative → sad, bright → happy.
        // A clear, confident voice alone can carry neutral words past the threshold (0.5).
        if v > 0.2 {
            scores[Happy as usize] += 0.6 * v;
        }
        if v < -0.2 && a > 0.3 {
            scores[Angry as usize] += 0.3 * a;
            scores[Anxious as usize] += 0.25 * a;
        }
        if v < -0.2 && a < -0.2 {
            scores[Sad as usize] += 0.8 * (-a).min(-v);
        }
        if a > 0.5 {
            // High arousal strengthens what the words already say.
            for s in scores.iter_mut().skip(1) {
                *s *= 1.0 + 0.3 * a;
            }
        }
    }
    let (best, &score) = scores.iter().enumerate().skip(1).max_by(|a, b| a.1.total_cmp(b.1)).unwrap_or((0, &0.0));
    let user = if score < 0.5 { UserEmotion::Neutral } else { ALL[best] };
    let confidence = if user == UserEmotion::Neutral { 1.0 - score.min(0.5) } else { (score / (score + 1.0)).min(1.0) };
    EmotionReading { user, confidence, reply: reply_for(user) }
}

/// The reply's emotion for the user's.
pub fn reply_for(user: UserEmotion) -> ReplyEmotion {
    match user {
        UserEmotion::Neutral => ReplyEmotion::Neutral,
        Happy => ReplyEmotion::Happy,
        Sad => ReplyEmotion::Sad,
        Angry | Anxious => ReplyEmotion::Concerned,
        Surprised => ReplyEmotion::Surprised,
    }
}

/// One labelled sentence of the evaluation set.
#[derive(Debug, Clone, Deserialize)]
pub struct LabelledSentence {
    pub text: String,
    pub lang: String,
    pub label: UserEmotion,
}

/// Accuracy of [`read_emotion`] (text only) on labelled sentences, overall and per language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EmotionAccuracy {
    pub n: usize,
    pub accuracy: f32,
    pub accuracy_en: f32,
    pub accuracy_zh: f32,
    /// Always-"neutral" baseline on the same set.
    pub majority_baseline: f32,
    pub errors: Vec<(String, UserEmotion, UserEmotion)>,
}

/// Scores the lexicon on a JSON-lines labelled set (`{"text","lang","label"}`).
pub fn evaluate(jsonl: &str) -> Result<EmotionAccuracy, String> {
    let mut rows = Vec::new();
    for (i, line) in jsonl.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let row: LabelledSentence = serde_json::from_str(line).map_err(|e| format!("line {}: {e}", i + 1))?;
        rows.push(row);
    }
    let acc = |lang: Option<&str>| {
        let subset: Vec<&LabelledSentence> = rows.iter().filter(|r| lang.is_none_or(|l| r.lang == l)).collect();
        let ok = subset.iter().filter(|r| read_emotion(&r.text, None).user == r.label).count();
        if subset.is_empty() { 0.0 } else { ok as f32 / subset.len() as f32 }
    };
    let neutral = rows.iter().filter(|r| r.label == UserEmotion::Neutral).count();
    Ok(EmotionAccuracy {
        n: rows.len(),
        accuracy: acc(None),
        accuracy_en: acc(Some("en")),
        accuracy_zh: acc(Some("zh")),
        majority_baseline: if rows.is_empty() { 0.0 } else { neutral as f32 / rows.len() as f32 },
        errors: rows
            .iter()
            .filter_map(|r| {
                let got = read_emotion(&r.text, None).user;
                (got != r.label).then(|| (r.text.clone(), r.label, got))
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_cases_and_negation() {
        assert_eq!(read_emotion("When did you join Bluefin?", None).user, UserEmotion::Neutral);
        assert_eq!(read_emotion("I'm so happy the release went well!", None).user, Happy);
        assert_eq!(read_emotion("I'm not happy with this at all.", None).user, Sad);
        assert_eq!(read_emotion("I'm not worried about it.", None).user, UserEmotion::Neutral);
        assert_eq!(read_emotion("我今天不开心。", None).user, Sad);
        assert_eq!(read_emotion("我不担心这个。", None).user, UserEmotion::Neutral);
        assert_eq!(read_emotion("系统又坏了，真是气死我了！", None).user, Angry);
        assert_eq!(read_emotion("", None).user, UserEmotion::Neutral);
        assert_eq!(read_emotion(&"\u{0}\u{1}".repeat(30_000), None).user, UserEmotion::Neutral);
    }

    #[test]
    fn prosody_tips_neutral_words() {
        let calm = read_emotion("The report is done.", None);
        assert_eq!(calm.user, UserEmotion::Neutral);
        let low = ProsodyHints { arousal: -0.8, valence: -0.7, arousal_confidence: 1.0, valence_confidence: 1.0 };
        assert_eq!(read_emotion("The report is done.", Some(&low)).user, Sad);
        let bright = ProsodyHints { arousal: 0.6, valence: 0.9, arousal_confidence: 1.0, valence_confidence: 1.0 };
        assert_eq!(read_emotion("The report is done.", Some(&bright)).user, Happy);
        // Weak prosody does not override clear words.
        let weak = ProsodyHints { arousal: 0.9, valence: 0.9, arousal_confidence: 0.2, valence_confidence: 0.1 };
        assert_eq!(read_emotion("I'm really worried about the deadline.", Some(&weak)).user, Anxious);
    }

    #[test]
    fn labelled_set_accuracy() {
        let data = include_str!("../tests/data/emotion.jsonl");
        let acc = evaluate(data).expect("the labelled set parses");
        println!(
            "emotion accuracy {:.3} (en {:.3}, zh {:.3}) on {} sentences; always-neutral baseline {:.3}",
            acc.accuracy, acc.accuracy_en, acc.accuracy_zh, acc.n, acc.majority_baseline
        );
        for (text, want, got) in &acc.errors {
            println!("  miss: {text:?} labelled {want:?}, read {got:?}");
        }
        assert!(acc.n >= 60);
        assert!(acc.accuracy >= 0.8, "emotion accuracy {:.3} below 0.8", acc.accuracy);
        assert!(acc.accuracy > acc.majority_baseline + 0.3);
    }
}
