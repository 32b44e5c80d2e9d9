# CSV with a header row is read like NDJSON.
source "$(dirname "$0")/lib.bash" "$1"
printf 'login,company,location,email,repo,merged_prs\r\nGuangguanWang,Alibaba,Hangzhou,guangguan.wang@linux.alibaba.com,deepseek-ai/DeepEP,1\r\nbroken,"x\r\n' > "$tmp/in.csv"
set +e
"$affil" resolve "$tmp/in.csv" > "$tmp/out"
status=$?
set -e
[[ $status -eq 1 ]] || fail "exit status $status, want 1 (one bad record)"
sed -n 1p "$tmp/out" | grep -q '"code":"CN".*"group":"alibaba"' || fail "CSV record not resolved"
sed -n 2p "$tmp/out" | grep -q '"error":"unterminated quoted field"' || fail "bad CSV record not reported"
