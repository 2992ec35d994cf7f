#!/usr/bin/env bash
# The headless demo: what `make demo` runs when there is no display.
# Does the app's main job through the command line: builds a twin from a
# source folder (default: the evaluation twin) with its report card, asks it
# the folder's questions, and answers one spoken question aloud into a WAV.
#
#   tools/demo.sh PATH/TO/alter [SOURCE_FOLDER]
set -euo pipefail
alter=$1
src=${2:-${DEMO_TWIN:-../shared/eval}}
# The evaluation twin is Maya Okafor; another folder's twin is named after the folder.
if [ "$src" = ../shared/eval ]; then name=${DEMO_NAME:-Maya Okafor}; else name=${DEMO_NAME:-$(basename "$src")}; fi
export ALTER_HOME=${ALTER_HOME:-$(mktemp -d -t alter-demo.XXXXXX)}
echo "Alter data for this demo: $ALTER_HOME"

[ -d "$src/docs" ] || { echo "error: $src has no docs/ folder (set DEMO_TWIN to a twin folder)" >&2; exit 1; }
id=demo-$(date +%s)
echo "== building the twin from $src (documents, voice, persona, self-test)"
"$alter" build "$src" --name "$name" --id "$id"

questions=$src/questions.jsonl
if [ -f "$questions" ]; then
  python3 - "$questions" <<'PY' | while IFS= read -r q; do
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    if line.strip():
        print(json.loads(line)["question"])
PY
    echo
    echo "== $q"
    "$alter" ask --twin "$id" "$q" </dev/null
  done
fi

spoken=$(ls "$src"/audio/*.wav 2>/dev/null | head -n 1 || true)
if [ -n "$spoken" ]; then
  echo
  echo "== spoken question $spoken"
  "$alter" talk --twin "$id" --in "$spoken" --out "$ALTER_HOME/reply.wav"
  echo "the spoken answer: $ALTER_HOME/reply.wav"
fi
echo
"$alter" twins
