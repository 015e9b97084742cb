#!/usr/bin/env bash
# Runs the curl lines of the README's "Call it over HTTP" section as written, against a fresh host
# on localhost:8080 (started here on the in-memory defaults), and prints what came back, one
# response a line: the text to compare with the README's sample output (ids, times and codes are
# random there; long bodies are abridged with "…" by hand).
# Usage, from the repository root: examples/http-host/scripts/readme-curl.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."

lines=$(mktemp)
awk '/These lines were run against it as written/{found=1} found && /^```sh/{inside=1; next} inside && /^```/{exit} inside' README.md > "$lines"
[ -s "$lines" ] || { echo "no curl lines found in README.md" >&2; exit 1; }

log=$(mktemp)
mvn -B -q -pl examples/http-host -am -DskipTests package exec:java > "$log" 2>&1 &
host=$!
trap 'kill "$host" 2>/dev/null || true; wait "$host" 2>/dev/null || true; rm -f "$lines" "$log"' EXIT
for _ in $(seq 1 120); do
  grep -q "fan groups over HTTP" "$log" && break
  kill -0 "$host" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 1
done

# curl adds no newline after a body; this one does, so each response is a line.
curl() { command curl "$@"; echo; }
export -f curl
bash -e "$lines"
