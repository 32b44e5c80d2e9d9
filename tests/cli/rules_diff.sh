# `affil rules diff --base REV FILE` shows what an edit moves, before it is committed.
source "$(dirname "$0")/lib.bash" "$1"
cp -r rules gazetteer "$tmp/"
git -C "$tmp" init -q
git -C "$tmp" add rules gazetteer
git -C "$tmp" -c user.email=test@example.com -c user.name=test commit -qm base
# The edit: drop the override that says wangfakang is at Ant Group.
sed -i 's/^override login:wangfakang/override login:nobody-at-all/' "$tmp/rules/overrides.rules"
"$affil" rules diff --base HEAD --rules "$tmp/rules" --gazetteer "$tmp/gazetteer" \
  fixtures/deepseek-oss-week/contributors.ndjson > "$tmp/out" || fail "exit status $?"
grep -q '^line 56 wangfakang: orgs: -antgroup +alibaba; flags: -override$' "$tmp/out" || { cat "$tmp/out"; fail "the moved record is not shown"; }
grep -q '^1 of 92 records change' "$tmp/out" || fail "summary"
set +e
"$affil" rules diff --base no-such-rev --rules "$tmp/rules" --gazetteer "$tmp/gazetteer" \
  fixtures/deepseek-oss-week/contributors.ndjson > /dev/null 2> "$tmp/err"
[[ $? -eq 2 ]] || fail "an unknown revision must exit 2"
grep -q "cannot read rules/ and gazetteer/ at revision 'no-such-rev'" "$tmp/err" || fail "message for an unknown revision"
