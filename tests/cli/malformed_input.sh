# A malformed line yields an error record on that line; the run goes on; exit 1.
source "$(dirname "$0")/lib.bash" "$1"
printf '%s\n' '{"login":"a","location":"Beijing"}' '{"login":"b",' '[1]' \
  '{"login":"c","location":"Bei'$'\xff''jing"}' '{"login":"d","company":7}' > "$tmp/in.ndjson"
set +e
"$affil" resolve "$tmp/in.ndjson" > "$tmp/out" 2> "$tmp/err"
status=$?
set -e
[[ $status -eq 1 ]] || fail "exit status $status, want 1"
[[ $(wc -l < "$tmp/out") -eq 5 ]] || fail "want 5 output lines"
sed -n 2p "$tmp/out" | grep -q '^{"error":"invalid JSON: .*","line":2,"raw":' || sed -n 2p "$tmp/out" | grep -q '"line":2' || fail "line 2 not an error record"
sed -n 2p "$tmp/out" | grep -q '"error":"invalid JSON' || fail "line 2 reason missing"
sed -n 3p "$tmp/out" | grep -q '"error":"a record must be a JSON object' || fail "line 3 reason missing"
sed -n 4p "$tmp/out" | grep -q '"warnings":\["invalid UTF-8 replaced with U+FFFD"\]' || fail "line 4 warning missing"
sed -n 5p "$tmp/out" | grep -q "\"error\":\"field 'company' must be a string or null" || fail "line 5 reason missing"
grep -q "3 of 5 records were malformed" "$tmp/err" || fail "no summary on stderr"
