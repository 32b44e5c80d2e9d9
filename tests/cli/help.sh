# --help teaches; mistakes exit 2 with a message.
source "$(dirname "$0")/lib.bash" "$1"
"$affil" --help | grep -q '^Usage:' || fail "--help lacks usage"
"$affil" help resolve | grep -q 'one JSON line per input record' || fail "help resolve"
"$affil" --version | grep -q '^affil ' || fail "--version"
set +e
"$affil" frobnicate > /dev/null 2> "$tmp/err"; [[ $? -eq 2 ]] || fail "unknown command must exit 2"
grep -q "unknown command 'frobnicate'" "$tmp/err" || fail "unknown command message"
"$affil" resolve --nope > /dev/null 2> "$tmp/err"; [[ $? -eq 2 ]] || fail "unknown option must exit 2"
"$affil" resolve /no/such/file > /dev/null 2> "$tmp/err"; [[ $? -eq 2 ]] || fail "missing file must exit 2"
grep -q "cannot open /no/such/file" "$tmp/err" || fail "missing file message"
