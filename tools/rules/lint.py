#!/usr/bin/python3
"""Checks rules/**/*.rules against docs/formats.md until `affil rules check` exists.

    /usr/bin/python3 tools/rules/lint.py [RULES_DIR]

Errors (exit status 1), each as path:line: message
  * a line outside the format, an unknown header type or key, a repeated single-valued key,
    a missing required key, a bad id / kind / category / selector / date / example
  * a duplicate org id; an unknown parent; a parent cycle
  * a name or alias claimed by two orgs, or equal to a nonorg alias or to an abbrev;
    a domain claimed by two orgs, or by an org and a free-mail block, or by two mail blocks;
    a GitHub handle claimed by two orgs; a bot listed twice
  * a country that is not ISO 3166-1 alpha-2 (/usr/share/iso-codes/json/iso_3166-1.json)
  * an override or example naming an unknown org; a pattern RE2 rejects (when g++ and libre2
    are there to build tools/rules/re2check.cc; otherwise a warning)
Names and aliases are compared as affil keys them (NFKC case-fold, tokens, see rulesfmt),
which is stricter than lowercasing; domains and handles are lowercased.
Informational: nested domains (one org's domain under another org's or under a free-mail domain).
"""

import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rulesfmt  # noqa: E402
from rulesfmt import KEYS, SINGLE, domain_key, handle_key, phrase_key  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ISO = '/usr/share/iso-codes/json/iso_3166-1.json'
DOMAIN_RE = re.compile(r'[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+\Z')
HANDLE_RE = re.compile(r'[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\Z')
BOT_RE = re.compile(r'[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?(\[bot\])?\Z')
DATE_RE = re.compile(r'\d{4}-\d{2}-\d{2}\Z')
EXAMPLE_RE = re.compile(r'([a-z_]+):\s*(.*?)\s+=>\s+(\S+)\Z')
EXAMPLE_FIELDS = {'company', 'bio', 'email', 'commit_email', 'blog', 'location', 'name',
                  'twitter_username', 'login'}


def load_countries():
    with open(ISO, encoding='utf-8') as f:
        return {c['alpha_2'] for c in json.load(f)['3166-1']}


def re2_errors(patterns):
    """patterns: list of (where, pattern). Returns (errors, checked)."""
    if not patterns:
        return [], True
    exe = os.path.join(HERE, '.cache', 're2check')
    src = os.path.join(HERE, 're2check.cc')
    if not os.path.exists(exe) or os.path.getmtime(exe) < os.path.getmtime(src):
        if not shutil.which('g++'):
            return [], False
        os.makedirs(os.path.dirname(exe), exist_ok=True)
        r = subprocess.run(['g++', '-std=c++17', '-O1', src, '-o', exe, '-pthread', '-lre2'],
                           capture_output=True, text=True)
        if r.returncode != 0:
            return [], False
    tags = {str(i): w for i, (w, _) in enumerate(patterns)}
    data = ''.join(f'{i}\t{p}\n' for i, (_, p) in enumerate(patterns))
    r = subprocess.run([exe], input=data, capture_output=True, text=True, check=True)
    out = []
    for line in r.stdout.splitlines():
        tag, err = line.split('\t', 1)
        out.append(f'{tags[tag]}: pattern rejected by RE2: {err}')
    return out, True


def under(dom, table):
    parts = dom.split('.')
    for i in range(1, len(parts) - 1):
        s = '.'.join(parts[i:])
        if s in table:
            return s
    return None


def lint(rules_dir):
    errors, warnings, info = [], [], []
    countries = load_countries()
    blocks = []
    files = []
    for dirpath, dirnames, filenames in os.walk(rules_dir):
        dirnames.sort()
        for fn in sorted(filenames):
            if fn.endswith('.rules'):
                files.append(os.path.join(dirpath, fn))
    base = os.path.dirname(os.path.abspath(rules_dir))
    for path in files:
        rel = os.path.relpath(path, base)
        with open(path, 'rb') as f:
            raw = f.read()
        try:
            text = raw.decode('utf-8')
        except UnicodeDecodeError as e:
            errors.append(f'{rel}:1: not UTF-8 ({e})')
            continue
        blocks += rulesfmt.parse(rel, text, errors)

    def at(b, f=None):
        return f'{b.path}:{f.line if f else b.line}'

    orgs = {}
    patterns = []
    alias_owner, domain_owner, handle_owner = {}, {}, {}
    abbrevs = {}
    nonorg_alias = {}
    mail_domain = {}
    bots = {}
    examples, overrides = [], []

    def claim(table, key, owner, where, what):
        if not key:
            errors.append(f'{where}: {what} has an empty key')
            return
        prev = table.get(key)
        if prev and prev[0] != owner:
            errors.append(f'{where}: {what} is already claimed by {prev[0]} ({prev[1]})')
        elif not prev:
            table[key] = (owner, where)

    for b in blocks:
        if b.type not in KEYS:
            errors.append(f'{at(b)}: unknown header type `{b.type}`')
            continue
        seen = {}
        for f in b.fields:
            if f.key not in KEYS[b.type]:
                errors.append(f'{at(b, f)}: unknown key `{f.key}` in a `{b.type}` block')
            elif f.key in SINGLE[b.type] and f.key in seen:
                errors.append(f'{at(b, f)}: `{f.key}` repeated (first at line {seen[f.key]})')
            seen.setdefault(f.key, f.line)
            if f.key == 'country' and f.value not in countries:
                errors.append(f'{at(b, f)}: country `{f.value}` is not ISO 3166-1 alpha-2')
            if f.key == 'pattern':
                patterns.append((at(b, f), f.value))
        if b.type == 'org':
            if not rulesfmt.ID_RE.match(b.arg):
                errors.append(f'{at(b)}: bad org id `{b.arg}`')
            if b.arg in orgs:
                errors.append(f'{at(b)}: duplicate org id `{b.arg}` (first at '
                              f'{at(orgs[b.arg])})')
                continue
            orgs[b.arg] = b
            if not b.values('name'):
                errors.append(f'{at(b)}: org `{b.arg}` has no name')
            kind = b.first('kind', 'company')
            if kind not in rulesfmt.ORG_KINDS:
                errors.append(f'{at(b)}: unknown kind `{kind}`')
            for f in b.fields:
                if f.key in ('name', 'alias'):
                    claim(alias_owner, phrase_key(f.value), b.arg, at(b, f), f'{f.key} "{f.value}"')
                elif f.key == 'abbrev':
                    abbrevs.setdefault(phrase_key(f.value), []).append((b.arg, at(b, f)))
                elif f.key == 'domain':
                    d = domain_key(f.value)
                    if not DOMAIN_RE.match(d):
                        errors.append(f'{at(b, f)}: bad domain `{f.value}`')
                    claim(domain_owner, d, b.arg, at(b, f), f'domain {d}')
                elif f.key == 'handle':
                    if not HANDLE_RE.match(f.value.lstrip('@')) or len(f.value.lstrip('@')) > 39:
                        errors.append(f'{at(b, f)}: bad GitHub handle `{f.value}`')
                    claim(handle_owner, handle_key(f.value), b.arg, at(b, f),
                          f'handle {f.value}')
                elif f.key == 'example':
                    examples.append((b, f))
        elif b.type == 'nonorg':
            if b.arg not in rulesfmt.NONORG_CATEGORIES:
                errors.append(f'{at(b)}: unknown nonorg category `{b.arg}`')
            for f in [f for f in b.fields if f.key == 'alias']:
                k = phrase_key(f.value)
                if k in nonorg_alias and nonorg_alias[k][0] != b.arg:
                    errors.append(f'{at(b, f)}: alias "{f.value}" is already nonorg '
                                  f'{nonorg_alias[k][0]} ({nonorg_alias[k][1]})')
                nonorg_alias.setdefault(k, (b.arg, at(b, f)))
            if not b.values('alias') and not b.values('pattern'):
                errors.append(f'{at(b)}: nonorg block with neither alias nor pattern')
        elif b.type == 'cue':
            if b.arg not in rulesfmt.CUE_KINDS:
                errors.append(f'{at(b)}: unknown cue kind `{b.arg}`')
        elif b.type == 'override':
            m = re.fullmatch(r'(login|email):(\S+)', b.arg)
            if not m:
                errors.append(f'{at(b)}: selector must be login:<login> or email:<address>')
            for req in ('note', 'date'):
                if not b.values(req):
                    errors.append(f'{at(b)}: override without `{req}`')
            if not (b.values('org') or b.values('past') or b.values('country')):
                errors.append(f'{at(b)}: override sets nothing (org, past or country)')
            d = b.first('date')
            if d and not DATE_RE.match(d):
                errors.append(f'{at(b)}: date `{d}` is not YYYY-MM-DD')
            overrides.append(b)
        elif b.type == 'mail':
            if b.arg not in rulesfmt.MAIL_KINDS:
                errors.append(f'{at(b)}: unknown mail kind `{b.arg}`')
            for f in b.fields:
                if f.key == 'domain':
                    d = domain_key(f.value)
                    if not DOMAIN_RE.match(d):
                        errors.append(f'{at(b, f)}: bad domain `{f.value}`')
                    if d in mail_domain:
                        errors.append(f'{at(b, f)}: mail domain {d} listed again (first at '
                                      f'{mail_domain[d]})')
                    else:
                        mail_domain[d] = at(b, f)
        elif b.type == 'bot':
            if not BOT_RE.match(b.arg):
                errors.append(f'{at(b)}: bad bot login `{b.arg}`')
            k = b.arg.lower()
            if k in bots:
                errors.append(f'{at(b)}: bot `{b.arg}` listed again (first at {bots[k]})')
            else:
                bots[k] = at(b)

    # Parents.
    for oid, b in orgs.items():
        p = b.first('parent')
        if p is None:
            continue
        if p not in orgs:
            f = next(f for f in b.fields if f.key == 'parent')
            errors.append(f'{at(b, f)}: unknown parent `{p}`')
            continue
        chain, cur = [oid], p
        while cur is not None and cur in orgs:
            if cur == oid:
                errors.append(f'{at(b)}: parent cycle {" -> ".join(chain + [oid])}')
                break
            if cur in chain:
                break  # a cycle above this org; reported on its members
            chain.append(cur)
            cur = orgs[cur].first('parent')

    # Cross-namespace claims.
    for k, owners in abbrevs.items():
        if k in alias_owner:
            for oid, where in owners:
                errors.append(f'{where}: abbrev "{k}" is also a name/alias of '
                              f'{alias_owner[k][0]} ({alias_owner[k][1]})')
    for k, (cat, where) in nonorg_alias.items():
        if k in alias_owner:
            errors.append(f'{where}: nonorg alias "{k}" is also a name/alias of '
                          f'{alias_owner[k][0]} ({alias_owner[k][1]})')
    for d, where in mail_domain.items():
        if d in domain_owner:
            errors.append(f'{where}: free-mail domain {d} is also a domain of '
                          f'{domain_owner[d][0]} ({domain_owner[d][1]})')

    # Overrides and examples.
    for b in overrides:
        for f in b.fields:
            if f.key in ('org', 'past') and f.value not in orgs:
                errors.append(f'{at(b, f)}: unknown org `{f.value}`')
    for b, f in examples:
        m = EXAMPLE_RE.match(f.value)
        if not m:
            errors.append(f'{at(b, f)}: example must read `<field>: <text> => <org-id or ->`')
            continue
        field, _, target = m.groups()
        if field not in EXAMPLE_FIELDS:
            errors.append(f'{at(b, f)}: example field `{field}` is not a profile field')
        if target != '-' and target not in orgs:
            errors.append(f'{at(b, f)}: example names unknown org `{target}`')

    errs, checked = re2_errors(patterns)
    errors += errs
    if not checked:
        warnings.append('RE2 patterns not checked (needs g++ and libre2-dev)')

    # Informational: nested domains.
    nested_org = sum(1 for d, (o, _) in domain_owner.items()
                     if (p := under(d, domain_owner)) and domain_owner[p][0] != o)
    nested_mail = [(d, p) for d in domain_owner if (p := under(d, mail_domain))]
    org_under_mail = [f'{domain_owner[d][1]}: org domain {d} ({domain_owner[d][0]}) is under '
                      f'free-mail domain {p}' for d, p in nested_mail]
    info.append(f'{nested_org} org domains sit under another org\'s domain (longest suffix wins)')
    warnings += org_under_mail

    # Summary.
    kinds = {}
    for b in orgs.values():
        k = b.first('kind', 'company')
        kinds[k] = kinds.get(k, 0) + 1
    with_ = {k: sum(1 for b in orgs.values() if b.values(k)) for k in ('domain', 'handle', 'alias')}
    summary = [f'{len(files)} files, {len(blocks)} blocks, {len(orgs)} orgs ('
               + ', '.join(f'{k} {v}' for k, v in sorted(kinds.items())) + ')',
               'orgs with >=1 ' + ', '.join(f'{k}: {v}' for k, v in with_.items())
               + f'; with >=1 name or alias: {sum(1 for b in orgs.values() if b.values("name") or b.values("alias"))}',
               f'{len(bots)} bots, {len(mail_domain)} free-mail domains, {len(patterns)} patterns, '
               f'{len(overrides)} overrides, {len(examples)} examples']
    return errors, warnings, info, summary


def main():
    rules_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, 'rules')
    errors, warnings, info, summary = lint(rules_dir)
    for e in errors:
        print(e)
    for w in warnings:
        print(f'warning: {w}')
    for i in info:
        print(f'info: {i}')
    for s in summary:
        print(s)
    print(f'{len(errors)} errors, {len(warnings)} warnings')
    sys.exit(1 if errors else 0)


if __name__ == '__main__':
    main()
