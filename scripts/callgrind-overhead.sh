#!/usr/bin/env bash
# Per-call instruction count (callgrind Ir) of the SDK's `Call` versus bare reqwest + serde_json,
# both decoding the same contact body into the same user type from a loopback responder.
#
#   scripts/callgrind-overhead.sh [N]        (N calls and 2N calls per client; default 1000)
#
# The responder (`callgrind serve`, intercom-sdk/benches/callgrind.rs) runs as its own process,
# outside valgrind, so only the client is counted. Each client runs under callgrind twice, with N
# and with 2N calls after the same warm-up; per-call Ir = (Ir(2N) - Ir(N)) / N, so start-up
# (runtime, TLS roots, connection, first use) cancels out. Built with the bench profile plus line
# tables; the callgrind files are kept for `callgrind_annotate` (their directory is printed).
# Needs valgrind and jq. Uses CARGO_TARGET_DIR if set.
set -euo pipefail

n=${1:-1000}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
valgrind=${VALGRIND:-valgrind}
command -v "$valgrind" >/dev/null || { echo "valgrind not found" >&2; exit 1; }
command -v jq >/dev/null || { echo "jq not found" >&2; exit 1; }

export CARGO_PROFILE_BENCH_DEBUG=line-tables-only
bin=$(cargo bench -p intercom-sdk --bench callgrind --no-run --message-format=json \
    | jq -r 'select(.reason == "compiler-artifact" and .target.name == "callgrind" and .executable != null) | .executable')
[ -x "$bin" ] || { echo "bench binary not found" >&2; exit 1; }

out=${OUT_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/callgrind-overhead.XXXXXX")}
mkdir -p "$out"
"$bin" serve >"$out/url" &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    [ -s "$out/url" ] && break
    sleep 0.1
done
url=$(head -n1 "$out/url")
[ -n "$url" ] || { echo "the responder did not start" >&2; exit 1; }

# Total Ir of one run.
ir() {
    local mode=$1 calls=$2 file="$out/$1-$2.callgrind"
    "$valgrind" --tool=callgrind --callgrind-out-file="$file" "$bin" "$mode" "$calls" "$url" \
        >/dev/null 2>"$out/$mode-$calls.log"
    awk '/^(summary|totals):/ { print $2; exit }' "$file"
}

echo "callgrind, loopback GET, N=$n (per-call Ir = (Ir(2N) - Ir(N)) / N)"
declare -A per_call
for mode in bare sdk; do
    one=$(ir "$mode" "$n")
    two=$(ir "$mode" $((2 * n)))
    per_call[$mode]=$(( (two - one) / n ))
    printf '%-4s Ir(N)=%s Ir(2N)=%s per call=%s\n' "$mode" "$one" "$two" "${per_call[$mode]}"
done
awk -v b="${per_call[bare]}" -v s="${per_call[sdk]}" \
    'BEGIN { printf "ratio sdk / bare = %.4f (sdk - bare = %d Ir per call)\n", s / b, s - b }'
echo "callgrind files: $out (callgrind_annotate $out/sdk-$((2 * n)).callgrind)"
