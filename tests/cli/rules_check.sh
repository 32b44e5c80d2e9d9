# `affil rules check` passes on the committed knowledge base and fails, with
# file:line, on a broken copy.
source "$(dirname "$0")/lib.bash" "$1"
"$affil" rules check > "$tmp/ok" || { cat "$tmp/ok"; fail "rules check fails on the committed knowledge base"; }
grep -q ', 0 failed' "$tmp/ok" || fail "examples failed"
cp -r rules "$tmp/rules"
printf 'org alibaba\n    name Another Alibaba\n' >> "$tmp/rules/overrides.rules"
printf 'org broken\n    name Broken\n    pattern (oops\n' > "$tmp/rules/broken.rules"
set +e
"$affil" rules check --rules "$tmp/rules" > "$tmp/out" 2>&1
status=$?
set -e
[[ $status -eq 1 ]] || fail "exit status $status, want 1"
grep -q "^rules/overrides.rules:[0-9]*: duplicate org id 'alibaba'" "$tmp/out" || fail "duplicate id not reported with file:line"
grep -q "^rules/broken.rules:3: bad pattern: missing )" "$tmp/out" || fail "bad pattern not reported with file:line"
