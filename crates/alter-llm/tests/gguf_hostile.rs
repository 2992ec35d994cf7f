//! Broken and hostile GGUF headers must give `BadGguf` errors, never a
//! panic or a huge allocation.

use alter_llm::LlmError;
use alter_llm::gguf::{parse_header, read_header};

fn header(n_tensors: u64, n_kv: u64) -> Vec<u8> {
    let mut v = b"GGUF".to_vec();
    v.extend(3u32.to_le_bytes());
    v.extend(n_tensors.to_le_bytes());
    v.extend(n_kv.to_le_bytes());
    v
}

fn parse(b: &[u8]) -> Result<alter_llm::gguf::GgufHeader, LlmError> {
    parse_header(b, b.len() as u64)
}

fn assert_bad(b: &[u8], what: &str) {
    match parse(b) {
        Err(LlmError::BadGguf(_)) => {}
        other => panic!("{what}: expected BadGguf, got {other:?}"),
    }
}

#[test]
fn empty_and_truncated() {
    assert_bad(b"", "empty");
    assert_bad(b"GGU", "short magic");
    assert_bad(&header(0, 0)[..10], "truncated counts");
}

#[test]
fn wrong_magic_and_version() {
    let mut h = header(0, 0);
    h[0] = b'X';
    assert_bad(&h, "magic");
    let mut h = header(0, 0);
    h[4] = 99;
    assert_bad(&h, "version");
}

#[test]
fn huge_counts_and_lengths() {
    assert_bad(&header(u64::MAX, 0), "tensor count");
    assert_bad(&header(1 << 40, 0), "tensor count 2^40");
    assert_bad(&header(0, 1 << 50), "kv count");
    // One key whose string length is 2^60.
    let mut h = header(0, 1);
    h.extend((1u64 << 60).to_le_bytes());
    h.extend([0u8; 64]);
    assert_bad(&h, "2^60 string");
    // A string-array value with 2^40 elements.
    let mut h = header(0, 1);
    h.extend(1u64.to_le_bytes());
    h.push(b'k');
    h.extend(9u32.to_le_bytes());
    h.extend(8u32.to_le_bytes());
    h.extend((1u64 << 40).to_le_bytes());
    h.extend([0u8; 64]);
    assert_bad(&h, "2^40 array");
    // Unknown value type.
    let mut h = header(0, 1);
    h.extend(1u64.to_le_bytes());
    h.push(b'k');
    h.extend(77u32.to_le_bytes());
    h.extend([0u8; 16]);
    assert_bad(&h, "value type");
}

#[test]
fn tensor_infos_are_checked() {
    let tensor = |nd: u32, dim: u64, ty: u32, off: u64| {
        let mut h = header(1, 0);
        h.extend(1u64.to_le_bytes());
        h.push(b't');
        h.extend(nd.to_le_bytes());
        for _ in 0..nd.min(4) {
            h.extend(dim.to_le_bytes());
        }
        h.extend(ty.to_le_bytes());
        h.extend(off.to_le_bytes());
        h.extend([0u8; 64]);
        h
    };
    assert_bad(&tensor(u32::MAX, 32, 0, 0), "2^32 dims");
    assert_bad(&tensor(2, 1 << 20, 0, 0), "data past end");
    assert_bad(&tensor(1, 32, 999, 0), "unknown type");
    assert_bad(&tensor(1, 33, 8, 0), "row not a block multiple");
    assert_bad(&tensor(1, 4, 0, u64::MAX), "offset overflow");
    assert!(parse(&tensor(1, 4, 0, 0)).is_ok(), "a tiny valid file parses");
}

#[test]
fn garbage_bytes_never_panic() {
    let mut x = 0x1234_5678_9abc_def0u64;
    for len in [0usize, 1, 7, 24, 100, 1000, 10_000] {
        for _ in 0..50 {
            let mut b = b"GGUF\x03\0\0\0".to_vec();
            while b.len() < len.max(8) {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                b.push(x as u8);
            }
            let _ = parse(&b);
        }
    }
}

#[test]
fn missing_file_says_fetch() {
    let e = read_header(std::path::Path::new("/nonexistent/model.gguf")).expect_err("error");
    assert!(matches!(e, LlmError::ModelMissing(_)));
    assert!(e.to_string().contains("alter models fetch"));
}

#[test]
fn truncated_real_model_is_rejected() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = dir.path().join("t.gguf");
    let mut b = header(0, 0);
    b.extend([0u8; 8]);
    std::fs::write(&p, &b[..20]).expect("write");
    assert!(matches!(read_header(&p), Err(LlmError::BadGguf(_))));
    assert!(matches!(alter_llm::Llm::load(&p, &Default::default()), Err(LlmError::BadGguf(_))));
}
