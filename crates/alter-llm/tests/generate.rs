//! Real generation with SmolLM2 (fast) and Qwen2.5 (the default model):
//! answers, streaming, cancellation, queueing, prefix reuse, bad prompts,
//! and batched prefill against token-by-token decoding.

mod common;

use std::fs::File;
use std::time::Duration;

use alter_core::CancelToken;
use alter_llm::gguf::read_header;
use alter_llm::model::{KvCache, Model, ModelConfig};
use alter_llm::{ChatMessage, Ending, FinishReason, GenEvent, GenerateRequest, LlmError, SamplingParams};

fn greedy(msgs: Vec<ChatMessage>, max: usize) -> GenerateRequest {
    GenerateRequest {
        messages: msgs,
        params: SamplingParams::greedy(),
        stop: vec![],
        no_leading: vec![],
        max_tokens: max,
    }
}

#[test]
fn smol_generates_and_streams() {
    let Some(llm) = common::smol() else { return };
    let mut rx = llm.generate(greedy(vec![ChatMessage::user("Say hello.")], 8), CancelToken::new()).expect("queue");
    let mut streamed = String::new();
    let mut done = None;
    while let Some(ev) = rx.blocking_recv() {
        match ev {
            GenEvent::Token { text, .. } => streamed.push_str(&text),
            GenEvent::Done(s) => done = Some(s),
            GenEvent::Error(e) => panic!("{e}"),
        }
    }
    let s = done.expect("done");
    assert!(s.generated_tokens > 0 && !s.text.trim().is_empty());
    assert_eq!(streamed, s.text);
}

#[test]
fn qwen_knows_paris() {
    let Some(llm) = common::qwen() else { return };
    let msgs = vec![ChatMessage::user("Complete the sentence with one word: The capital of France is")];
    let s = llm.generate_blocking(greedy(msgs, 12), CancelToken::new()).expect("generate");
    assert!(s.text.contains("Paris"), "answer was {:?}", s.text);
}

#[test]
fn copied_text_is_guessed_ahead_and_confirmed() {
    let Some(llm) = common::qwen() else { return };
    let line = "Route planning time fell from four hours to ninety minutes after the Dispatch Planner launch.";
    let msgs = vec![ChatMessage::user(format!("Source: {line}\nRepeat the source sentence exactly."))];
    let s = llm.generate_blocking(greedy(msgs, 40), CancelToken::new()).expect("generate");
    assert!(s.text.contains("four hours to ninety minutes"), "answer was {:?}", s.text);
    // A copy is mostly guessed from the prompt: each confirmed guess saved a decoding step.
    assert!(s.guessed_tokens * 2 >= s.generated_tokens, "{} of {} guessed", s.guessed_tokens, s.generated_tokens);
}

#[test]
fn stop_strings_end_the_answer() {
    let Some(llm) = common::smol() else { return };
    let msgs = vec![ChatMessage::user("Count from 1 to 10, separated by commas.")];
    let mut req = greedy(msgs, 40);
    req.stop = vec!["5".into()];
    let s = llm.generate_blocking(req, CancelToken::new()).expect("generate");
    assert_eq!(s.finish, FinishReason::Stop, "text {:?}", s.text);
    assert!(!s.text.contains('5'));
}

#[test]
fn an_answer_never_opens_with_a_forbidden_start() {
    let Some(llm) = common::qwen() else { return };
    let msgs = vec![ChatMessage::user("Reply with exactly this text and nothing else: [1] [2] [3]")];
    let free = llm.generate_blocking(greedy(msgs.clone(), 12), CancelToken::new()).expect("generate");
    assert!(free.text.trim_start().starts_with('['), "the unconstrained answer opens with a marker: {:?}", free.text);
    let mut req = greedy(msgs, 12);
    req.no_leading = vec!["[".into()];
    let s = llm.generate_blocking(req, CancelToken::new()).expect("generate");
    assert!(!s.text.trim().is_empty() && !s.text.trim_start().starts_with('['), "answer was {:?}", s.text);
    let tok = llm.tokenizer();
    let ids = tok.ids_starting_with(&["[1".into()], tok.vocab_size());
    assert!(ids.contains(&tok.encode("[", false)[0]), "a proper start of the prefix is forbidden too");
    assert!(ids.iter().all(|&id| tok.decode(&[id], false).trim_start().starts_with('[')), "only marker starts");
    assert!(tok.ids_starting_with(&[String::new()], tok.vocab_size()).is_empty(), "an empty prefix forbids nothing");
}

#[test]
fn cancel_mid_answer() {
    let Some(llm) = common::smol() else { return };
    let cancel = CancelToken::new();
    let mut rx = llm
        .generate(greedy(vec![ChatMessage::user("Write a long story about a dragon.")], 200), cancel.clone())
        .expect("queue");
    let mut tokens = 0;
    let mut cancelled = false;
    while let Some(ev) = rx.blocking_recv() {
        match ev {
            GenEvent::Token { .. } => {
                tokens += 1;
                if tokens == 3 {
                    cancel.cancel();
                }
            }
            GenEvent::Error(LlmError::Cancelled) => cancelled = true,
            other => panic!("unexpected {other:?}"),
        }
    }
    assert!(cancelled);
    assert!(tokens <= 4, "stopped within a token, got {tokens}");
    // The model is still usable.
    let s = llm.generate_blocking(greedy(vec![ChatMessage::user("Hi")], 3), CancelToken::new()).expect("after cancel");
    assert!(s.generated_tokens > 0);
}

#[test]
fn concurrent_requests_are_queued_not_interleaved() {
    let Some(llm) = common::smol() else { return };
    let a = greedy(vec![ChatMessage::user("Name three colors.")], 12);
    let b = greedy(vec![ChatMessage::user("Name three animals.")], 12);
    let want_a = llm.generate_blocking(a.clone(), CancelToken::new()).expect("a").text;
    let want_b = llm.generate_blocking(b.clone(), CancelToken::new()).expect("b").text;
    let (h1, h2) = (llm.handle(), llm.handle());
    let t1 = std::thread::spawn(move || h1.generate_blocking(a, CancelToken::new()).map(|s| s.text));
    let t2 = std::thread::spawn(move || h2.generate_blocking(b, CancelToken::new()).map(|s| s.text));
    assert_eq!(t1.join().expect("join").expect("gen"), want_a);
    assert_eq!(t2.join().expect("join").expect("gen"), want_b);
}

#[test]
fn bad_prompts_fail_cleanly() {
    let Some(llm) = common::smol() else { return };
    let e = llm.generate_blocking(greedy(vec![], 4), CancelToken::new()).expect_err("empty");
    assert!(matches!(e, LlmError::InvalidRequest(_)), "{e:?}");
    let e = llm.generate_blocking(greedy(vec![ChatMessage::user("  ")], 4), CancelToken::new()).expect_err("blank");
    assert!(matches!(e, LlmError::InvalidRequest(_)), "{e:?}");
    let huge = "word ".repeat(10_000); // 50k characters
    let e = llm.generate_blocking(greedy(vec![ChatMessage::user(huge)], 4), CancelToken::new()).expect_err("huge");
    assert!(matches!(e, LlmError::ContextOverflow { .. }), "{e:?}");
    let binary: String = (0..300u32).map(|i| char::from_u32((i * 7919) % 0xD7FF).unwrap_or('x')).collect();
    let s = llm.generate_blocking(greedy(vec![ChatMessage::user(binary)], 4), CancelToken::new()).expect("binary");
    assert!(s.prompt_tokens > 0);
}

#[test]
fn persona_prefix_and_anticipatory_prefill_are_reused() {
    let Some(llm) = common::smol() else { return };
    let sys = ChatMessage::system("You are Ada, an engineer at Contoso. Answer briefly.");
    let n = llm.prefill_prefix(vec![sys.clone()], CancelToken::new()).expect("pin");
    assert!(n > 10);
    // Something unrelated runs in between; the pinned prefix survives.
    llm.generate_blocking(greedy(vec![ChatMessage::user("Hi")], 2), CancelToken::new()).expect("other");
    let s = llm
        .generate_blocking(greedy(vec![sys.clone(), ChatMessage::user("Who are you?")], 4), CancelToken::new())
        .expect("gen");
    assert!(s.reused_tokens >= n, "reused {} of prefix {n}", s.reused_tokens);
    // Anticipatory: the partial question is prefilled, the final prompt only adds the rest.
    let partial = vec![sys.clone(), ChatMessage::user("What is the budget for")];
    let (total, _) = llm.prefill(partial, Ending::Open, CancelToken::new()).expect("prefill");
    let full = vec![sys, ChatMessage::user("What is the budget for cloud services?")];
    let s = llm.generate_blocking(greedy(full, 2), CancelToken::new()).expect("gen");
    assert!(s.reused_tokens + 2 >= total, "reused {} of {total}", s.reused_tokens);
    assert!(s.prompt_tokens - s.reused_tokens < 12);
}

/// Batched prefill (GEMM path) must give the same next-token logits as
/// feeding the prompt one token at a time (quantized dot path).
fn prefill_matches_decode(names: &[&str]) {
    let Some(p) = common::model_path(names) else { return };
    let h = read_header(&p).expect("header");
    let tok = alter_llm::Tokenizer::from_gguf(&h).expect("tok");
    let cfg = ModelConfig::from_gguf(&h, 256).expect("cfg");
    let model = Model::load(&mut File::open(&p).expect("open"), &h, cfg).expect("load");
    let ids = tok.encode("The quick brown fox jumps over the lazy dog because it wanted to see", false);
    let mut a = KvCache::default();
    let batched = model.forward(&mut a, &ids).expect("batched");
    let mut b = KvCache::default();
    let mut single = Vec::new();
    for &t in &ids {
        single = model.forward(&mut b, &[t]).expect("single");
    }
    let scale = batched.iter().fold(0f32, |m, v| m.max(v.abs()));
    let max_diff = batched.iter().zip(&single).fold(0f32, |m, (x, y)| m.max((x - y).abs()));
    // Decoding quantizes the activation to 8 bits (as llama.cpp does) while
    // prefill multiplies in f32, so logits agree to a few percent, not bits.
    // The rounding makes the 135M model's decoded logits sensitive to the
    // last bits of everything before it: 3-6 % here, 2 % for Qwen 0.5B.
    assert!(max_diff < 0.08 * scale.max(1.0), "max diff {max_diff} (scale {scale})");
    let am = |v: &[f32]| v.iter().enumerate().fold((0, f32::MIN), |b, (i, &x)| if x > b.1 { (i, x) } else { b }).0;
    assert_eq!(am(&batched), am(&single));
    // Snapshot/truncate: rolling back and re-running gives the same logits.
    a.truncate(ids.len() - 3).expect("truncate");
    let again = model.forward(&mut a, &ids[ids.len() - 3..]).expect("again");
    let d = again.iter().zip(&batched).fold(0f32, |m, (x, y)| m.max((x - y).abs()));
    assert!(d < 0.02 * scale.max(1.0), "after truncate diff {d}");
}

#[test]
fn smol_batched_prefill_equals_token_by_token() {
    prefill_matches_decode(common::SMOL);
}

#[test]
fn qwen_batched_prefill_equals_token_by_token() {
    prefill_matches_decode(common::QWEN);
}

#[test]
fn dropped_receiver_does_not_wedge_the_model() {
    let Some(llm) = common::smol() else { return };
    drop(llm.generate(greedy(vec![ChatMessage::user("Tell me a story.")], 50), CancelToken::new()).expect("queue"));
    std::thread::sleep(Duration::from_millis(50));
    let s = llm.generate_blocking(greedy(vec![ChatMessage::user("Hi")], 2), CancelToken::new()).expect("next");
    assert!(s.generated_tokens > 0);
}
