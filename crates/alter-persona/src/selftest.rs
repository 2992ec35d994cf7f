//! The build's self-test: questions generated from the twin's own documents
//! (plus a few they cannot answer), and the report card.
//!
//! Questions come from two shapes of text: table rows ("column: value"
//! pairs, or a CSV header with its rows), asked as people ask them ("How
//! many vans does Antwerp have?"), and fact sentences carrying a number or a
//! date, asked in place as echo questions in the second person ("I joined in
//! September 2021" → "You joined when?"). Generation is rule-based and
//! deterministic, so a rebuilt twin is tested on the same questions. Unanswerable probes are kept only
//! when none of their content words occur in the documents. Grading uses the
//! same functions as `alter eval` ([`crate::eval`]).

use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::eval::{EvalQuestion, EvalReport};
use crate::facts::OwnerText;
use crate::lang::{self, Lang, is_han};
use crate::text;

/// Options for [`generate_questions`].
#[derive(Debug, Clone)]
pub struct GenerateOptions {
    /// Answerable questions, at most.
    pub max_answerable: usize,
    /// Unanswerable questions, at most.
    pub max_unanswerable: usize,
}

impl Default for GenerateOptions {
    fn default() -> Self {
        Self { max_answerable: 12, max_unanswerable: 4 }
    }
}

fn date_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"\b(?:\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December) (?:19|20)\d\d|(?:January|February|March|April|May|June|July|August|September|October|November|December) (?:\d{1,2}, )?(?:19|20)\d\d|(?:19|20)\d\d-\d\d-\d\d)\b",
        )
        .expect("static regex compiles")
    })
}

fn quantity_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\b(\d+(?:\.\d+)?)(?: ?%| (?:percent|minutes|hours|days|weeks|months|years|depots|vans|engineers|people|users|customers|[a-z]+s)\b)")
            .expect("static regex compiles")
    })
}

fn zh_number_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(\d+(?:\.\d+)?|[一二两三四五六七八九十百千万]+)(个|分钟|小时|天|周|月|年|点|次|人|%|倍)")
            .expect("static regex compiles")
    })
}

fn pair_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"([A-Za-z\p{Han}][\w \p{Han}]{0,30}?)\s*[:：=]\s*([^;|,，；\n]{1,60})")
            .expect("static regex compiles")
    })
}

/// Key/value rows found in a text: "depot: D02, city: Antwerp, vans: 35"
/// lines, or a CSV header followed by rows.
fn table_rows(text: &str) -> Vec<Vec<(String, String)>> {
    let mut rows = Vec::new();
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    for l in &lines {
        let pairs: Vec<(String, String)> = pair_re()
            .captures_iter(l)
            .filter_map(|c| Some((c.get(1)?.as_str().trim().to_owned(), c.get(2)?.as_str().trim().to_owned())))
            .collect();
        if pairs.len() >= 2 {
            rows.push(pairs);
        }
    }
    if rows.is_empty() && lines.len() >= 2 {
        let header: Vec<&str> = lines[0].split(',').map(str::trim).collect();
        let csv_like = header.len() >= 2 && header.iter().all(|h| !h.is_empty() && h.len() < 40);
        if csv_like {
            for l in &lines[1..] {
                let cells: Vec<&str> = l.split(',').map(str::trim).collect();
                if cells.len() == header.len() {
                    rows.push(header.iter().zip(cells).map(|(h, c)| (h.to_string(), c.to_owned())).collect());
                }
            }
        }
    }
    rows
}

fn is_id_like(v: &str) -> bool {
    let letters = v.chars().filter(|c| c.is_alphabetic()).count();
    letters <= 1 || v.chars().filter(|c| c.is_ascii_digit()).count() * 2 >= v.chars().count()
}

fn table_question(row: &[(String, String)]) -> Option<(String, String, Lang)> {
    // The row's name: the most word-like value; the asked value: a number if there is one.
    let (key_col, key_val) = row.iter().filter(|(_, v)| !is_id_like(v)).max_by_key(|(_, v)| v.chars().count())?;
    let numeric = |v: &str| !v.is_empty() && v.chars().all(|c| c.is_ascii_digit() || c == '.');
    let (col, val) = row
        .iter()
        .filter(|(c, _)| c != key_col)
        .find(|(_, v)| numeric(v))
        .or_else(|| row.iter().find(|(c, _)| c != key_col))?;
    if col.chars().any(is_han) || key_val.chars().any(is_han) {
        return Some((format!("{key_val}的{col}是多少？"), val.clone(), Lang::Zh));
    }
    let label = col.replace(['_', '-'], " ").trim().to_lowercase();
    // A counted thing ("vans", "engineers") is asked as people ask it.
    let counted = numeric(val) && label.ends_with('s') && !label.ends_with("ss") && !label.contains(' ');
    let question = if counted {
        format!("How many {label} does {key_val} have?")
    } else {
        format!("What is the {label} of {key_val}?")
    };
    Some((question, val.clone(), Lang::En))
}

/// English first person turned to the second, as someone asking the owner
/// would say it ("I joined" → "you joined", "my team" → "your team").
fn to_second_person(sentence: &str) -> String {
    let mut out = Vec::new();
    let words: Vec<&str> = sentence.split(' ').collect();
    for (i, w) in words.iter().enumerate() {
        let core = w.trim_end_matches([',', ';', ':', '.']);
        let tail = &w[core.len()..];
        let swapped = match core {
            "I" | "me" | "We" | "we" | "us" => Some(if i == 0 { "You" } else { "you" }),
            "My" | "Our" => Some("Your"),
            "my" | "our" => Some("your"),
            "I'm" | "I’m" => Some(if i == 0 { "You're" } else { "you're" }),
            "I've" | "I’ve" => Some(if i == 0 { "You've" } else { "you've" }),
            "mine" | "ours" => Some("yours"),
            "myself" | "ourselves" => Some("yourself"),
            "am" => Some("are"),
            "was" if i > 0 && matches!(words[i - 1], "I" | "we" | "We") => Some("were"),
            _ => None,
        };
        match swapped {
            Some(s) => out.push(format!("{s}{tail}")),
            None => out.push((*w).to_owned()),
        }
    }
    out.join(" ")
}

/// Number words a quantity may be written with ("four engineers").
const NUMBER_WORDS: &[&str] = &[
    "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "twenty", "fifty",
    "hundred",
];

/// A quantity written in words: its byte offset, the number word and the
/// counted noun ("four engineers").
fn number_word(sentence: &str) -> Option<(usize, &str, &str)> {
    let mut words = Vec::new();
    let mut at = 0;
    for w in sentence.split(' ') {
        words.push((at, w));
        at += w.len() + 1;
    }
    words.windows(2).find_map(|pair| {
        let ((at, word), (_, next)) = (pair[0], pair[1]);
        let unit = next.trim_end_matches([',', ';', ':', '.']);
        let counted = unit.len() > 2 && unit.ends_with('s') && unit.chars().all(|c| c.is_ascii_lowercase());
        (NUMBER_WORDS.contains(&word.to_lowercase().as_str()) && counted).then_some((at, word, unit))
    })
}

/// An English echo question: the date or quantity of a fact sentence is
/// replaced in place by "when" or "how many …", the rest kept as written
/// ("Dispatch Planner 3.0 shipped on 4 March 2025." → "Dispatch Planner 3.0
/// shipped when?"). Small models answer these as they answer a person.
fn english_question(sentence: &str) -> Option<(String, String)> {
    let sentence = to_second_person(sentence.trim().trim_end_matches(['.', '!', ';', ' ']));
    let (start, end, ask, answer) = if let Some(d) = date_re().find(&sentence) {
        // "on 4 March 2025" and "in September 2021" lose their preposition; "since 2021" becomes "since when".
        let before = &sentence[..d.start()];
        let lead = ["on ", "in "].iter().find(|p| before.ends_with(*p)).map_or(0, |p| p.len());
        (d.start() - lead, d.end(), "when".to_owned(), d.as_str().to_owned())
    } else if let Some(c) = quantity_re().captures(&sentence) {
        let (whole, number) = (c.get(0)?, c.get(1)?);
        let unit = sentence[number.end()..whole.end()].trim();
        let ask = match unit {
            "%" | "percent" => "what percentage".to_owned(),
            u => format!("how many {u}"),
        };
        (whole.start(), whole.end(), ask, number.as_str().to_owned())
    } else {
        let (at, word, unit) = number_word(&sentence)?;
        (at, at + word.len() + 1 + unit.len(), format!("how many {unit}"), word.to_lowercase())
    };
    let question = format!("{}{ask}{}?", &sentence[..start], &sentence[end..]);
    let question = question.replace(" ,", ",").replace(" ?", "?");
    let mut chars = question.chars();
    let first = chars.next()?;
    Some((first.to_uppercase().chain(chars).collect(), answer))
}

fn sentence_question(sentence: &str) -> Option<(String, String, Lang)> {
    let lang = lang::detect(sentence);
    match lang {
        Lang::Zh => {
            let m = zh_number_re().captures(sentence)?;
            let (num, unit) = (m.get(1)?, m.get(2)?);
            let ask = if unit.as_str() == "点" || num.as_str().chars().all(|c| !c.is_ascii_digit()) {
                "几"
            } else {
                "多少"
            };
            let mut q = String::new();
            q.push_str(&sentence[..num.start()]);
            q.push_str(ask);
            q.push_str(&sentence[num.end()..]);
            let q = q.trim_end_matches(['。', '；', '！', '.', ' ']).to_owned() + "？";
            Some((q, num.as_str().to_owned(), lang))
        }
        Lang::En => english_question(sentence).map(|(q, a)| (q, a, lang)),
        Lang::Other => None,
    }
}

const PROBES_EN: &[&str] = &[
    "What is your favourite film?",
    "What car do you drive?",
    "What is your blood type?",
    "Which football team do you support?",
    "What did you have for breakfast today?",
];
const PROBES_ZH: &[&str] =
    &["你最喜欢的电影是什么？", "你开什么车？", "你的血型是什么？", "你支持哪支足球队？", "你今天早餐吃了什么？"];

/// Joins lines that a PDF or a narrow page wrapped mid-sentence (the next
/// line goes on in lower case), so that sentences come out whole.
fn unwrap_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous = "";
    for line in text.lines() {
        let line = line.trim();
        let continues = line.chars().next().is_some_and(|c| c.is_lowercase())
            && !previous.is_empty()
            && !previous.starts_with('#')
            && !previous.ends_with(['.', '!', '?', ':', '。', '！', '？']);
        previous = line;
        if continues {
            out.push(' ');
        } else if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(line);
    }
    out
}

/// Generates self-test questions from document chunks.
pub fn generate_questions(chunks: &[OwnerText], options: &GenerateOptions) -> Vec<EvalQuestion> {
    let mut answerable: Vec<EvalQuestion> = Vec::new();
    let mut seen_answers: Vec<(String, String)> = Vec::new();
    let mut push = |q: String, answer: String, lang: Lang, file: &str, out: &mut Vec<EvalQuestion>| {
        if seen_answers.iter().any(|(f, a)| f == file && a == &answer) {
            return;
        }
        seen_answers.push((file.to_owned(), answer.clone()));
        out.push(EvalQuestion {
            id: format!("self-{:02}", out.len() + 1),
            lang: lang.code().to_owned(),
            question: q,
            expect_any: vec![answer],
            source: Some(file.to_owned()),
            answerable: true,
        });
    };
    // Round-robin over documents so one big file does not take every slot.
    let mut per_doc: Vec<Vec<(String, String, Lang, String)>> = Vec::new();
    for c in chunks {
        let mut found = Vec::new();
        for row in table_rows(&c.text) {
            if let Some((q, a, l)) = table_question(&row) {
                found.push((q, a, l, c.source.file.clone()));
            }
        }
        for s in text::sentences(&unwrap_lines(&c.text)) {
            if s.chars().count() > 300 || pair_re().find_iter(&s).count() >= 2 {
                continue;
            }
            if let Some((q, a, l)) = sentence_question(&s) {
                found.push((q, a, l, c.source.file.clone()));
            }
        }
        match per_doc.iter().position(|d| d.first().is_some_and(|f| f.3 == c.source.file)) {
            Some(i) => per_doc[i].extend(found),
            None if !found.is_empty() => per_doc.push(found),
            None => {}
        }
    }
    let longest = per_doc.iter().map(Vec::len).max().unwrap_or(0);
    'outer: for i in 0..longest {
        for d in &per_doc {
            if answerable.len() >= options.max_answerable {
                break 'outer;
            }
            if let Some((q, a, l, f)) = d.get(i) {
                push(q.clone(), a.clone(), *l, f, &mut answerable);
            }
        }
    }
    let corpus: String = chunks.iter().map(|c| c.text.to_lowercase()).collect::<Vec<_>>().join("\n");
    let has_zh = chunks.iter().any(|c| lang::detect(&c.text) == Lang::Zh);
    let mut probes: Vec<(&str, Lang)> = Vec::new();
    for i in 0..PROBES_EN.len() {
        probes.push((PROBES_EN[i], Lang::En));
        if has_zh {
            probes.push((PROBES_ZH[i], Lang::Zh));
        }
    }
    let mut out = answerable;
    let mut added = 0;
    for (q, lang) in probes {
        if added >= options.max_unanswerable {
            break;
        }
        let silent = text::content_words(q).iter().all(|w| !corpus.contains(w.as_str()));
        if silent {
            added += 1;
            out.push(EvalQuestion {
                id: format!("self-u{added}"),
                lang: lang.code().to_owned(),
                question: q.to_owned(),
                expect_any: Vec::new(),
                source: None,
                answerable: false,
            });
        }
    }
    out
}

/// The build's report card: the self-test graded, the style score, and the
/// voice similarity from the voice stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportCard {
    pub questions: Vec<EvalQuestion>,
    pub results: EvalReport,
    /// Mean "sounds like me" over the self-test answers.
    pub style_score: Option<f32>,
    /// Speaker similarity of the tuned voice to the owner's samples.
    pub voice_similarity: Option<f32>,
    /// One number in `[0, 1]` for the twin library: the mean of answer
    /// accuracy, citation correctness and decline rate (those defined).
    pub score: f32,
}

impl ReportCard {
    pub fn new(questions: Vec<EvalQuestion>, results: EvalReport, voice_similarity: Option<f32>) -> Self {
        let parts: Vec<f32> =
            [results.overall.answer_accuracy, results.overall.citation_correct, results.overall.decline_rate]
                .into_iter()
                .flatten()
                .collect();
        let score = if parts.is_empty() { 0.0 } else { parts.iter().sum::<f32>() / parts.len() as f32 };
        Self { style_score: results.style_score, questions, results, voice_similarity, score }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval_chunks() -> Vec<OwnerText> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/eval/docs/");
        let read = |f: &str| std::fs::read_to_string(format!("{dir}{f}")).expect("eval doc readable");
        vec![
            OwnerText::document("profile.md", "section Maya Okafor", &read("profile.md")),
            OwnerText::document("depots.csv", "rows 1-4", &read("depots.csv")),
            OwnerText::document("depots.csv", "row 3", "depot: D02, city: Antwerp, vans: 35"),
            OwnerText::document(
                "dispatch_planner_3_launch.pdf",
                "page 1",
                "Dispatch Planner 3.0 shipped on 4 March 2025 to 14 depots. Average route planning time fell from 22 minutes to 6 minutes per depot per morning.",
            ),
            OwnerText::document(
                "工作约定.docx",
                "section 产品组工作约定",
                "需求评审每两周一次，在周二上午10点。\n线上故障需要在30分钟内响应。\n发布窗口：周四晚上8点以后。",
            ),
        ]
    }

    #[test]
    fn generates_grounded_questions() {
        let chunks = eval_chunks();
        let qs = generate_questions(&chunks, &GenerateOptions::default());
        let ans: Vec<&EvalQuestion> = qs.iter().filter(|q| q.answerable).collect();
        assert!(ans.len() >= 6, "{qs:#?}");
        // Every expected answer occurs in the file the question cites.
        for q in &ans {
            let src = q.source.as_deref().expect("answerable has a source");
            let text: String = chunks.iter().filter(|c| c.source.file == src).map(|c| c.text.as_str()).collect();
            assert!(text.contains(&q.expect_any[0]), "{q:?}");
        }
        assert!(
            qs.iter().any(|q| q.question == "How many vans does Antwerp have?" && q.expect_any == ["35"]),
            "{qs:#?}"
        );
        assert!(
            qs.iter().any(|q| q.lang == "zh" && q.question.contains("多少分钟") && q.expect_any == ["30"]),
            "{qs:#?}"
        );
        assert!(qs.iter().any(|q| q.expect_any == ["4 March 2025"]), "{qs:#?}");
        let files: std::collections::BTreeSet<&str> = ans.iter().filter_map(|q| q.source.as_deref()).collect();
        assert!(files.len() >= 3, "questions should cover several documents: {files:?}");
        let unans: Vec<&EvalQuestion> = qs.iter().filter(|q| !q.answerable).collect();
        assert!(!unans.is_empty() && unans.len() <= 4);
        assert!(unans.iter().any(|q| q.lang == "zh"));
        assert_eq!(generate_questions(&chunks, &GenerateOptions::default()), qs, "deterministic");
    }

    #[test]
    fn questions_read_as_a_person_asks_them() {
        let ask = |s: &str| english_question(s).map(|(q, a)| format!("{q} => {a}"));
        assert_eq!(
            ask("Dispatch Planner 3.0 shipped on 4 March 2025 to 14 depots.").as_deref(),
            Some("Dispatch Planner 3.0 shipped when to 14 depots? => 4 March 2025")
        );
        assert_eq!(
            ask("I joined Bluefin in September 2021.").as_deref(),
            Some("You joined Bluefin when? => September 2021")
        );
        assert_eq!(
            ask("My team: four engineers and one designer.").as_deref(),
            Some("Your team: how many engineers and one designer? => four")
        );
        assert_eq!(
            ask("Before Bluefin I was a supervisor for 3 years, which I liked.").as_deref(),
            Some("Before Bluefin you were a supervisor for how many years, which you liked? => 3")
        );
        assert_eq!(
            ask("Product manager at Bluefin, Rotterdam office, since September 2021.").as_deref(),
            Some("Product manager at Bluefin, Rotterdam office, since when? => September 2021")
        );
        assert_eq!(
            unwrap_lines("Planning time fell from 22\nminutes to 6 minutes.\nNext line.\n# Heading\nbody"),
            "Planning time fell from 22 minutes to 6 minutes.\nNext line.\n# Heading\nbody"
        );
        assert_eq!(
            ask("Churn fell to 4% this year.").as_deref(),
            Some("Churn fell to what percentage this year? => 4")
        );
        assert_eq!(ask("Nothing to count here."), None);
        let row =
            |pairs: &[(&str, &str)]| pairs.iter().map(|(c, v)| (c.to_string(), v.to_string())).collect::<Vec<_>>();
        let q = |r: Vec<(String, String)>| table_question(&r).map(|(q, a, _)| format!("{q} => {a}"));
        assert_eq!(
            q(row(&[("depot", "D02"), ("city", "Antwerp"), ("vans", "35")])).as_deref(),
            Some("How many vans does Antwerp have? => 35")
        );
        assert_eq!(
            q(row(&[("region", "North Sea"), ("weekly_budget", "1200")])).as_deref(),
            Some("What is the weekly budget of North Sea? => 1200")
        );
    }

    #[test]
    fn nothing_to_ask() {
        let qs = generate_questions(&[], &GenerateOptions::default());
        assert!(qs.iter().all(|q| !q.answerable));
        let junk = OwnerText::document("x.bin", "", &String::from_utf8_lossy(&[0xff, 0, 1, 2, 200, 3]));
        let _ = generate_questions(&[junk], &GenerateOptions::default());
    }
}
