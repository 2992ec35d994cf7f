//! Local language models on candle: GGUF loading, tokenizer from metadata, fast prefill, streaming generation.
