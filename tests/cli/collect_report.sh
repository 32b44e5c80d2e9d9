# `affil collect` against the fake GitHub server, then `affil report --db` and
# `affil resolve --db`: the article's table, its breakdowns, and no token anywhere.
source "$(dirname "$0")/lib.bash" "$1"

token=ghp_cliTestToken0123456789abcdef
printf '%s\n' "$token" > "$tmp/token"
"$(dirname "$affil")/fake_github" --fixtures fixtures/github --require-token "$token" \
  --fault redirect@DualPipe/pulls? --fault 502@/graphql > "$tmp/ports" &
fake=$!
trap 'kill "$fake" 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do [[ -s "$tmp/ports" ]] && break; sleep 0.05; done
read -r port _ < "$tmp/ports" || fail "fake_github did not start"

repos=(deepseek-ai/FlashMLA deepseek-ai/DeepEP deepseek-ai/DeepGEMM deepseek-ai/DualPipe deepseek-ai/EPLB deepseek-ai/3FS)
"$affil" collect "${repos[@]}" --db "$tmp/study.db" --api-url "http://127.0.0.1:$port" --token-file "$tmp/token" \
  --retry-wait 0.01 --verbose --progress > "$tmp/out" 2> "$tmp/err" || fail "collect exit status $?"
grep -q '164 merged pull requests by 84 authors (0 bots), 92 contributor rows' "$tmp/out" || fail "not the article's rows"
grep -q '^requests: ' "$tmp/out" || fail "no request count"

"$affil" collect "${repos[@]}" --db "$tmp/study.db" --api-url "http://127.0.0.1:$port" --token-file "$tmp/token" \
  > "$tmp/again" 2>&1 || fail "second collect exit status $?"
grep -q '^requests: 6 = 6 pull-request pages .* 6 answered 304 Not Modified' "$tmp/again" || fail "a second run is not all 304s"

"$affil" report --db "$tmp/study.db" > "$tmp/db.md" || fail "report --db exit status $?"
"$affil" report fixtures/deepseek-oss-week/contributors.ndjson > "$tmp/article.md"
diff "$tmp/article.md" "$tmp/db.md" > /dev/null || fail "report --db differs from the article's report"
[[ $("$affil" resolve --db "$tmp/study.db" | wc -l) -eq 92 ]] || fail "resolve --db is not 92 lines"

! grep -q -- "$token" "$tmp/out" "$tmp/err" "$tmp/again" "$tmp"/study.db* || fail "the token leaked"

# The accounts that company-field @handles name reach the resolver: monalisa's
# "@octocat" is a user, not an employer; octocat's "@github" is GitHub's org.
"$affil" collect octo-org/automation --db "$tmp/octo.db" --api-url "http://127.0.0.1:$port" --token-file "$tmp/token" \
  --retry-wait 0.01 > "$tmp/octo.out" 2>&1 || { cat "$tmp/octo.out"; fail "collect octo-org exit status $?"; }
grep -q 'GraphQL query for 2 company accounts' "$tmp/octo.out" || { cat "$tmp/octo.out"; fail "company accounts not fetched"; }
"$affil" resolve --db "$tmp/octo.db" > "$tmp/octo.ndjson" || fail "resolve --db octo exit status $?"
grep '"login":"monalisa"' "$tmp/octo.ndjson" | grep -q 'a GitHub User account, not an organization' \
  || { cat "$tmp/octo.ndjson"; fail "monalisa's @octocat is not read through its account"; }
grep '"login":"octocat"' "$tmp/octo.ndjson" | grep -q '"id":"github"' || fail "octocat's @github lost"
