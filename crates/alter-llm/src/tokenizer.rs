//! Byte-level BPE tokenizer built from GGUF metadata, as llama.cpp does.
//!
//! The vocabulary (`tokenizer.ggml.tokens`), merge list (`.merges`) and
//! token kinds (`.token_type`: 3 = control, 4 = user-defined) come from the
//! model file, so any GPT-2-style GGUF a user drops in works. Text is NFC
//! normalised, split by the pre-tokenizer regex named in
//! `tokenizer.ggml.pre`, mapped byte → printable char (GPT-2 table) and
//! merged by rank. Control and user-defined tokens are matched as whole
//! strings *only* when the caller allows it: chat markup does, user and
//! document text never does, so a document cannot forge `<|im_start|>`.
//! Invariants: `encode` never panics on any `&str`; `decode` of ids from
//! `encode(.., false)` gives back the NFC form of the input.

use std::collections::{BinaryHeap, HashMap};
use std::sync::Mutex;

use fancy_regex::Regex;
use unicode_normalization::UnicodeNormalization;

use crate::error::LlmError;
use crate::gguf::{GgufHeader, MetaValue};

/// Token id.
pub type TokenId = u32;

const QWEN2_RE: &str =
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
const LLAMA3_RE: &str = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";
const GPT2_RE: &str = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";
const DIGITS_RE: &str = r"\p{N}";

/// The tokenizer of one model.
pub struct Tokenizer {
    tokens: Vec<String>,
    kinds: Vec<i32>,
    vocab: HashMap<String, TokenId>,
    merges: HashMap<(TokenId, TokenId), (u32, TokenId)>,
    /// Token of each byte's char; a vocabulary without one uses `unk` for it.
    byte_ids: [Option<TokenId>; 256],
    unk: Option<TokenId>,
    char_to_byte: HashMap<char, u8>,
    specials: Vec<(String, TokenId)>,
    pre: Vec<Regex>,
    pub bos: Option<TokenId>,
    pub eos: Option<TokenId>,
    pub add_bos: bool,
    cache: Mutex<HashMap<String, Vec<TokenId>>>,
}

/// GPT-2's reversible byte → printable-char table.
fn byte_chars() -> [char; 256] {
    let mut out = ['\0'; 256];
    let mut n = 0u32;
    for b in 0..256u32 {
        let printable = (33..=126).contains(&b) || (161..=172).contains(&b) || (174..=255).contains(&b);
        out[b as usize] = if printable {
            char::from_u32(b).unwrap_or('?')
        } else {
            n += 1;
            char::from_u32(255 + n).unwrap_or('?')
        };
    }
    out
}

fn strings(h: &GgufHeader, key: &str) -> Result<Vec<String>, LlmError> {
    let arr = h
        .metadata
        .get(key)
        .and_then(MetaValue::as_array)
        .ok_or_else(|| LlmError::Unsupported(format!("the GGUF has no {key}")))?;
    arr.iter()
        .map(|v| v.as_str().map(str::to_owned).ok_or_else(|| LlmError::BadGguf(format!("{key} holds a non-string"))))
        .collect()
}

impl Tokenizer {
    /// Build the tokenizer from a parsed GGUF header.
    pub fn from_gguf(h: &GgufHeader) -> Result<Self, LlmError> {
        let model = h.metadata.get("tokenizer.ggml.model").and_then(MetaValue::as_str).unwrap_or("");
        if model != "gpt2" {
            return Err(LlmError::Unsupported(format!("tokenizer model '{model}' (only byte-level BPE 'gpt2')")));
        }
        let pre_name = h.metadata.get("tokenizer.ggml.pre").and_then(MetaValue::as_str).unwrap_or("default");
        let res: Vec<&str> = match pre_name {
            "qwen2" | "deepseek-r1-qwen" => vec![QWEN2_RE],
            "llama-bpe" | "llama3" | "dbrx" | "smaug-bpe" => vec![LLAMA3_RE],
            "smollm" | "starcoder" | "refact" | "command-r" | "codeshell" => vec![DIGITS_RE, GPT2_RE],
            "gpt-2" | "gpt2" | "default" => vec![GPT2_RE],
            other => return Err(LlmError::Unsupported(format!("pre-tokenizer '{other}'"))),
        };
        let pre = res
            .iter()
            .map(|r| Regex::new(r).map_err(|e| LlmError::Internal(e.to_string())))
            .collect::<Result<Vec<_>, _>>()?;
        let tokens = strings(h, "tokenizer.ggml.tokens")?;
        if tokens.is_empty() || tokens.len() > 1 << 24 {
            return Err(LlmError::BadGguf(format!("vocabulary of {} tokens", tokens.len())));
        }
        let kinds: Vec<i32> = match h.metadata.get("tokenizer.ggml.token_type").and_then(MetaValue::as_array) {
            Some(a) => a.iter().map(|v| v.as_f64().unwrap_or(1.0) as i32).collect(),
            None => vec![1; tokens.len()],
        };
        let vocab: HashMap<String, TokenId> =
            tokens.iter().enumerate().map(|(i, t)| (t.clone(), i as TokenId)).collect();
        let mut merges = HashMap::new();
        for (rank, m) in strings(h, "tokenizer.ggml.merges")?.iter().enumerate() {
            let Some((a, b)) = m.split_once(' ') else { continue };
            if let (Some(&ia), Some(&ib), Some(&im)) = (vocab.get(a), vocab.get(b), vocab.get(&format!("{a}{b}"))) {
                merges.entry((ia, ib)).or_insert((rank as u32, im));
            }
        }
        let table = byte_chars();
        let mut byte_ids = [None; 256];
        let mut char_to_byte = HashMap::new();
        for (b, c) in table.iter().enumerate() {
            char_to_byte.insert(*c, b as u8);
            byte_ids[b] = vocab.get(&c.to_string()).copied();
        }
        let mut specials: Vec<(String, TokenId)> = tokens
            .iter()
            .enumerate()
            .filter(|(i, t)| matches!(kinds.get(*i), Some(3 | 4)) && !t.is_empty())
            .map(|(i, t)| (t.clone(), i as TokenId))
            .collect();
        specials.sort_by_key(|s| std::cmp::Reverse(s.0.len()));
        let id = |k: &str| h.metadata.get(k).and_then(MetaValue::as_u64).map(|v| v as TokenId);
        let n = tokens.len() as TokenId;
        Ok(Self {
            unk: id("tokenizer.ggml.unknown_token_id").filter(|&v| v < n),
            bos: id("tokenizer.ggml.bos_token_id").filter(|&v| v < n),
            eos: id("tokenizer.ggml.eos_token_id").filter(|&v| v < n),
            add_bos: h.metadata.get("tokenizer.ggml.add_bos_token").and_then(MetaValue::as_bool).unwrap_or(false),
            tokens,
            kinds,
            vocab,
            merges,
            byte_ids,
            char_to_byte,
            specials,
            pre,
            cache: Mutex::new(HashMap::new()),
        })
    }

    pub fn vocab_size(&self) -> usize {
        self.tokens.len()
    }

    /// The id of an exact token string (e.g. `<|im_end|>`).
    pub fn token_id(&self, s: &str) -> Option<TokenId> {
        self.vocab.get(s).copied()
    }

    /// Whether `id` is a control token (end markers, chat markup).
    pub fn is_control(&self, id: TokenId) -> bool {
        self.kinds.get(id as usize) == Some(&3)
    }

    /// Encode text. With `parse_special`, control/user-defined token strings
    /// in the text become their ids; without it they are plain text.
    pub fn encode(&self, text: &str, parse_special: bool) -> Vec<TokenId> {
        let text: String = text.nfc().collect();
        let mut out = Vec::new();
        if !parse_special {
            self.encode_plain(&text, &mut out);
            return out;
        }
        let mut rest = text.as_str();
        while !rest.is_empty() {
            let hit = self
                .specials
                .iter()
                .filter_map(|(s, id)| rest.find(s.as_str()).map(|p| (p, s.len(), *id)))
                .min_by_key(|&(p, len, _)| (p, usize::MAX - len));
            match hit {
                Some((p, len, id)) => {
                    self.encode_plain(&rest[..p], &mut out);
                    out.push(id);
                    rest = &rest[p + len..];
                }
                None => {
                    self.encode_plain(rest, &mut out);
                    break;
                }
            }
        }
        out
    }

    fn split<'a>(&self, text: &'a str) -> Vec<&'a str> {
        let mut pieces = vec![text];
        for re in &self.pre {
            let mut next = Vec::new();
            for p in pieces {
                let mut last = 0;
                for m in re.find_iter(p) {
                    let Ok(m) = m else { break };
                    if m.start() > last {
                        next.push(&p[last..m.start()]);
                    }
                    next.push(m.as_str());
                    last = m.end();
                }
                if last < p.len() {
                    next.push(&p[last..]);
                }
            }
            pieces = next;
        }
        pieces
    }

    fn encode_plain(&self, text: &str, out: &mut Vec<TokenId>) {
        if text.is_empty() {
            return;
        }
        for word in self.split(text) {
            if let Ok(cache) = self.cache.lock()
                && let Some(ids) = cache.get(word)
            {
                out.extend_from_slice(ids);
                continue;
            }
            let ids = self.bpe(word.as_bytes());
            out.extend_from_slice(&ids);
            if word.len() < 64
                && let Ok(mut cache) = self.cache.lock()
            {
                if cache.len() > 50_000 {
                    cache.clear();
                }
                cache.insert(word.to_owned(), ids);
            }
        }
    }

    /// Merge the bytes of one pre-token by rank; O(n log n) with a heap.
    fn bpe(&self, bytes: &[u8]) -> Vec<TokenId> {
        let mut ids: Vec<TokenId> = bytes.iter().filter_map(|&b| self.byte_ids[b as usize].or(self.unk)).collect();
        let n = ids.len();
        if n < 2 {
            return ids;
        }
        let mut prev: Vec<isize> = (0..n as isize).map(|i| i - 1).collect();
        let mut next: Vec<usize> = (1..=n).collect();
        let mut alive = vec![true; n];
        let mut heap = BinaryHeap::new();
        let push = |heap: &mut BinaryHeap<std::cmp::Reverse<(u32, usize, TokenId, TokenId)>>, i: usize, a, b| {
            if let Some(&(rank, _)) = self.merges.get(&(a, b)) {
                heap.push(std::cmp::Reverse((rank, i, a, b)));
            }
        };
        for i in 0..n - 1 {
            push(&mut heap, i, ids[i], ids[i + 1]);
        }
        while let Some(std::cmp::Reverse((_, i, a, b))) = heap.pop() {
            let j = next[i];
            if !alive[i] || j >= n || !alive[j] || ids[i] != a || ids[j] != b {
                continue;
            }
            ids[i] = self.merges[&(a, b)].1;
            alive[j] = false;
            next[i] = next[j];
            if next[i] < n {
                prev[next[i]] = i as isize;
                push(&mut heap, i, ids[i], ids[next[i]]);
            }
            if prev[i] >= 0 {
                let p = prev[i] as usize;
                push(&mut heap, p, ids[p], ids[i]);
            }
        }
        ids.iter().zip(&alive).filter(|(_, a)| **a).map(|(id, _)| *id).collect()
    }

    /// The raw bytes of one token (control tokens give their text when
    /// `show_special`, nothing otherwise). Bytes, not a `String`: one token
    /// may hold half of a UTF-8 character.
    pub fn token_bytes(&self, id: TokenId, show_special: bool) -> Vec<u8> {
        let Some(t) = self.tokens.get(id as usize) else { return Vec::new() };
        match self.kinds.get(id as usize) {
            Some(3) => {
                if show_special {
                    t.as_bytes().to_vec()
                } else {
                    Vec::new()
                }
            }
            Some(4) => t.as_bytes().to_vec(),
            _ => {
                let mut v = Vec::with_capacity(t.len());
                for c in t.chars() {
                    match self.char_to_byte.get(&c) {
                        Some(&b) => v.push(b),
                        None => v.extend_from_slice(c.to_string().as_bytes()),
                    }
                }
                v
            }
        }
    }

    /// Decode ids to text; invalid UTF-8 becomes U+FFFD.
    /// The ids below `limit` whose text, leading whitespace aside, starts
    /// with one of `prefixes` (or is a proper start of one, e.g. `[` for `[1`).
    pub fn ids_starting_with(&self, prefixes: &[String], limit: usize) -> Vec<TokenId> {
        let prefixes: Vec<&[u8]> = prefixes.iter().map(|p| p.as_bytes()).filter(|p| !p.is_empty()).collect();
        if prefixes.is_empty() {
            return Vec::new();
        }
        (0..limit.min(self.vocab_size()) as TokenId)
            .filter(|&id| {
                let bytes = self.token_bytes(id, false);
                let text = bytes.trim_ascii_start();
                !text.is_empty() && prefixes.iter().any(|p| text.starts_with(p) || p.starts_with(text))
            })
            .collect()
    }

    pub fn decode(&self, ids: &[TokenId], show_special: bool) -> String {
        let bytes: Vec<u8> = ids.iter().flat_map(|&i| self.token_bytes(i, show_special)).collect();
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

/// Turns a stream of token bytes into text pieces that are always whole
/// UTF-8 characters: an incomplete trailing sequence waits for the next token.
#[derive(Default)]
pub struct Utf8Stream {
    pending: Vec<u8>,
}

impl Utf8Stream {
    /// Add bytes; returns the text that is now complete.
    pub fn push(&mut self, bytes: &[u8]) -> String {
        self.pending.extend_from_slice(bytes);
        let mut out = String::new();
        loop {
            match std::str::from_utf8(&self.pending) {
                Ok(s) => {
                    out.push_str(s);
                    self.pending.clear();
                    return out;
                }
                Err(e) => {
                    let good = e.valid_up_to();
                    out.push_str(&String::from_utf8_lossy(&self.pending[..good]));
                    match e.error_len() {
                        // Incomplete sequence at the end: keep it for later.
                        None => {
                            self.pending.drain(..good);
                            return out;
                        }
                        Some(bad) => {
                            out.push('\u{FFFD}');
                            self.pending.drain(..good + bad);
                        }
                    }
                }
            }
        }
    }

    /// Flush what is left at the end of generation.
    pub fn finish(&mut self) -> String {
        let s = String::from_utf8_lossy(&self.pending).into_owned();
        self.pending.clear();
        s
    }
}
