#![no_main]
use alter_models::formats::ggml::read_header;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = read_header(data, data.len() as u64);
});
