//! Speech synthesis with Piper voices over ONNX Runtime, with phoneme timing for lip-sync.
