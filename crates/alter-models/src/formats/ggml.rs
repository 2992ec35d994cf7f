//! whisper.cpp ggml model header reader, hardened.
//!
//! Reads the hyper-parameters, the mel filterbank size, the vocabulary and
//! the tensor directory (skipping tensor data), checking each length against
//! the bytes left. The vocabulary may not exceed `n_vocab`, and the token
//! embedding must have `n_vocab` rows: a file with the wrong vocabulary size
//! is refused here, not half-loaded by whisper.cpp.

use std::io::Read;

use super::reader::Bounded;

pub const GGML_MAGIC: u32 = 0x6767_6d6c;

/// The header of a whisper ggml file.
#[derive(Debug, Clone, PartialEq)]
pub struct WhisperGgmlHeader {
    /// n_vocab, n_audio_ctx, n_audio_state, n_audio_head, n_audio_layer,
    /// n_text_ctx, n_text_state, n_text_head, n_text_layer, n_mels, ftype.
    pub hparams: [i32; 11],
    pub mel_rows: usize,
    pub mel_cols: usize,
    pub vocab_len: usize,
    pub tensor_count: usize,
}

impl WhisperGgmlHeader {
    pub fn n_vocab(&self) -> i32 {
        self.hparams[0]
    }
    pub fn n_audio_layer(&self) -> i32 {
        self.hparams[4]
    }
}

/// Reads and checks a whisper ggml file of total length `len`.
pub fn read_header<R: Read>(input: R, len: u64) -> Result<WhisperGgmlHeader, String> {
    let mut r = Bounded::new(input, len);
    if r.u32("magic")? != GGML_MAGIC {
        return Err("wrong magic (not a whisper ggml file)".into());
    }
    let mut hparams = [0i32; 11];
    for (i, h) in hparams.iter_mut().enumerate() {
        *h = r.i32("hyper-parameter")?;
        if *h < 0 || (*h == 0 && i != 10) || *h > 1 << 20 {
            return Err(format!("hyper-parameter {i} = {h} is out of range"));
        }
    }
    let [n_vocab, _, _, _, _, _, n_text_state, ..] = hparams;
    let mel_rows = r.i32("mel rows")?;
    let mel_cols = r.i32("mel columns")?;
    if mel_rows != hparams[9] || !(1..=1024).contains(&mel_cols) {
        return Err(format!("mel filterbank {mel_rows}×{mel_cols} does not match {} mels", hparams[9]));
    }
    r.skip(mel_rows as u64 * mel_cols as u64 * 4, "mel filterbank")?;
    let vocab_len = r.i32("vocabulary size")?;
    if vocab_len < 0 || vocab_len > n_vocab {
        return Err(format!("vocabulary has {vocab_len} tokens but the model has {n_vocab}"));
    }
    for _ in 0..vocab_len {
        let n = r.u32("token length")?;
        if n > 1024 {
            return Err(format!("token of {n} bytes"));
        }
        r.skip(n as u64, "token")?;
    }
    let mut tensor_count = 0;
    let mut saw_embedding = false;
    while r.remaining > 0 {
        let n_dims = r.i32("tensor rank")?;
        let name_len = r.i32("tensor name length")?;
        let ftype = r.i32("tensor type")?;
        if !(1..=4).contains(&n_dims) || !(1..=256).contains(&name_len) || !(0..=1).contains(&ftype) {
            return Err(format!(
                "tensor entry {tensor_count} is malformed (rank {n_dims}, name {name_len} bytes, type {ftype})"
            ));
        }
        let mut dims = Vec::with_capacity(n_dims as usize);
        for _ in 0..n_dims {
            let d = r.i32("tensor dimension")?;
            if d <= 0 {
                return Err(format!("tensor entry {tensor_count} has dimension {d}"));
            }
            dims.push(d as u64);
        }
        let name = r.string(name_len as u64, 256, "tensor name")?;
        if name == "decoder.token_embedding.weight" {
            saw_embedding = true;
            if dims != [n_text_state as u64, n_vocab as u64] {
                return Err(format!(
                    "token embedding is {dims:?}, expected [{n_text_state}, {n_vocab}] (wrong vocabulary size)"
                ));
            }
        }
        let elem = if ftype == 0 { 4 } else { 2 };
        let bytes = dims.iter().try_fold(elem, |a: u64, &d| a.checked_mul(d)).ok_or("tensor too large")?;
        r.skip(bytes, &format!("tensor {name}"))?;
        tensor_count += 1;
    }
    if !saw_embedding {
        return Err("no decoder.token_embedding.weight tensor".into());
    }
    Ok(WhisperGgmlHeader {
        hparams,
        mel_rows: mel_rows as usize,
        mel_cols: mel_cols as usize,
        vocab_len: vocab_len as usize,
        tensor_count,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A tiny but structurally valid file: vocab 4 (3 tokens), 2 mels × 3, one embedding.
    pub fn tiny(n_vocab: i32, emb_rows: i32) -> Vec<u8> {
        let mut b = GGML_MAGIC.to_le_bytes().to_vec();
        for h in [n_vocab, 4, 2, 1, 1, 4, 2, 1, 1, 2, 1] {
            b.extend(h.to_le_bytes());
        }
        b.extend(2i32.to_le_bytes());
        b.extend(3i32.to_le_bytes());
        b.extend([0u8; 24]);
        b.extend(3i32.to_le_bytes());
        for t in [&b"a"[..], b"bc", b""] {
            b.extend((t.len() as u32).to_le_bytes());
            b.extend(t);
        }
        let name = b"decoder.token_embedding.weight";
        b.extend(2i32.to_le_bytes());
        b.extend((name.len() as i32).to_le_bytes());
        b.extend(1i32.to_le_bytes());
        b.extend(2i32.to_le_bytes());
        b.extend(emb_rows.to_le_bytes());
        b.extend(name);
        b.extend(vec![0u8; 2 * 2 * emb_rows as usize]);
        b
    }

    fn parse(b: &[u8]) -> Result<WhisperGgmlHeader, String> {
        read_header(b, b.len() as u64)
    }

    #[test]
    fn mutated_files_never_panic() {
        let (ok, err) = crate::formats::mutate::fuzz(&tiny(4, 4), 20_000, parse);
        assert!(ok > 0 && err > 0, "the mutations exercise both paths: {ok} parsed, {err} refused");
    }

    #[test]
    fn reads_a_small_file() {
        let h = parse(&tiny(4, 4)).unwrap();
        assert_eq!((h.n_vocab(), h.vocab_len, h.tensor_count), (4, 3, 1));
    }

    #[test]
    fn wrong_vocabulary_size_is_refused() {
        assert!(parse(&tiny(4, 5)).unwrap_err().contains("vocabulary"));
        assert!(parse(&tiny(2, 2)).unwrap_err().contains("vocabulary"));
    }

    #[test]
    fn every_truncation_is_an_error() {
        let b = tiny(4, 4);
        for n in 0..b.len() {
            assert!(parse(&b[..n]).is_err(), "prefix of {n} bytes parsed");
        }
    }

    #[test]
    fn hostile_lengths() {
        let mut b = tiny(4, 4);
        b[0] ^= 1;
        assert!(parse(&b).unwrap_err().contains("magic"));
        let mut b = tiny(4, 4);
        // first token length → 2^31
        let off = 4 + 44 + 8 + 24 + 4;
        b[off..off + 4].copy_from_slice(&0x8000_0000u32.to_le_bytes());
        assert!(parse(&b).is_err());
        let mut b = tiny(4, 4);
        // vocabulary count
        let off = 4 + 44 + 8 + 24;
        b[off..off + 4].copy_from_slice(&i32::MAX.to_le_bytes());
        assert!(parse(&b).is_err());
    }
}
