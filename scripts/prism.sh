#!/usr/bin/env bash
# Prism (@stoplight/prism-cli), the spec-validating mock server of the conformance test
# (tests/tests/prism.rs). The version is pinned by scripts/prism/package.json and its lock file.
#
#   scripts/prism.sh install      install the pinned Prism into .tools/prism (git-ignored; reused
#                                 when the installed lock file matches the pinned one)
#   scripts/prism.sh serve SPEC   install, then run `prism mock` on 127.0.0.1 on a free port against
#                                 SPEC. Prism's log goes to stdout; its line "Prism is listening on
#                                 http://127.0.0.1:PORT" names the port. The server is stopped when
#                                 stdin reaches end of file (the caller closed it or exited, however
#                                 it ended) or on SIGTERM/SIGINT/SIGHUP.
#
# Needs Node.js and npm (the npm registry, or its cache). Installing takes ~20 s the first time.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
pinned="$root/scripts/prism"
dir="$root/.tools/prism"
prism="$dir/node_modules/.bin/prism"

install() {
    if [[ -x "$prism" ]] && cmp -s "$pinned/package-lock.json" "$dir/package-lock.json"; then
        return 0
    fi
    command -v npm >/dev/null || { echo "prism.sh: npm not found; install Node.js (>= 18) and npm" >&2; exit 1; }
    echo "prism.sh: installing the pinned Prism into $dir" >&2
    rm -rf "$dir"
    mkdir -p "$dir"
    cp "$pinned/package.json" "$pinned/package-lock.json" "$dir/"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) >&2
}

serve() {
    local spec=${1:?usage: scripts/prism.sh serve SPEC}
    [[ -f "$spec" ]] || { echo "prism.sh: no such file: $spec (run cargo xtask codegen)" >&2; exit 1; }
    # One installer at a time when several callers start together.
    exec 9>"$root/.tools/prism.lock"
    flock 9
    install
    flock -u 9
    "$prism" mock --host 127.0.0.1 --port 0 "$spec" </dev/null &
    pid=$!
    trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT
    trap 'exit 143' TERM INT HUP
    # Only Prism writes the caller's stdout: when Prism dies, the caller sees end of file.
    exec >/dev/null
    # Stop Prism when stdin ends; return when Prism ends (or is stopped). (A background job's
    # stdin is /dev/null unless redirected explicitly, hence fd 3.)
    exec 3<&0
    { cat <&3 >/dev/null || true; kill "$pid" 2>/dev/null || true; } &
    wait "$pid"
}

case "${1:-}" in
    install) mkdir -p "$root/.tools"; install ;;
    serve) mkdir -p "$root/.tools"; shift; serve "$@" ;;
    *) echo "usage: scripts/prism.sh install | serve SPEC" >&2; exit 2 ;;
esac
