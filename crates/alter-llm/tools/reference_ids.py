"""Reference token ids from llama.cpp's own tokenizer (via llama-cpp-python).

Run: python tools/reference_ids.py MODEL.gguf > tests/fixtures/NAME_ids.json
The Rust tests compare our GGUF-metadata tokenizer against these ids.
"""
import json
import sys

from llama_cpp import Llama

TEXTS = [
    "Hello world",
    "你好世界",
    "The capital of France is",
    "  leading spaces and   runs\n\nnew lines\r\n tabs\there",
    "Numbers 1234567 and 3.14159, emoji 😀 and café",
    "I'm sure it's 'quoted' they'll we've you'd HE'S",
    "def f(x):\n    return x**2  # comment\n",
    "混合 text 中英文 mixed，标点！",
]

llm = Llama(model_path=sys.argv[1], vocab_only=True, verbose=False)
out = [{"text": t, "ids": llm.tokenize(t.encode("utf-8"), add_bos=False, special=False)} for t in TEXTS]
json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
