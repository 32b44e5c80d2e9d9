# `affil report` prints the article's breakdowns, in Markdown, JSON and CSV.
source "$(dirname "$0")/lib.bash" "$1"
fixture=fixtures/deepseek-oss-week/contributors.ndjson
"$affil" report "$fixture" > "$tmp/report.md" || fail "exit status $?"
grep -q '^| CN | China | 42 | 40 |' "$tmp/report.md" || fail "China is not 42 rows / 40 people"
grep -q '^| alibaba | Alibaba Group | 5 |' "$tmp/report.md" || fail "Alibaba is not 5"
grep -q '^| university | 7 |' "$tmp/report.md" || fail "universities are not 7"
"$affil" report --format json "$fixture" > "$tmp/report.json" || fail "json exit status"
grep -q '"code": "CN"' "$tmp/report.json" || fail "json lacks CN"
"$affil" report --format csv "$fixture" > "$tmp/report.csv" || fail "csv exit status"
grep -q '^countries,CN,,China,,,,42,40,' "$tmp/report.csv" || fail "csv lacks CN 42/40"
set +e
"$affil" report --format yaml "$fixture" > /dev/null 2>&1
[[ $? -eq 2 ]] || fail "bad --format must exit 2"
