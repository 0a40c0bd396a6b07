#!/usr/bin/env bash
# Instructions (callgrind Ir) to decode one page into the generated models, for the two pages of
# intercom-sdk/benches/decode.rs (150 conversations, 50 contacts).
#
#   scripts/callgrind-decode.sh [N]     (N and 2N decodes per page; default 5)
#
# Each page is decoded N and 2N times under callgrind; per decode = (Ir(2N) - Ir(N)) / N, so
# building the page and start-up cancel out. Instruction counts do not depend on machine load, so
# two checkouts can be compared on a busy machine. Needs valgrind. Uses CARGO_TARGET_DIR if set.
set -euo pipefail
n=${1:-5}
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind not found" >&2; exit 1; }
# The last line cargo prints for a built target is its executable.
bin=$(cargo bench -p intercom-sdk --bench decode --no-run 2>&1 | sed -n 's/.*Executable .*(\(.*\))$/\1/p' | tail -1)
[ -x "$bin" ] || bin="$(pwd)/$bin"
[ -x "$bin" ] || { echo "bench binary not found" >&2; exit 1; }
ir() {
  valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$1" "$2" 2>&1 |
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
for page in conversations contacts; do
  one=$(ir "$page" "$n")
  two=$(ir "$page" $((2 * n)))
  echo "$page page: $(((two - one) / n)) instructions per decode"
done
