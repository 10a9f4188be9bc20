#!/usr/bin/env bash
# Runs a command with the loopback gateway emulator started (and stopped after):
# exports PAYAUTH_GATEWAY (https://127.0.0.1:PORT) and PAYAUTH_CA_FILE for it.
# The emulator binary: $EMULATOR, else target/debug or target/release payauth-emulator.
set -euo pipefail
cd "$(dirname "$0")/.."
emu=${EMULATOR:-}
for c in target/debug/payauth-emulator target/release/payauth-emulator; do
  [ -n "$emu" ] || { [ -x "$c" ] && emu=$c; }
done
[ -n "$emu" ] || { echo "with-emulator: build it first: cargo build -p payauth-emulator" >&2; exit 1; }
mkdir -p target/c
# One CA file per run: two emulators started from one checkout must not overwrite each other's.
export PAYAUTH_CA_FILE
PAYAUTH_CA_FILE=$(mktemp "$PWD/target/c/emulator-ca.XXXXXX.pem")
fifo=$(mktemp -u); mkfifo "$fifo"
"$emu" --ca-out "$PAYAUTH_CA_FILE" --ignore-stdin >"$fifo" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$fifo" "$PAYAUTH_CA_FILE"' EXIT
read -r ready url <"$fifo"
[ "$ready" = READY ] || { echo "with-emulator: emulator did not start" >&2; exit 1; }
export PAYAUTH_GATEWAY=$url
"$@"
