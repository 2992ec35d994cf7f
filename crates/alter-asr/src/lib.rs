//! Speech recognition with whisper.cpp (whisper-rs) on its own thread.
