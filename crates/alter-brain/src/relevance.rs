//! Does an answer address the question? A small model sometimes answers a
//! question about vans with the owner's self-introduction, copied from a
//! source. Its first sentence then shares no topic
//! word with the question, which is cheap to see before anything is spoken.
//! Likewise a question for a quantity ("How many engineers…", "多少")
//! answered without a number ("I have engineers on my team.") is off the
//! point.

use alter_persona::lang::is_han;
use alter_persona::text::content_words;

/// Letters two Latin words must share at the start to count as the same
/// word ("join" / "joined", "plan" / "planning").
const STEM: usize = 4;

/// True when `sentence` shares a topic word with `question` (or the
/// question has no topic words to judge by, "What?") and, when the question
/// asks for a quantity, holds a number.
pub fn addresses(question: &str, sentence: &str) -> bool {
    if asks_quantity(question) && !has_number(sentence) {
        return false;
    }
    let asked = content_words(question);
    if asked.is_empty() {
        return true;
    }
    let said = content_words(sentence);
    asked.iter().any(|q| {
        if q.chars().any(is_han) { sentence.contains(q.as_str()) } else { said.iter().any(|w| same_word(q, w)) }
    })
}

/// "How many…", "how much…", "how long…", "多少", "几…", "多久", "多长".
fn asks_quantity(question: &str) -> bool {
    let q = question.to_lowercase();
    ["how many", "how much", "how long", "how often"].iter().any(|p| q.contains(p))
        || ["多少", "多久", "多长", "几"].iter().any(|p| q.contains(p))
}

/// A digit, or a number written as a word.
fn has_number(sentence: &str) -> bool {
    const WORDS: &[&str] = &[
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "twenty",
        "thirty", "forty", "fifty", "hundred", "thousand", "million", "dozen", "half", "once", "twice", "none", "no",
    ];
    sentence.chars().any(|c| c.is_ascii_digit() || "一二两三四五六七八九十百千万半零".contains(c))
        || sentence.split(|c: char| !c.is_alphabetic()).any(|w| WORDS.iter().any(|n| w.eq_ignore_ascii_case(n)))
}

fn same_word(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    let stem = |s: &str| s.chars().take(STEM).collect::<String>();
    a.chars().count() >= STEM && b.chars().count() >= STEM && stem(a) == stem(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn on_and_off_topic() {
        assert!(addresses("When did you join Bluefin?", "I joined in September 2021."));
        assert!(addresses("How many vans does Rotterdam have?", "Rotterdam has 42 vans."));
        assert!(!addresses("How many vans does Rotterdam have?", "I own the Dispatch Planner product."));
        assert!(addresses("需求评审多久一次?", "需求评审每两周一次,在周二上午10点。"));
        assert!(!addresses("线上故障的响应时间是多少?", "Dispatch Planner 3.0 shipped on 4 March 2025."));
        assert!(addresses("线上故障的响应时间是多少?", "线上故障需要在30分钟内响应。"));
    }

    #[test]
    fn a_quantity_needs_a_number() {
        assert!(!addresses("How many engineers are on your team?", "I have engineers on my team."));
        assert!(addresses("How many engineers are on your team?", "I have 4 engineers on my team."));
        assert!(addresses("How many engineers are on your team?", "Four engineers and one designer."));
        assert!(addresses("How much did route planning time fall?", "Route planning time fell from 22 minutes to 6."));
        assert!(!addresses("线上故障要在多长时间内响应?", "线上故障需要尽快响应。"));
        assert!(addresses("需求评审多久一次?", "需求评审每两周一次。"));
        // Other questions need no number.
        assert!(addresses("When did you join Bluefin?", "I joined Bluefin in the autumn."));
    }

    #[test]
    fn nothing_to_judge_by() {
        assert!(addresses("What?", "I own the Dispatch Planner product."));
        assert!(addresses("", ""));
        assert!(!addresses("Rotterdam vans", ""));
    }
}
