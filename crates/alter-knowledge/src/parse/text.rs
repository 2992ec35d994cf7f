//! Plain text: decoding any common encoding, and splitting into paragraphs.
//!
//! Decoding order: a byte-order mark wins; then UTF-16 recognised by its
//! zero bytes; then valid UTF-8; otherwise `chardetng` guesses (GBK/GB18030,
//! Big5, Shift-JIS, the Windows code pages…) and `encoding_rs` decodes with
//! replacement characters, so invalid bytes never fail a document. Content
//! that still decodes to mostly control characters is refused as binary.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE};

use super::{Loc, Role, Sink};
use crate::error::ParseError;

/// Decodes a text file of unknown encoding to a `String`.
pub fn decode_text(bytes: &[u8]) -> Result<String, ParseError> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return check_text(enc.decode_without_bom_handling(&bytes[bom_len..]).0.into_owned());
    }
    if let Some(enc) = utf16_without_bom(bytes) {
        return check_text(enc.decode_without_bom_handling(bytes).0.into_owned());
    }
    let sample = &bytes[..bytes.len().min(64 * 1024)];
    if sample.contains(&0) {
        return Err(ParseError::Binary);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return check_text(s.to_owned());
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(&bytes[..bytes.len().min(1 << 20)], bytes.len() <= 1 << 20);
    let enc = detector.guess(None, chardetng::Utf8Detection::Allow);
    check_text(enc.decode_without_bom_handling(bytes).0.into_owned())
}

/// UTF-16 text without a BOM has a zero in (almost) every other byte.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(4096) & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let even_zeros = sample.iter().step_by(2).filter(|b| **b == 0).count();
    let odd_zeros = sample.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
    if odd_zeros * 10 >= pairs * 4 && even_zeros * 20 < pairs {
        Some(UTF_16LE)
    } else if even_zeros * 10 >= pairs * 4 && odd_zeros * 20 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// Refuses text that is mostly control or replacement characters.
fn check_text(s: String) -> Result<String, ParseError> {
    let mut total = 0usize;
    let mut bad = 0usize;
    for c in s.chars().take(100_000) {
        total += 1;
        if c == '\u{FFFD}' || (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\x0C')) {
            bad += 1;
        }
    }
    if total > 0 && bad * 10 > total { Err(ParseError::Binary) } else { Ok(s) }
}

/// Paragraphs are separated by blank lines.
pub(crate) fn parse_plain(text: &str, sink: &mut Sink) {
    let mut para = String::new();
    let mut n = 0u32;
    for line in text.lines() {
        if line.trim().is_empty() {
            if !para.trim().is_empty() {
                n += 1;
                if !sink.push(&para, Role::Para, Loc::Para(n)) {
                    return;
                }
            }
            para.clear();
        } else {
            para.push_str(line.trim_end());
            para.push('\n');
        }
    }
    if !para.trim().is_empty() {
        sink.push(&para, Role::Para, Loc::Para(n + 1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZH: &str = "需求评审每两周一次。线上故障要在30分钟内响应。";

    #[test]
    fn decodes_common_encodings() {
        // Big5 is Traditional Chinese: simplified characters do not exist in it.
        let hant = "需求評審每兩週一次。線上故障要在30分鐘內回應。";
        for (enc, sample) in [(encoding_rs::GBK, ZH), (encoding_rs::GB18030, ZH), (encoding_rs::BIG5, hant)] {
            let text = sample.repeat(3);
            let (bytes, _, _) = enc.encode(&text);
            assert_eq!(decode_text(&bytes).unwrap(), text, "{}", enc.name());
        }
        let mut le = vec![0xFF, 0xFE];
        le.extend(ZH.encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode_text(&le).unwrap(), ZH);
        let be: Vec<u8> = "Plain English in UTF-16BE".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode_text(&be).unwrap(), "Plain English in UTF-16BE");
        assert_eq!(decode_text("naïve café".as_bytes()).unwrap(), "naïve café");
    }

    #[test]
    fn invalid_utf8_is_decoded_not_fatal() {
        let bytes = b"Quarterly report \xff\xfe for caf\xe9 owners, with numbers 12 and 14.";
        let s = decode_text(bytes).unwrap();
        assert!(s.starts_with("Quarterly report") && s.contains("owners"), "{s}");
    }

    #[test]
    fn garbage_is_binary() {
        let garbage: Vec<u8> = (0..10_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
        assert!(matches!(decode_text(&garbage), Err(ParseError::Binary)));
        assert!(matches!(decode_text(b"\x01\x02\x03\x04\x05\x06\x07\x08abc"), Err(ParseError::Binary)));
    }
}
