# `affil rules check` passes on the committed knowledge base and fails, with
# file:line, on a broken copy.
source "$(dirname "$0")/lib.bash" "$1"
"$affil" rules check > "$tmp/ok" || { cat "$tmp/ok"; fail "rules check fails on the committed knowledge base"; }
grep -q ', 0 failed' "$tmp/ok" || fail "examples failed"
cp -r rules "$tmp/rules"
printf 'org alibaba\n    name Another Alibaba\n' >> "$tmp/rules/overrides.rules"
printf 'org broken\n    name Broken\n    pattern (oops\n' > "$tmp/rules/broken.rules"
printf 'nonorg student\n    alias Pupil\n    example company: Pupil => nonorg:joke\n' > "$tmp/rules/examples.rules"
set +e
"$affil" rules check --rules "$tmp/rules" > "$tmp/out" 2>&1
status=$?
set -e
[[ $status -eq 1 ]] || fail "exit status $status, want 1"
grep -q "^rules/overrides.rules:[0-9]*: duplicate org id 'alibaba'" "$tmp/out" || fail "duplicate id not reported with file:line"
grep -q "^rules/broken.rules:3: bad pattern: missing )" "$tmp/out" || fail "bad pattern not reported with file:line"
# A knowledge base that does not load runs no examples; one that loads reports each failure.
rm "$tmp/rules/broken.rules"
sed -i '$d' "$tmp/rules/overrides.rules"; sed -i '$d' "$tmp/rules/overrides.rules"
set +e
"$affil" rules check --rules "$tmp/rules" > "$tmp/out2" 2>&1
status=$?
set -e
[[ $status -eq 1 ]] || { cat "$tmp/out2"; fail "a failing example must exit 1"; }
grep -q "^rules/examples.rules:3: example failed: company: Pupil => expected nonorg:joke, got nonorg:student" "$tmp/out2" || { cat "$tmp/out2"; fail "failing non-org example not reported"; }
