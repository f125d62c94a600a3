#!/usr/bin/env bash
# Runs a fuzz target once over every file in the given folders (libFuzzer runs the files it
# is given as arguments once each, then exits): non-zero when any input crashes.
# Usage: fuzz/replay.sh TARGET_BINARY FOLDER...
set -uo pipefail
target=$1; shift
files=()
for dir in "$@"; do
  while IFS= read -r -d '' f; do files+=("$f"); done < <(find "$dir" -type f -print0 | sort -z)
done
[[ ${#files[@]} -eq 0 ]] && { echo "no inputs for $target"; exit 0; }
failed=()
log=$(mktemp)
# One process per input, so that one crash does not hide the next.
for f in "${files[@]}"; do
  if ! "$target" -rss_limit_mb=2048 -timeout=10 "$f" >"$log" 2>&1; then
    failed+=("$f")
    echo "CRASH: $f"
    grep -m8 -E "ERROR|runtime error|#[0-9] |terminate|abort|round trip" "$log" | sed 's/^/    /'
  fi
done
rm -f "$log"
echo "$(basename "$target"): ${#files[@]} inputs, ${#failed[@]} crashed"
[[ ${#failed[@]} -eq 0 ]]
