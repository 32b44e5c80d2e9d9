# `affil resolve` writes exactly one line per input record, in input order.
source "$(dirname "$0")/lib.bash" "$1"
fixture=fixtures/deepseek-oss-week/contributors.ndjson
"$affil" resolve "$fixture" > "$tmp/out.ndjson" || fail "exit status $?"
[[ $(wc -l < "$tmp/out.ndjson") -eq $(wc -l < "$fixture") ]] || fail "line count differs"
for n in 1 46 92; do
  grep -q "^{\"line\":$n," <(sed -n "${n}p" "$tmp/out.ndjson") || fail "line $n out of order"
done
grep -q '"login":"wangfakang".*"person":"gh:wangfakang".*"id":"antgroup"' "$tmp/out.ndjson" || fail "wangfakang not Ant Group"
# Reading standard input gives the same output.
"$affil" resolve - < "$fixture" | cmp -s - "$tmp/out.ndjson" || fail "stdin output differs"
# The thread count does not change the output.
"$affil" resolve --threads 1 "$fixture" | cmp -s - "$tmp/out.ndjson" || fail "--threads 1 output differs"
