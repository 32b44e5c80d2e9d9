# Shared by the CLI tests: `affil` is the binary under test; `fail` stops a test
# with a message; `tmp` is a scratch folder removed on exit.
set -euo pipefail
affil="$1"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
