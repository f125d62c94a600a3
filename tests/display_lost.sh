#!/usr/bin/env bash
# The display going away under a training window (the X server quits, a session ends): the
# app says so in one line and exits with code 1 — never a crash. Before the fix Xlib's exit()
# ran the static destructors under the training thread, a segfault in OpenBLAS 2 times in 3;
# three rounds here.
# Usage: tests/display_lost.sh AELAB
set -uo pipefail
app=$1
dir=$(mktemp -d /tmp/aelab-display-lost.XXXXXX)
trap 'rm -rf "$dir"' EXIT
for round in 1 2 3; do
  rm -f "$dir/display"
  mkfifo "$dir/display"
  Xvfb -displayfd 3 -screen 0 1280x720x24 -nolisten tcp 3>"$dir/display" 2>"$dir/xvfb.log" &
  server=$!
  read -r -t 60 number <"$dir/display" || { echo "Xvfb did not start"; exit 1; }
  HOME=$dir XDG_DATA_HOME=$dir/data DISPLAY=":$number" "$app" --size 1280x720 \
    >"$dir/app.log" 2>&1 &
  pid=$!
  # Training, with the window up: xdotool waits for the window itself (no fixed delay).
  if ! DISPLAY=":$number" timeout 60 xdotool search --sync --name '^aelab' >/dev/null; then
    echo "round $round: no window"; cat "$dir/app.log"; kill "$server" "$pid"; exit 1
  fi
  kill "$server"
  wait "$server" 2>/dev/null
  wait "$pid"
  code=$?
  if [[ $code -ne 1 ]] || ! grep -q "the display went away (X connection lost)" "$dir/app.log"; then
    echo "round $round: exit code $code (want 1), log:"; cat "$dir/app.log"; exit 1
  fi
done
echo "3 rounds: the display lost, one line and exit code 1 each time"
