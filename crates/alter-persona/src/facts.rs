//! Self-facts: what the owner says about themselves, each with its source.
//!
//! Rules read first-person sentences (and the subject-less lines of a CV or
//! profile: "Product manager for route planning at Bluefin Logistics, since
//! 2021") in English and Chinese. A fact is never invented: every value is a
//! span of the sentence it came from, and [`verify_against_source`] checks
//! the same for facts proposed by a language model. The same sentence rules
//! read what a *user* says about themselves ("I'm Wang Lei from compliance"),
//! which the brain's memory uses.

use std::sync::OnceLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::text;

/// What a fact is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactKind {
    Name,
    Role,
    Team,
    Employer,
    Tenure,
    Location,
    Education,
    Interest,
    /// Something the person owns or works on.
    Project,
    /// Earlier jobs.
    Experience,
}

impl FactKind {
    /// Every kind, in the order a profile lists them.
    pub const ALL: [FactKind; 10] = [
        FactKind::Name,
        FactKind::Role,
        FactKind::Team,
        FactKind::Employer,
        FactKind::Tenure,
        FactKind::Location,
        FactKind::Education,
        FactKind::Interest,
        FactKind::Project,
        FactKind::Experience,
    ];

    /// The kind's name in `twin.toml` and the settings (`role`, `team`…).
    pub fn key(self) -> &'static str {
        match self {
            FactKind::Name => "name",
            FactKind::Role => "role",
            FactKind::Team => "team",
            FactKind::Employer => "employer",
            FactKind::Tenure => "tenure",
            FactKind::Location => "location",
            FactKind::Education => "education",
            FactKind::Interest => "interest",
            FactKind::Project => "project",
            FactKind::Experience => "experience",
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }

    pub fn label(self, zh: bool) -> &'static str {
        match (self, zh) {
            (FactKind::Name, false) => "name",
            (FactKind::Role, false) => "role",
            (FactKind::Team, false) => "team",
            (FactKind::Employer, false) => "employer",
            (FactKind::Tenure, false) => "with the company",
            (FactKind::Location, false) => "location",
            (FactKind::Education, false) => "education",
            (FactKind::Interest, false) => "cares about",
            (FactKind::Project, false) => "owns / works on",
            (FactKind::Experience, false) => "earlier",
            (FactKind::Name, true) => "姓名",
            (FactKind::Role, true) => "职位",
            (FactKind::Team, true) => "团队",
            (FactKind::Employer, true) => "公司",
            (FactKind::Tenure, true) => "任职时间",
            (FactKind::Location, true) => "地点",
            (FactKind::Education, true) => "教育",
            (FactKind::Interest, true) => "关注",
            (FactKind::Project, true) => "负责",
            (FactKind::Experience, true) => "经历",
        }
    }
}

/// Where a piece of text came from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub struct SourceRef {
    /// The document's file name as the user gave it (or the voice sample's).
    pub file: String,
    /// "page 2", "rows 2-3", "section Team", "00:12"…
    pub location: String,
}

/// How a fact was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactOrigin {
    Rules,
    /// Proposed by a language model and verified against the cited text.
    Llm,
    /// Stated by the owner in the twin's settings; it replaces what was learned.
    Owner,
}

/// One fact about the owner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SelfFact {
    pub kind: FactKind,
    pub value: String,
    /// The sentence that states it.
    pub sentence: String,
    pub source: SourceRef,
    pub origin: FactOrigin,
    /// In `[0, 1]`; rules on first-person sentences score highest.
    pub confidence: f32,
}

/// A text written or spoken by the owner, the input to learning.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnerText {
    pub source: SourceRef,
    pub heading: Option<String>,
    pub text: String,
    /// True for a voice transcript (spoken style), false for a document.
    #[serde(default)]
    pub spoken: bool,
}

impl OwnerText {
    pub fn document(file: &str, location: &str, text: &str) -> Self {
        Self {
            source: SourceRef { file: file.into(), location: location.into() },
            heading: None,
            text: text.into(),
            spoken: false,
        }
    }
}

const ROLE_WORDS_EN: &str = "manager|engineer|designer|developer|analyst|lead|leader|director|supervisor|scientist|\
consultant|specialist|officer|architect|administrator|accountant|coordinator|head|owner|researcher|teacher|\
intern|executive|president|founder|editor|writer|nurse|doctor|lawyer|advisor|adviser|technician|operator|planner";
/// One character of an English clause: anything but its end, where the
/// periods of "5 a.m.", "e.g." and "3.0" do not end it.
const CLAUSE_CHAR: &str = r"(?:(?i:\b[ap]\.m\.|\be\.g\.|\bi\.e\.)|\d\.\d|[^.;!?])";
const ROLE_WORDS_ZH: &str = "经理|工程师|设计师|主管|总监|负责人|专员|分析师|架构师|顾问|主任|老师|研究员|总裁|律师|会计|助理|组长|运营|产品经理";
const MONTHS: &str = "January|February|March|April|May|June|July|August|September|October|November|December|\
Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec";

struct Rule {
    kind: FactKind,
    re: Regex,
    group: usize,
    confidence: f32,
}

fn rules() -> &'static [Rule] {
    static RULES: OnceLock<Vec<Rule>> = OnceLock::new();
    RULES.get_or_init(|| {
        let r = |kind, pat: &str, group, confidence| Rule {
            kind,
            re: Regex::new(pat).unwrap_or_else(|e| panic!("fact rule {pat:?} does not compile: {e}")),
            group,
            confidence,
        };
        let name = r"([A-Z][a-z]+(?:[ \-][A-Z][a-z]+){0,2})";
        let role_np = format!(r"((?:[A-Za-z\-]+ ){{0,4}}(?i:{ROLE_WORDS_EN})(?: (?:of|for) [a-z][a-z ]{{2,40}})?)");
        vec![
            // English, first person.
            r(FactKind::Name, &format!(r"(?i:\bmy name is|\bi am|\bi'm|\bcall me|\bthis is)\s+{name}\b"), 1, 0.9),
            r(FactKind::Role, &format!(r"(?i:\bi am|\bi'm|\bi work as|\bmy (?:role|title|job) is)\s+(?i:an?|the)\s+{role_np}"), 1, 0.9),
            r(FactKind::Role, &format!(r"^{role_np}\s+at\s+[A-Z]"), 1, 0.7),
            r(FactKind::Employer, r"(?i:\bi work|\bi'm working|\bi am working|\bi've worked|\bi have worked)\s+(?:at|for)\s+([A-Z][\w&\-]*(?: [A-Z][\w&\-]*){0,3})", 1, 0.9),
            r(FactKind::Employer, &format!(r"(?i:{ROLE_WORDS_EN})\b[^,.;]*?\bat\s+([A-Z][\w&\-]*(?: [A-Z][\w&\-]*){{0,3}})"), 1, 0.7),
            r(FactKind::Employer, r"(?i:\bi joined)\s+([A-Z][\w&\-]*(?: [A-Z][\w&\-]*){0,3})", 1, 0.9),
            r(FactKind::Tenure, &format!(r"(?i:\bsince|\bjoined [A-Z][\w ]{{0,30}} in)\s+((?:(?:{MONTHS}) )?(?:19|20)\d\d)\b"), 1, 0.8),
            r(FactKind::Tenure, r"(?i:\bi've been|\bi have been)\b[^.;]*?\b(for (?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|many) years)", 1, 0.7),
            r(FactKind::Location, r"(?i:\bbased in|\bi live in|\bi'm in|\bi work in|\blocated in)\s+([A-Z][a-z]+(?: [A-Z][a-z]+)?)", 1, 0.8),
            r(FactKind::Location, r"\b([A-Z][a-z]+(?: [A-Z][a-z]+)?) office\b", 1, 0.6),
            r(FactKind::Team, r"(?i:\bmy team)(?:\s*:\s*|\s+(?:is|has|consists of|includes)\s+)([^.;]{3,80})", 1, 0.9),
            r(FactKind::Team, r"(?i:\bi lead|\bi manage|\bi run|\bi'm on|\bi am on|\bi'm in|\bi am in)\s+(?:the\s+|a\s+)?([^,.;]{2,40}?\b(?:team|department|group|squad|unit))\b", 1, 0.85),
            r(FactKind::Team, &format!(r"(?i:\bi'm|\bi am)\s+{name}\s+from\s+(?:the\s+)?([a-zA-Z][a-zA-Z &\-]{{1,40}}?)(?:\s+(?:team|department|group))?(?:[,.;!]|$)"), 2, 0.85),
            r(FactKind::Education, r"(?i:\bi studied|\bi graduated from|\bi hold an?|\bi have an?|\bi did an?)\s+([^.;]*?(?:degree|master|bachelor|phd|diploma|university|college|school|[A-Z][a-z]+)[^.;]{0,60})", 1, 0.8),
            r(FactKind::Interest, &format!(r"(?i:\bi care about|\bi love|\bi enjoy|\bi'm interested in|\bi am interested in|\bi'm passionate about|\bmy hobbies are|\bin my free time i)\s+({CLAUSE_CHAR}{{3,80}})"), 1, 0.8),
            r(FactKind::Project, r"(?i:\bi own|\bi'm responsible for|\bi am responsible for|\bi'm working on|\bi am working on|\bi work on|\bi built|\bi led|\bi maintain)\s+(?:the\s+)?([^,.;!?]{3,80})", 1, 0.85),
            r(FactKind::Experience, &format!(r"(?i:\bbefore\s+[A-Z][\w ]{{0,30}}?,?\s*i was|\bi used to be|\bi previously worked as|\bi was previously)\s+(?:an?\s+)?({CLAUSE_CHAR}{{3,100}})"), 1, 0.8),
            // Chinese, first person.
            r(FactKind::Name, r"我(?:叫|的名字是|的名字叫|名叫)([\p{Han}]{2,4}|[A-Z][a-z]+(?: [A-Z][a-z]+)?)", 1, 0.9),
            r(FactKind::Team, r"我是([\p{Han}A-Za-z]{2,12}?(?:部|组|团队|中心|科|处|室))的", 1, 0.85),
            r(FactKind::Name, r"我是[\p{Han}A-Za-z]{2,12}?(?:部|组|团队|中心|科|处|室)的([\p{Han}]{2,3})(?:[，。,.！!；;\s]|$)", 1, 0.85),
            r(FactKind::Role, &format!(r"我(?:是|担任|作为)(?:一名|一位|一个)?([^，。,.；;！!]{{0,20}}?(?:{ROLE_WORDS_ZH}))"), 1, 0.85),
            r(FactKind::Employer, r"我(?:在|于)([^，。,.；;]{2,20}?)(?:工作|上班|任职)", 1, 0.8),
            r(FactKind::Tenure, r"我(?:在|于)?(\d{4}年(?:\d{1,2}月)?)(?:加入|入职|进入)", 1, 0.85),
            r(FactKind::Employer, r"我(?:在|于)?\d{4}年(?:\d{1,2}月)?(?:加入|入职|进入)([^，。,.；;]{2,20})", 1, 0.85),
            r(FactKind::Project, r"我(?:负责|主管|主导)([^，。,.；;！!]{2,40})", 1, 0.85),
            r(FactKind::Education, r"我(?:毕业于|毕业自|本科在|硕士在|博士在)([^，。,.；;]{2,30})", 1, 0.8),
            r(FactKind::Interest, r"我(?:喜欢|热爱|关注|在意|爱好是)([^，。,.；;！!]{2,30})", 1, 0.75),
            r(FactKind::Location, r"我(?:住在|常驻|驻扎在|在)([\p{Han}]{2,6}?)(?:办公|工作|生活)", 1, 0.7),
            r(FactKind::Team, r"我的团队(?:有|是|包括|：|:)\s*([^。；;]{2,40})", 1, 0.9),
            r(FactKind::Name, r"我是([\p{Han}]{2,3})(?:[，。,.！!；;]|$)", 1, 0.7),
        ]
    })
}

/// Words that look like names but are not ("I'm Happy", "I am Product…").
fn plausible_name(value: &str) -> bool {
    const NOT_NAMES: &[&str] = &[
        "not",
        "sure",
        "happy",
        "sorry",
        "glad",
        "here",
        "back",
        "from",
        "the",
        "a",
        "an",
        "product",
        "going",
        "still",
        "also",
        "just",
        "really",
        "very",
        "afraid",
        "new",
        "fine",
        "good",
        "ok",
        "okay",
        "responsible",
        "working",
        "based",
        "interested",
        "in",
        "on",
        "at",
        "passionate",
        "looking",
        "trying",
    ];
    let first = value.split([' ', '-']).next().unwrap_or("").to_lowercase();
    let role = Regex::new(&format!("(?i:{ROLE_WORDS_EN}|{ROLE_WORDS_ZH})")).map(|r| r.is_match(value)).unwrap_or(false);
    !NOT_NAMES.contains(&first.as_str()) && !role && !value.chars().any(|c| c.is_ascii_digit())
}

/// Facts one sentence states about its speaker, as `(kind, value, confidence)`.
pub fn facts_in_sentence(sentence: &str) -> Vec<(FactKind, String, f32)> {
    let s = sentence.trim();
    // Questions and hypotheticals state nothing.
    if s.ends_with('?') || s.ends_with('？') || s.contains("如果") || s.to_lowercase().starts_with("if ") {
        return Vec::new();
    }
    let mut out: Vec<(FactKind, String, f32)> = Vec::new();
    for rule in rules() {
        for caps in rule.re.captures_iter(s) {
            let Some(m) = caps.get(rule.group) else { continue };
            let value = m.as_str().trim().trim_end_matches(['，', ',', '、']).trim().to_owned();
            if value.chars().count() < 2 || (rule.kind == FactKind::Name && !plausible_name(&value)) {
                continue;
            }
            if !out.iter().any(|(k, v, _)| *k == rule.kind && v == &value) {
                out.push((rule.kind, value, rule.confidence));
            }
        }
    }
    out
}

/// A heading that is a person's name ("# Maya Okafor" at the top of a profile).
fn heading_name(heading: &str) -> Option<String> {
    let h = heading.trim().trim_start_matches('#').trim();
    let words: Vec<&str> = h.split_whitespace().collect();
    let ok = (2..=3).contains(&words.len())
        && words.iter().all(|w| {
            let mut cs = w.chars();
            cs.next().is_some_and(|c| c.is_uppercase()) && cs.all(|c| c.is_lowercase() || c == '-' || c == '\'')
        })
        && plausible_name(h);
    ok.then(|| h.to_owned())
}

fn first_person(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .any(|w| matches!(w, "i" | "i'm" | "my" | "me" | "i'd" | "i've"))
        || text.contains('我')
}

/// How far a fact heard in a voice sample is trusted against one read in a
/// document: a transcript's "I'm Meyer" (0.9 × 0.6) ranks below a profile
/// page's title "Maya Okafor" (0.6).
pub const SPOKEN_TRUST: f32 = 0.6;

/// Extracts the owner's self-facts from their texts, deduplicated (the first
/// source wins, the highest confidence is kept).
pub fn extract_facts(texts: &[OwnerText]) -> Vec<SelfFact> {
    let mut facts: Vec<SelfFact> = Vec::new();
    let mut add = |fact: SelfFact| {
        let key = normalise(&fact.value);
        if let Some(f) = facts.iter_mut().find(|f| f.kind == fact.kind && normalise(&f.value) == key) {
            f.confidence = f.confidence.max(fact.confidence);
        } else {
            facts.push(fact);
        }
    };
    for t in texts {
        // Speech recognition mishears names and terms; what a document states outranks it.
        let trust = if t.spoken { SPOKEN_TRUST } else { 1.0 };
        let owner_voice = first_person(&t.text);
        // Profile pages often put the name only in the title.
        let title =
            t.heading.clone().or_else(|| t.text.lines().find(|l| l.trim_start().starts_with("# ")).map(str::to_owned));
        if let Some(name) = title.as_deref().and_then(heading_name).filter(|_| owner_voice) {
            add(SelfFact {
                kind: FactKind::Name,
                value: name.clone(),
                sentence: name,
                source: t.source.clone(),
                origin: FactOrigin::Rules,
                confidence: 0.6 * trust,
            });
        }
        for sentence in text::sentences(&t.text) {
            for (kind, value, confidence) in facts_in_sentence(&sentence) {
                add(SelfFact {
                    kind,
                    value,
                    sentence: sentence.clone(),
                    source: t.source.clone(),
                    origin: FactOrigin::Rules,
                    confidence: confidence * trust,
                });
            }
        }
    }
    facts.sort_by(|a, b| a.kind.cmp(&b.kind).then(b.confidence.total_cmp(&a.confidence)));
    facts
}

fn normalise(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// True when the key words of `value` all appear in `source_text`: every
/// content word for Latin text, every Han character bigram for Chinese.
/// This is the check that keeps a language model from inventing facts.
pub fn verify_against_source(value: &str, source_text: &str) -> bool {
    let hay = source_text.to_lowercase();
    let keys = text::content_words(value);
    if keys.is_empty() {
        return false;
    }
    keys.iter().all(|k| hay.contains(k.as_str()))
}

/// The prompt for the optional LLM-assisted pass over one owner text.
/// The model answers one fact a line: `kind: value`.
pub fn llm_extraction_prompt(text: &OwnerText) -> String {
    format!(
        "Below is a text written by a person. List facts the person states about THEMSELVES, one per line, \
as `kind: value`, where kind is one of name, role, team, employer, tenure, location, education, interest, project, \
experience. Copy values word for word from the text. Write nothing else. If there are none, write `none`.\n\n\
<text>\n{}\n</text>",
        text.text.chars().take(3_000).collect::<String>()
    )
}

/// Parses the model's reply to [`llm_extraction_prompt`], keeping only the
/// facts whose key words appear in the text they cite.
pub fn parse_llm_facts(reply: &str, text: &OwnerText) -> Vec<SelfFact> {
    let mut out = Vec::new();
    for line in reply.lines() {
        let line = line.trim().trim_start_matches(['-', '*', ' ']);
        let Some((kind, value)) = line.split_once([':', '：']) else { continue };
        let kind = match kind.trim().to_lowercase().as_str() {
            "name" => FactKind::Name,
            "role" => FactKind::Role,
            "team" => FactKind::Team,
            "employer" => FactKind::Employer,
            "tenure" => FactKind::Tenure,
            "location" => FactKind::Location,
            "education" => FactKind::Education,
            "interest" => FactKind::Interest,
            "project" => FactKind::Project,
            "experience" => FactKind::Experience,
            _ => continue,
        };
        let value = value.trim().trim_matches(['"', '`', '.', '。']).trim();
        if value.is_empty() || !verify_against_source(value, &text.text) {
            continue;
        }
        let sentence = text::sentences(&text.text)
            .into_iter()
            .find(|s| verify_against_source(value, s))
            .unwrap_or_else(|| value.to_owned());
        out.push(SelfFact {
            kind,
            value: value.to_owned(),
            sentence,
            source: text.source.clone(),
            origin: FactOrigin::Llm,
            confidence: 0.6,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(facts: &[(FactKind, String, f32)], kind: FactKind, value: &str) -> bool {
        facts.iter().any(|(k, v, _)| *k == kind && v == value)
    }

    #[test]
    fn english_sentences() {
        let f = facts_in_sentence("I'm Wang Lei from compliance.");
        assert!(has(&f, FactKind::Name, "Wang Lei"), "{f:?}");
        assert!(has(&f, FactKind::Team, "compliance"), "{f:?}");
        let f = facts_in_sentence(
            "Product manager for route planning at Bluefin Logistics, Rotterdam office, since September 2021.",
        );
        assert!(has(&f, FactKind::Role, "Product manager for route planning"), "{f:?}");
        assert!(has(&f, FactKind::Employer, "Bluefin Logistics"), "{f:?}");
        assert!(has(&f, FactKind::Location, "Rotterdam"), "{f:?}");
        assert!(has(&f, FactKind::Tenure, "September 2021"), "{f:?}");
        let f = facts_in_sentence("My team: four engineers and one designer.");
        assert!(has(&f, FactKind::Team, "four engineers and one designer"), "{f:?}");
        let f = facts_in_sentence("I own the Dispatch Planner product.");
        assert!(has(&f, FactKind::Project, "Dispatch Planner product"), "{f:?}");
        let f =
            facts_in_sentence("I am a senior data engineer at Acme Corp and I studied physics at Leiden University.");
        assert!(has(&f, FactKind::Role, "senior data engineer"), "{f:?}");
        assert!(has(&f, FactKind::Employer, "Acme Corp"), "{f:?}");
        assert!(f.iter().any(|(k, v, _)| *k == FactKind::Education && v.contains("Leiden")), "{f:?}");
        assert!(facts_in_sentence("I'm happy to help.").iter().all(|(k, _, _)| *k != FactKind::Name));
        assert!(facts_in_sentence("Are you Maya Okafor?").is_empty());
    }

    #[test]
    fn chinese_sentences() {
        let f = facts_in_sentence("我是合规部的王磊");
        assert!(has(&f, FactKind::Team, "合规部"), "{f:?}");
        assert!(has(&f, FactKind::Name, "王磊"), "{f:?}");
        let f = facts_in_sentence("我叫李娜，我是一名数据分析师，我负责风控模型。");
        assert!(has(&f, FactKind::Name, "李娜"), "{f:?}");
        assert!(has(&f, FactKind::Role, "数据分析师"), "{f:?}");
        assert!(has(&f, FactKind::Project, "风控模型"), "{f:?}");
        let f = facts_in_sentence("我在2019年入职蓝鳍物流。");
        assert!(has(&f, FactKind::Tenure, "2019年"), "{f:?}");
        assert!(has(&f, FactKind::Employer, "蓝鳍物流"), "{f:?}");
    }

    #[test]
    fn profile_document() {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/eval/docs/profile.md"))
                .expect("the eval profile is readable");
        let facts = extract_facts(&[OwnerText::document("profile.md", "section Maya Okafor", &text)]);
        let get = |k: FactKind| facts.iter().filter(|f| f.kind == k).map(|f| f.value.as_str()).collect::<Vec<_>>();
        assert_eq!(get(FactKind::Name), vec!["Maya Okafor"]);
        assert!(get(FactKind::Employer).contains(&"Bluefin Logistics"), "{facts:#?}");
        assert!(get(FactKind::Experience).iter().any(|v| v.contains("shift supervisor")), "{facts:#?}");
        // "5 a.m." does not end the clause.
        assert!(
            get(FactKind::Interest).iter().any(|v| v.contains("tools that work at 5 a.m. with gloves on")),
            "{facts:#?}"
        );
        assert!(facts.iter().all(|f| f.source.file == "profile.md"));
        for f in &facts {
            assert!(verify_against_source(&f.value, &text), "{f:?} is not in the source");
        }
    }

    #[test]
    fn llm_facts_are_verified() {
        let t = OwnerText::document("a.md", "p1", "I lead the payments team in Lisbon. I like climbing.");
        let reply =
            "team: payments team\nlocation: Lisbon\nname: John Smith\nemployer: Google\ninterest: climbing\nnonsense";
        let facts = parse_llm_facts(reply, &t);
        let values: Vec<&str> = facts.iter().map(|f| f.value.as_str()).collect();
        assert_eq!(values, vec!["payments team", "Lisbon", "climbing"]);
        assert!(facts.iter().all(|f| f.origin == FactOrigin::Llm));
    }

    #[test]
    fn hostile_input() {
        assert!(extract_facts(&[]).is_empty());
        let huge = "I am ".repeat(20_000);
        let _ = extract_facts(&[OwnerText::document("x", "", &huge)]);
        let binary = String::from_utf8_lossy(&(0..=255u8).cycle().take(10_000).collect::<Vec<_>>()).into_owned();
        let _ = extract_facts(&[OwnerText::document("x", "", &binary)]);
        assert!(!verify_against_source("", "anything"));
    }
}
