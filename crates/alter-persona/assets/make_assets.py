#!/usr/bin/env python3
"""Regenerates the persona crate's background assets from public text on a Debian machine.

Outputs (committed next to this script):
- background_en.tsv : word<TAB>count, the 20k most frequent English words of Python's own
  documentation (pydoc_data topics, PSF licence) and Node.js's API docs shipped by Debian (MIT).
- background_zh.tsv : word<TAB>count, the 20k most frequent words of jieba's dictionary
  (MIT; the dictionary shipped inside the jieba-rs crate).
- general_en.txt / general_zh.txt : one sentence a line, "other people's" prose used as the
  negative class of the style classifier (Python docs; zh_CN gettext catalogues, GPL/LGPL
  translations shipped by Debian, first half of the catalogues by name).
- ../tests/data/owner_gpl3.txt : sentences of the GNU GPL v3, a single-author text used as a
  second "owner" in the style test.
- ../tests/data/heldout_en.txt / heldout_zh.txt : sentences from different sources (Node.js
  contributor guides; the second half of the zh_CN catalogues) that training never sees,
  used by tests to check the style score separates the owner from other people.

Run: python3 make_assets.py  (needs msgunfmt from gettext and the jieba-rs crate in ~/.cargo).
"""
import collections, glob, importlib, os, re, subprocess, sys, tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
TESTDATA = os.path.join(HERE, "..", "tests", "data")
WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


def clean_rst(text):
    text = re.sub(r":[a-z:]+:`([^`<]*)(?:<[^>]*>)?`", r"\1", text)
    text = re.sub(r"`+", "", text)
    return text


def sentences_en(text):
    text = re.sub(r"\s+", " ", text)
    for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text):
        s = s.strip()
        words = s.split()
        if not (6 <= len(words) <= 35) or not s[0].isupper() or s[-1] not in ".!?":
            continue
        if re.search(r"[=(){}\[\]<>*#|_\\/@$]|::|\.\.|--", s):
            continue
        if sum(c.isalpha() or c == " " for c in s) / len(s) < 0.93:
            continue
        yield s


def english_sources():
    topics = importlib.import_module("pydoc_data.topics").topics
    py = "\n".join(clean_rst(v) for _, v in sorted(topics.items()))
    api = sorted(glob.glob("/usr/share/doc/nodejs/api/*.md"))
    node_api = "\n".join(open(p, encoding="utf-8", errors="ignore").read() for p in api)
    contrib = sorted(glob.glob("/usr/share/doc/nodejs/contributing/**/*.md", recursive=True))
    heldout = "\n".join(open(p, encoding="utf-8", errors="ignore").read() for p in contrib)
    return py, node_api, heldout


def strip_md(text):
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"^[#>*\-\s]+", "", text, flags=re.M)
    return text.replace("`", "")


def zh_catalogue_strings(paths):
    out = []
    for p in paths:
        try:
            po = subprocess.run(["msgunfmt", p], capture_output=True, text=True, check=True).stdout
        except Exception:
            continue
        for m in re.finditer(r'msgstr(?:\[0\])? ((?:"(?:[^"\\]|\\.)*"\s*)+)', po):
            s = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(1)))
            s = s.replace("\\n", " ").replace('\\"', '"').strip()
            for part in re.split(r"(?<=[。！？])", s):
                part = part.strip()
                cjk = sum("\u4e00" <= c <= "\u9fff" for c in part)
                if cjk >= 8 and cjk / max(len(part), 1) > 0.6 and not re.search(r"[%$<>{}\\]", part):
                    out.append(part)
    return list(dict.fromkeys(out))


def main():
    py, node_api, heldout = english_sources()
    counts = collections.Counter(WORD.findall((py + "\n" + strip_md(node_api)).lower()))
    with open(os.path.join(HERE, "background_en.tsv"), "w", encoding="utf-8") as f:
        for w, c in counts.most_common(20000):
            f.write(f"{w}\t{c}\n")
    gen_en = list(dict.fromkeys(sentences_en(py)))[:1500]
    with open(os.path.join(HERE, "general_en.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(gen_en) + "\n")
    held_en = list(dict.fromkeys(sentences_en(strip_md(heldout))))[:300]
    with open(os.path.join(TESTDATA, "heldout_en.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(held_en) + "\n")

    crate = sorted(glob.glob(os.path.expanduser("~/.cargo/registry/cache/*/jieba-rs-0.11.0.crate")))[0]
    with tarfile.open(crate) as t:
        data = t.extractfile("jieba-rs-0.11.0/src/data/dict.txt").read().decode("utf-8")
    zh = collections.Counter()
    for line in data.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[1].isdigit():
            zh[parts[0]] += int(parts[1])
    with open(os.path.join(HERE, "background_zh.tsv"), "w", encoding="utf-8") as f:
        for w, c in zh.most_common(20000):
            f.write(f"{w}\t{c}\n")

    mos = sorted(glob.glob("/usr/share/locale/zh_CN/LC_MESSAGES/*.mo"))
    half = len(mos) // 2
    gen_zh = zh_catalogue_strings(mos[:half])[:1500]
    held_zh = zh_catalogue_strings(mos[half:])[:300]
    with open(os.path.join(HERE, "general_zh.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(gen_zh) + "\n")
    with open(os.path.join(TESTDATA, "heldout_zh.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(held_zh) + "\n")
    # A single-author text for the style test's second "owner": the GNU GPL v3 (verbatim copying permitted).
    gpl = open("/usr/share/common-licenses/GPL-3", encoding="utf-8").read()
    owner = list(dict.fromkeys(sentences_en(gpl)))
    with open(os.path.join(TESTDATA, "owner_gpl3.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(owner) + "\n")
    print(len(owner), file=sys.stderr)
    print(len(counts), len(gen_en), len(held_en), len(zh), len(gen_zh), len(held_zh), file=sys.stderr)


if __name__ == "__main__":
    main()
