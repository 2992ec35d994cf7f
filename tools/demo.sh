#!/usr/bin/env bash
# The headless demo: what `make demo` runs when there is no display.
# Builds a twin's knowledge from a source folder (default: the evaluation twin)
# and asks it the folder's questions through the command line.
#
#   tools/demo.sh PATH/TO/alter [SOURCE_FOLDER]
set -euo pipefail
alter=$1
src=${2:-${DEMO_TWIN:-../shared/eval}}
export ALTER_HOME=${ALTER_HOME:-$(mktemp -d -t alter-demo.XXXXXX)}
echo "Alter data for this demo: $ALTER_HOME"

[ -d "$src/docs" ] || { echo "error: $src has no docs/ folder (set DEMO_TWIN to a twin folder)" >&2; exit 1; }
id=demo-$(date +%s)
"$alter" twins create --name "Demo twin" --id "$id" >/dev/null
echo "== ingesting $src/docs"
"$alter" ingest --twin "$id" "$src/docs"

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
    "$alter" search --twin "$id" "$q" -k 2
  done
fi
"$alter" twins
