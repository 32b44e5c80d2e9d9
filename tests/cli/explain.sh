# `affil explain` shows the folded text, the rules with file:line, and the decisions.
source "$(dirname "$0")/lib.bash" "$1"
"$affil" explain --company "Alibaba Cloud @aliyun ACK team @kubernetes" --location "HangZhou" > "$tmp/out"
grep -q "company: folded 'alibaba cloud @aliyun ack team @kubernetes'" "$tmp/out" || fail "no folded text"
grep -q "→ alibaba-cloud \[rules/orgs/curated.rules:[0-9]*\]" "$tmp/out" || fail "no rule file:line"
grep -q "decision: current alibaba-cloud (company, group alibaba)" "$tmp/out" || fail "no decision"
grep -q "decision: country CN by location" "$tmp/out" || fail "no country decision"
"$affil" explain fixtures/deepseek-oss-week/contributors.ndjson --login LyricZhao > "$tmp/lyric"
grep -q "decision: past nvidia" "$tmp/lyric" || fail "LyricZhao's NVIDIA is not past"
