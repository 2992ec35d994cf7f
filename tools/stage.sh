#!/usr/bin/env bash
# stage.sh NAME COMMAND... — runs one stage of a long job and prints how long it took.
set -uo pipefail
name=$1; shift
t0=$(date +%s)
echo "::: $name"
"$@"; rc=$?
echo "::: $name took $(( $(date +%s) - t0 )) s (exit $rc)"
exit $rc
