#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(model) = alter_models::convert::e5s1::parse(data) {
        for t in &model.tensors {
            let _ = model.f32_values(data, &t.name, t.elements);
        }
    }
});
