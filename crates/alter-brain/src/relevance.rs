//! Does an answer address the question? A small model sometimes answers a
//! question about vans with the owner's self-introduction, copied from a
//! source. Its first sentence then shares no topic
//! word with the question, which is cheap to see before anything is spoken.

use alter_persona::lang::is_han;
use alter_persona::text::content_words;

/// Letters two Latin words must share at the start to count as the same
/// word ("join" / "joined", "plan" / "planning").
const STEM: usize = 4;

/// True when `sentence` shares a topic word with `question`, or when the
/// question has no topic words to judge by ("What?").
pub fn addresses(question: &str, sentence: &str) -> bool {
    let asked = content_words(question);
    if asked.is_empty() {
        return true;
    }
    let said = content_words(sentence);
    asked.iter().any(|q| {
        if q.chars().any(is_han) { sentence.contains(q.as_str()) } else { said.iter().any(|w| same_word(q, w)) }
    })
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
    fn nothing_to_judge_by() {
        assert!(addresses("What?", "I own the Dispatch Planner product."));
        assert!(addresses("", ""));
        assert!(!addresses("Rotterdam vans", ""));
    }
}
