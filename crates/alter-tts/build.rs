//! Links the system espeak-ng library (Debian: `libespeak-ng-dev`), which turns
//! text into the IPA phonemes Piper voices are trained on. Nothing is fetched.

fn main() {
    println!("cargo:rustc-link-lib=dylib=espeak-ng");
    println!("cargo:rerun-if-changed=build.rs");
}
