#!/usr/bin/env bash
# Full (non-incremental) debug rebuild time of the intercom-sdk crate with every feature, for one
# or more checkouts, measured in one interleaved series so that machine load affects each alike.
#
#   scripts/rebuild-time.sh ROUNDS CHECKOUT...
#   e.g. git worktree add --detach ../base 7fe33f5 && scripts/rebuild-time.sh 5 ../base .
#
# FEATURES chooses the feature set (default `--all-features`), e.g.
#   FEATURES="--no-default-features --features segments,rustls" scripts/rebuild-time.sh 3 .
#
# Each round touches `intercom-sdk/src/lib.rs` in each checkout and rebuilds only that crate
# (dependencies are built once, in a shared target directory). Prints every run, then the median
# per checkout. Needs INTERCOM_OPENAPI_DIR only if a checkout's build script asks for it.
set -euo pipefail
rounds=${1:?usage: rebuild-time.sh ROUNDS CHECKOUT...}
shift
[ $# -gt 0 ] || { echo "usage: rebuild-time.sh ROUNDS CHECKOUT..." >&2; exit 2; }
export CARGO_INCREMENTAL=0
read -r -a features <<<"${FEATURES:---all-features}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$(pwd)/target/rebuild-time}"
for dir in "$@"; do
  cargo build -q -p intercom-sdk "${features[@]}" --manifest-path "$dir/Cargo.toml"
done
results=$(mktemp)
for _ in $(seq "$rounds"); do
  for dir in "$@"; do
    touch "$dir/intercom-sdk/src/lib.rs"
    start=$(date +%s%N)
    cargo build -q -p intercom-sdk "${features[@]}" --manifest-path "$dir/Cargo.toml"
    end=$(date +%s%N)
    secs=$(awk -v n=$((end - start)) 'BEGIN { printf "%.1f", n / 1e9 }')
    echo "$dir $secs s (load $(cut -d' ' -f1 /proc/loadavg))"
    echo "$dir $secs" >>"$results"
  done
done
echo "median full rebuild (s), ${features[*]}:"
for dir in "$@"; do
  awk -v d="$dir" '$1 == d {print $2}' "$results" | sort -n |
    awk -v d="$dir" '{v[NR]=$1} END {m = (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2; printf "  %s %.1f\n", d, m}'
done
rm -f "$results"
