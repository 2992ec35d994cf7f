//! CTranslate2 Whisper (`model.bin` + `vocabulary.txt`) → whisper.cpp ggml.
//!
//! Output layout, as whisper.cpp's `convert-pt-to-ggml.py` writes it (all
//! little-endian i32 unless noted): magic `0x67676d6c`; n_vocab, n_audio_ctx,
//! n_audio_state, n_audio_head, n_audio_layer, n_text_ctx, n_text_state,
//! n_text_head, n_text_layer, n_mels, ftype (1 = f16); mel filterbank
//! (rows, cols, rows×cols f32); vocabulary (count, then per token a length
//! and raw bytes); then per tensor: n_dims, name length, ftype, dims in
//! reverse order, name, data. 2-D+ weights are f16; biases, norms, conv
//! biases (reshaped to [n, 1]) and positional embeddings are f32. Tensor
//! names and order follow openai-whisper's `state_dict`.
//!
//! CTranslate2 fuses self-attention q/k/v into `linear_0` and cross-attention
//! k/v into `linear_1`; they are split back here. Whisper's key projection
//! has no bias (CTranslate2 stores zeros there, which are dropped).
//! The vocabulary written is the byte-level BPE part (ids below the first
//! special token `<|endoftext|>`), decoded through GPT-2's byte↔unicode table.

use std::io::Write;

use super::ct2::{Ct2Model, DType, Var, f16_to_f32};
use super::mel::mel_filters;

const GGML_MAGIC: u32 = 0x6767_6d6c;

/// Model sizes read from the CTranslate2 variables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hparams {
    pub n_vocab: usize,
    pub n_audio_ctx: usize,
    pub n_audio_state: usize,
    pub n_audio_head: usize,
    pub n_audio_layer: usize,
    pub n_text_ctx: usize,
    pub n_text_state: usize,
    pub n_text_head: usize,
    pub n_text_layer: usize,
    pub n_mels: usize,
}

fn dims2(v: &Var<'_>, name: &str) -> Result<(usize, usize), String> {
    match v.dims.as_slice() {
        [a, b] => Ok((*a, *b)),
        d => Err(format!("{name} has shape {d:?}, expected 2 dimensions")),
    }
}

fn count_layers(m: &Ct2Model<'_>, prefix: &str) -> usize {
    (0..).take_while(|i| m.vars.keys().any(|k| k.starts_with(&format!("{prefix}/layer_{i}/")))).count()
}

fn heads(m: &Ct2Model<'_>, name: &str) -> Result<usize, String> {
    let n = m.var(name)?.scalar_int().ok_or_else(|| format!("{name} is not an integer scalar"))?;
    usize::try_from(n).ok().filter(|&n| n > 0).ok_or_else(|| format!("{name} = {n}"))
}

/// Reads the sizes and checks the spec.
pub fn hparams(m: &Ct2Model<'_>) -> Result<Hparams, String> {
    if m.spec != "WhisperSpec" {
        return Err(format!("spec is {}, expected WhisperSpec", m.spec));
    }
    let (n_vocab, n_text_state) = dims2(m.var("decoder/embeddings/weight")?, "decoder/embeddings/weight")?;
    let (n_audio_ctx, n_audio_state) =
        dims2(m.var("encoder/position_encodings/encodings")?, "encoder/position_encodings/encodings")?;
    let (n_text_ctx, _) =
        dims2(m.var("decoder/position_encodings/encodings")?, "decoder/position_encodings/encodings")?;
    let conv1 = m.var("encoder/conv1/weight")?;
    let n_mels = match conv1.dims.as_slice() {
        [_, mels, 3] => *mels,
        d => return Err(format!("encoder/conv1/weight has shape {d:?}")),
    };
    Ok(Hparams {
        n_vocab,
        n_audio_ctx,
        n_audio_state,
        n_audio_head: heads(m, "encoder/num_heads")?,
        n_audio_layer: count_layers(m, "encoder"),
        n_text_ctx,
        n_text_state,
        n_text_head: heads(m, "decoder/num_heads")?,
        n_text_layer: count_layers(m, "decoder"),
        n_mels,
    })
}

/// GPT-2's byte → printable character table, inverted.
fn unicode_to_byte() -> std::collections::HashMap<char, u8> {
    let mut bs: Vec<u32> = (b'!' as u32..=b'~' as u32).chain(0xA1..=0xAC).chain(0xAE..=0xFF).collect();
    let mut cs = bs.clone();
    let mut n = 0;
    for b in 0..256u32 {
        if !bs.contains(&b) {
            bs.push(b);
            cs.push(256 + n);
            n += 1;
        }
    }
    bs.into_iter().zip(cs).filter_map(|(b, c)| Some((char::from_u32(c)?, b as u8))).collect()
}

/// The byte-level tokens of `vocabulary.txt` (one token per line), up to the
/// first special token.
pub fn vocabulary(text: &str) -> Result<Vec<Vec<u8>>, String> {
    let table = unicode_to_byte();
    let mut out = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        if line == "<|endoftext|>" {
            return Ok(out);
        }
        let bytes: Option<Vec<u8>> = line.chars().map(|c| table.get(&c).copied()).collect();
        out.push(bytes.ok_or_else(|| format!("vocabulary line {} is not byte-level BPE: {line:?}", i + 1))?);
    }
    Err("vocabulary has no <|endoftext|> token".into())
}

struct Writer<'w, W: Write> {
    out: &'w mut W,
}

impl<W: Write> Writer<'_, W> {
    fn i32(&mut self, v: usize) -> Result<(), String> {
        let v = i32::try_from(v).map_err(|_| format!("value {v} does not fit the ggml header"))?;
        self.out.write_all(&v.to_le_bytes()).map_err(|e| e.to_string())
    }

    fn bytes(&mut self, b: &[u8]) -> Result<(), String> {
        self.out.write_all(b).map_err(|e| e.to_string())
    }

    /// Writes one tensor. `shape` is in PyTorch order; `rows` selects a row range of the source.
    fn tensor(
        &mut self,
        name: &str,
        shape: &[usize],
        src: &Var<'_>,
        rows: std::ops::Range<usize>,
        f32_out: bool,
    ) -> Result<(), String> {
        if src.dtype != DType::F16 && src.dtype != DType::F32 {
            return Err(format!("{name}: source dtype {:?} is not a float", src.dtype));
        }
        let row_elems: usize = src.dims.iter().skip(1).product::<usize>().max(1);
        let numel: usize = shape.iter().product();
        let (start, end) = (rows.start * row_elems, rows.end * row_elems);
        if end - start != numel || end > src.numel() {
            return Err(format!("{name}: shape {shape:?} does not fit source {:?} rows {rows:?}", src.dims));
        }
        self.i32(shape.len())?;
        self.i32(name.len())?;
        self.i32(if f32_out { 0 } else { 1 })?;
        for d in shape.iter().rev() {
            self.i32(*d)?;
        }
        self.bytes(name.as_bytes())?;
        let es = src.dtype.size();
        let raw = &src.data[start * es..end * es];
        match (src.dtype, f32_out) {
            (DType::F16, false) | (DType::F32, true) => self.bytes(raw),
            (DType::F16, true) => {
                let mut buf = Vec::with_capacity(numel * 4);
                for c in raw.chunks_exact(2) {
                    buf.extend(f16_to_f32(u16::from_le_bytes([c[0], c[1]])).to_le_bytes());
                }
                self.bytes(&buf)
            }
            (DType::F32, false) => Err(format!("{name}: f32 → f16 is not supported")),
            _ => unreachable!("checked above"),
        }
    }
}

/// Writes the ggml file for `model` with the given vocabulary to `out`.
pub fn convert(model: &Ct2Model<'_>, vocab: &[Vec<u8>], out: &mut impl Write) -> Result<Hparams, String> {
    let hp = hparams(model)?;
    let mut w = Writer { out };
    w.bytes(&GGML_MAGIC.to_le_bytes())?;
    for v in [
        hp.n_vocab,
        hp.n_audio_ctx,
        hp.n_audio_state,
        hp.n_audio_head,
        hp.n_audio_layer,
        hp.n_text_ctx,
        hp.n_text_state,
        hp.n_text_head,
        hp.n_text_layer,
        hp.n_mels,
        1,
    ] {
        w.i32(v)?;
    }
    let n_fft = 400;
    let filters = mel_filters(16000, n_fft, hp.n_mels);
    w.i32(hp.n_mels)?;
    w.i32(n_fft / 2 + 1)?;
    let mut buf = Vec::with_capacity(filters.len() * 4);
    for f in filters {
        buf.extend(f.to_le_bytes());
    }
    w.bytes(&buf)?;
    if vocab.len() >= hp.n_vocab {
        return Err(format!("vocabulary has {} tokens for a model of {}", vocab.len(), hp.n_vocab));
    }
    w.i32(vocab.len())?;
    for t in vocab {
        w.i32(t.len())?;
        w.bytes(t)?;
    }

    let v = |n: &str| model.var(n);
    let all = |var: &Var<'_>| 0..var.dims.first().copied().unwrap_or(1);
    let d = hp.n_audio_state;

    // Encoder: own buffer first (state_dict order), then convolutions, blocks, final norm.
    let pe = v("encoder/position_encodings/encodings")?;
    w.tensor("encoder.positional_embedding", &[hp.n_audio_ctx, d], pe, all(pe), true)?;
    for c in ["conv1", "conv2"] {
        let wt = v(&format!("encoder/{c}/weight"))?;
        w.tensor(&format!("encoder.{c}.weight"), &wt.dims.clone(), wt, all(wt), false)?;
        let b = v(&format!("encoder/{c}/bias"))?;
        w.tensor(&format!("encoder.{c}.bias"), &[d, 1], b, all(b), true)?;
    }
    for i in 0..hp.n_audio_layer {
        let src = format!("encoder/layer_{i}");
        let dst = format!("encoder.blocks.{i}");
        self_attention(&mut w, model, &src, &dst, d)?;
        ffn(&mut w, model, &src, &dst)?;
    }
    norm(&mut w, model, "encoder/layer_norm", "encoder.ln_post")?;

    // Decoder: own parameter first, then token embedding, blocks, final norm.
    let d = hp.n_text_state;
    let pe = v("decoder/position_encodings/encodings")?;
    w.tensor("decoder.positional_embedding", &[hp.n_text_ctx, d], pe, all(pe), true)?;
    let emb = v("decoder/embeddings/weight")?;
    w.tensor("decoder.token_embedding.weight", &[hp.n_vocab, d], emb, all(emb), false)?;
    for i in 0..hp.n_text_layer {
        let src = format!("decoder/layer_{i}");
        let dst = format!("decoder.blocks.{i}");
        self_attention(&mut w, model, &src, &dst, d)?;
        cross_attention(&mut w, model, &src, &dst, d)?;
        ffn(&mut w, model, &src, &dst)?;
    }
    norm(&mut w, model, "decoder/layer_norm", "decoder.ln")?;
    Ok(hp)
}

fn linear<W: Write>(
    w: &mut Writer<'_, W>,
    m: &Ct2Model<'_>,
    src: &str,
    dst: &str,
    rows: std::ops::Range<usize>,
    bias: bool,
) -> Result<(), String> {
    let wt = m.var(&format!("{src}/weight"))?;
    let (_, cols) = dims2(wt, src)?;
    w.tensor(&format!("{dst}.weight"), &[rows.len(), cols], wt, rows.clone(), false)?;
    if bias {
        let b = m.var(&format!("{src}/bias"))?;
        w.tensor(&format!("{dst}.bias"), &[rows.len()], b, rows, true)?;
    }
    Ok(())
}

fn norm<W: Write>(w: &mut Writer<'_, W>, m: &Ct2Model<'_>, src: &str, dst: &str) -> Result<(), String> {
    for (s, t) in [("gamma", "weight"), ("beta", "bias")] {
        let v = m.var(&format!("{src}/{s}"))?;
        w.tensor(&format!("{dst}.{t}"), &v.dims.clone(), v, 0..v.dims.first().copied().unwrap_or(1), true)?;
    }
    Ok(())
}

fn self_attention<W: Write>(
    w: &mut Writer<'_, W>,
    m: &Ct2Model<'_>,
    src: &str,
    dst: &str,
    d: usize,
) -> Result<(), String> {
    let qkv = format!("{src}/self_attention/linear_0");
    linear(w, m, &qkv, &format!("{dst}.attn.query"), 0..d, true)?;
    linear(w, m, &qkv, &format!("{dst}.attn.key"), d..2 * d, false)?;
    linear(w, m, &qkv, &format!("{dst}.attn.value"), 2 * d..3 * d, true)?;
    linear(w, m, &format!("{src}/self_attention/linear_1"), &format!("{dst}.attn.out"), 0..d, true)?;
    norm(w, m, &format!("{src}/self_attention/layer_norm"), &format!("{dst}.attn_ln"))
}

fn cross_attention<W: Write>(
    w: &mut Writer<'_, W>,
    m: &Ct2Model<'_>,
    src: &str,
    dst: &str,
    d: usize,
) -> Result<(), String> {
    linear(w, m, &format!("{src}/attention/linear_0"), &format!("{dst}.cross_attn.query"), 0..d, true)?;
    let kv = format!("{src}/attention/linear_1");
    linear(w, m, &kv, &format!("{dst}.cross_attn.key"), 0..d, false)?;
    linear(w, m, &kv, &format!("{dst}.cross_attn.value"), d..2 * d, true)?;
    linear(w, m, &format!("{src}/attention/linear_2"), &format!("{dst}.cross_attn.out"), 0..d, true)?;
    norm(w, m, &format!("{src}/attention/layer_norm"), &format!("{dst}.cross_attn_ln"))
}

fn ffn<W: Write>(w: &mut Writer<'_, W>, m: &Ct2Model<'_>, src: &str, dst: &str) -> Result<(), String> {
    let l0 = m.var(&format!("{src}/ffn/linear_0/weight"))?;
    let l1 = m.var(&format!("{src}/ffn/linear_1/weight"))?;
    linear(
        w,
        m,
        &format!("{src}/ffn/linear_0"),
        &format!("{dst}.mlp.0"),
        0..l0.dims.first().copied().unwrap_or(0),
        true,
    )?;
    linear(
        w,
        m,
        &format!("{src}/ffn/linear_1"),
        &format!("{dst}.mlp.2"),
        0..l1.dims.first().copied().unwrap_or(0),
        true,
    )?;
    norm(w, m, &format!("{src}/ffn/layer_norm"), &format!("{dst}.mlp_ln"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A half float holding a small non-negative integer (exact below 2048).
    fn f16_int(n: u16) -> [u8; 2] {
        if n == 0 {
            return [0, 0];
        }
        let e = 15 - n.leading_zeros() as u16;
        let bits = ((e + 15) << 10) | ((n - (1 << e)) << (10 - e));
        bits.to_le_bytes()
    }

    /// Serialises variables in the CTranslate2 layout (see `ct2.rs`).
    fn ct2_file(vars: &[(String, Vec<usize>, u8, Vec<u8>)]) -> Vec<u8> {
        let mut b = Vec::new();
        let string = |b: &mut Vec<u8>, s: &str| {
            b.extend((s.len() as u16).to_le_bytes());
            b.extend(s.as_bytes());
        };
        b.extend(6u32.to_le_bytes());
        string(&mut b, "WhisperSpec");
        b.extend(3u32.to_le_bytes());
        b.extend((vars.len() as u32).to_le_bytes());
        for (name, dims, dtype, data) in vars {
            string(&mut b, name);
            b.push(dims.len() as u8);
            for d in dims {
                b.extend((*d as u32).to_le_bytes());
            }
            b.push(*dtype);
            b.extend((data.len() as u32).to_le_bytes());
            b.extend(data);
        }
        b.extend(0u32.to_le_bytes());
        b
    }

    /// An f16 variable whose row `r` holds the value `r` everywhere.
    fn rows(name: &str, dims: &[usize]) -> (String, Vec<usize>, u8, Vec<u8>) {
        let per_row: usize = dims[1..].iter().product();
        let data = (0..dims[0]).flat_map(|r| std::iter::repeat_n(f16_int(r as u16), per_row)).flatten().collect();
        (name.to_owned(), dims.to_vec(), 4, data)
    }

    fn scalar(name: &str, v: i16) -> (String, Vec<usize>, u8, Vec<u8>) {
        (name.to_owned(), vec![], 2, v.to_le_bytes().to_vec())
    }

    // Sizes of the synthetic model: state 8, 2 heads, 1 layer each side.
    const D: usize = 8;
    const FF: usize = 16;
    const MELS: usize = 4;
    const VOCAB: usize = 12;
    const AUDIO_CTX: usize = 6;
    const TEXT_CTX: usize = 5;

    fn tiny_whisper() -> Vec<u8> {
        let mut v = vec![
            scalar("encoder/num_heads", 2),
            scalar("decoder/num_heads", 2),
            rows("encoder/conv1/weight", &[D, MELS, 3]),
            rows("encoder/conv1/bias", &[D]),
            rows("encoder/conv2/weight", &[D, D, 3]),
            rows("encoder/conv2/bias", &[D]),
            rows("encoder/position_encodings/encodings", &[AUDIO_CTX, D]),
            rows("encoder/layer_norm/gamma", &[D]),
            rows("encoder/layer_norm/beta", &[D]),
            rows("decoder/embeddings/weight", &[VOCAB, D]),
            rows("decoder/position_encodings/encodings", &[TEXT_CTX, D]),
            rows("decoder/layer_norm/gamma", &[D]),
            rows("decoder/layer_norm/beta", &[D]),
        ];
        let mut linear = |name: String, out: usize, inp: usize| {
            v.push(rows(&format!("{name}/weight"), &[out, inp]));
            v.push(rows(&format!("{name}/bias"), &[out]));
        };
        for side in ["encoder", "decoder"] {
            let l = format!("{side}/layer_0");
            linear(format!("{l}/self_attention/linear_0"), 3 * D, D);
            linear(format!("{l}/self_attention/linear_1"), D, D);
            linear(format!("{l}/ffn/linear_0"), FF, D);
            linear(format!("{l}/ffn/linear_1"), D, FF);
            if side == "decoder" {
                linear(format!("{l}/attention/linear_0"), D, D);
                linear(format!("{l}/attention/linear_1"), 2 * D, D);
                linear(format!("{l}/attention/linear_2"), D, D);
            }
        }
        for side in ["encoder", "decoder"] {
            let norms: &[&str] =
                if side == "encoder" { &["self_attention", "ffn"] } else { &["self_attention", "attention", "ffn"] };
            for n in norms {
                v.push(rows(&format!("{side}/layer_0/{n}/layer_norm/gamma"), &[D]));
                v.push(rows(&format!("{side}/layer_0/{n}/layer_norm/beta"), &[D]));
            }
        }
        ct2_file(&v)
    }

    /// One tensor of a ggml file: name, dims in ggml order, ftype, first element.
    #[derive(Debug, PartialEq)]
    struct Header {
        name: String,
        ne: Vec<usize>,
        ftype: i32,
        first: f32,
    }

    fn i32_at(b: &[u8], p: &mut usize) -> i32 {
        let v = i32::from_le_bytes(b[*p..*p + 4].try_into().unwrap());
        *p += 4;
        v
    }

    /// Reads a ggml file back: hparams, filterbank shape, vocabulary size, tensor headers.
    fn read_ggml(b: &[u8]) -> (Vec<i32>, (i32, i32), i32, Vec<Header>) {
        assert_eq!(&b[..4], &GGML_MAGIC.to_le_bytes());
        let mut p = 4;
        let hp: Vec<i32> = (0..11).map(|_| i32_at(b, &mut p)).collect();
        let mel = (i32_at(b, &mut p), i32_at(b, &mut p));
        p += (mel.0 * mel.1) as usize * 4;
        let n_vocab = i32_at(b, &mut p);
        for _ in 0..n_vocab {
            p += i32_at(b, &mut p) as usize;
        }
        let mut tensors = Vec::new();
        while p < b.len() {
            let (n_dims, name_len, ftype) = (i32_at(b, &mut p), i32_at(b, &mut p), i32_at(b, &mut p));
            let ne: Vec<usize> = (0..n_dims).map(|_| i32_at(b, &mut p) as usize).collect();
            let name = String::from_utf8(b[p..p + name_len as usize].to_vec()).unwrap();
            p += name_len as usize;
            let first = if ftype == 0 {
                f32::from_le_bytes(b[p..p + 4].try_into().unwrap())
            } else {
                f16_to_f32(u16::from_le_bytes([b[p], b[p + 1]]))
            };
            p += ne.iter().product::<usize>() * if ftype == 0 { 4 } else { 2 };
            tensors.push(Header { name, ne, ftype, first });
        }
        (hp, mel, n_vocab, tensors)
    }

    /// What whisper.cpp's loader expects, in the order upstream's converter
    /// writes it: (name, ggml dims, ftype, first element of the synthetic model).
    fn expected() -> Vec<(String, Vec<usize>, i32, f32)> {
        let t = |n: &str, ne: &[usize], ftype: i32, first: usize| (n.to_owned(), ne.to_vec(), ftype, first as f32);
        let mut e = vec![
            t("encoder.positional_embedding", &[D, AUDIO_CTX], 0, 0),
            t("encoder.conv1.weight", &[3, MELS, D], 1, 0),
            t("encoder.conv1.bias", &[1, D], 0, 0),
            t("encoder.conv2.weight", &[3, D, D], 1, 0),
            t("encoder.conv2.bias", &[1, D], 0, 0),
        ];
        let attn = |e: &mut Vec<_>, p: &str, first_row: usize| {
            e.push(t(&format!("{p}.query.weight"), &[D, D], 1, first_row));
            e.push(t(&format!("{p}.query.bias"), &[D], 0, first_row));
            e.push(t(&format!("{p}.key.weight"), &[D, D], 1, first_row + D));
            e.push(t(&format!("{p}.value.weight"), &[D, D], 1, first_row + 2 * D));
            e.push(t(&format!("{p}.value.bias"), &[D], 0, first_row + 2 * D));
        };
        let norm = |e: &mut Vec<_>, p: &str| {
            e.push(t(&format!("{p}.weight"), &[D], 0, 0));
            e.push(t(&format!("{p}.bias"), &[D], 0, 0));
        };
        let mlp = |e: &mut Vec<_>, p: &str| {
            e.push(t(&format!("{p}.mlp.0.weight"), &[D, FF], 1, 0));
            e.push(t(&format!("{p}.mlp.0.bias"), &[FF], 0, 0));
            e.push(t(&format!("{p}.mlp.2.weight"), &[FF, D], 1, 0));
            e.push(t(&format!("{p}.mlp.2.bias"), &[D], 0, 0));
        };
        let out = |e: &mut Vec<_>, p: &str| {
            e.push(t(&format!("{p}.out.weight"), &[D, D], 1, 0));
            e.push(t(&format!("{p}.out.bias"), &[D], 0, 0));
        };
        attn(&mut e, "encoder.blocks.0.attn", 0);
        out(&mut e, "encoder.blocks.0.attn");
        norm(&mut e, "encoder.blocks.0.attn_ln");
        mlp(&mut e, "encoder.blocks.0");
        norm(&mut e, "encoder.blocks.0.mlp_ln");
        norm(&mut e, "encoder.ln_post");
        e.push(t("decoder.positional_embedding", &[D, TEXT_CTX], 0, 0));
        e.push(t("decoder.token_embedding.weight", &[D, VOCAB], 1, 0));
        attn(&mut e, "decoder.blocks.0.attn", 0);
        out(&mut e, "decoder.blocks.0.attn");
        norm(&mut e, "decoder.blocks.0.attn_ln");
        // Cross-attention: the query is its own matrix, key and value are fused (rows 0.., D..).
        e.push(t("decoder.blocks.0.cross_attn.query.weight", &[D, D], 1, 0));
        e.push(t("decoder.blocks.0.cross_attn.query.bias", &[D], 0, 0));
        e.push(t("decoder.blocks.0.cross_attn.key.weight", &[D, D], 1, 0));
        e.push(t("decoder.blocks.0.cross_attn.value.weight", &[D, D], 1, D));
        e.push(t("decoder.blocks.0.cross_attn.value.bias", &[D], 0, D));
        out(&mut e, "decoder.blocks.0.cross_attn");
        norm(&mut e, "decoder.blocks.0.cross_attn_ln");
        mlp(&mut e, "decoder.blocks.0");
        norm(&mut e, "decoder.blocks.0.mlp_ln");
        norm(&mut e, "decoder.ln");
        e
    }

    #[test]
    fn tensors_have_whisper_cpp_names_shapes_types_and_split_rows() {
        let buf = tiny_whisper();
        let model = crate::convert::ct2::parse(&buf).unwrap();
        let vocab = vec![b"a".to_vec(), b" b".to_vec(), vec![0xe5, 0x9c]];
        let mut out = Vec::new();
        convert(&model, &vocab, &mut out).unwrap();
        let (hp, mel, n_vocab, tensors) = read_ggml(&out);
        let want_hp = [VOCAB, AUDIO_CTX, D, 2, 1, TEXT_CTX, D, 2, 1, MELS, 1];
        assert_eq!(hp, want_hp.map(|v| v as i32));
        assert_eq!(mel, (MELS as i32, 201));
        assert_eq!(n_vocab, 3);
        let got: Vec<_> = tensors.into_iter().map(|h| (h.name, h.ne, h.ftype, h.first)).collect();
        let want = expected();
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(g, w);
        }
        assert_eq!(got.len(), want.len());
    }

    #[test]
    fn vocabulary_is_byte_level_up_to_the_first_special_token() {
        let text = "!\nĠthe\nåľº\n<|endoftext|>\n<|startoftranscript|>\n";
        let v = vocabulary(text).unwrap();
        assert_eq!(v, vec![b"!".to_vec(), b" the".to_vec(), vec![0xe5, 0x9c, 0xba]]);
        assert!(vocabulary("a\nb\n").unwrap_err().contains("<|endoftext|>"));
        assert!(vocabulary("€\n<|endoftext|>").is_err());
    }
}
