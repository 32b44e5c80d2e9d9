"""Reader and writer for affil's `rules/**/*.rules` block format (docs/formats.md).

Shared by tools/rules/import.py and tools/rules/lint.py. Standard library only
(Debian's /usr/bin/python3).
"""

import re
import unicodedata

# Header types and, for each, the field keys it may carry.
KEYS = {
    'org': {'name', 'alias', 'abbrev', 'kind', 'parent', 'country', 'domain', 'handle',
            'pattern', 'example', 'note', 'source'},
    'nonorg': {'alias', 'pattern', 'note'},
    'cue': {'pattern', 'note'},
    'override': {'org', 'past', 'country', 'note', 'date'},
    'mail': {'domain', 'country', 'source'},
    'bot': {'source', 'note'},
}
# Keys that may appear at most once in a block.
SINGLE = {
    'org': {'kind', 'parent', 'country', 'source'},
    'nonorg': set(),
    'cue': set(),
    'override': {'country', 'date'},
    'mail': {'country', 'source'},
    'bot': {'source'},
}
ORG_KINDS = {'company', 'university', 'institute', 'government', 'nonprofit', 'community'}
NONORG_CATEGORIES = {'self_employed', 'student', 'unemployed', 'job_title', 'joke', 'placeholder'}
CUE_KINDS = {'past', 'now', 'link'}
MAIL_KINDS = {'free'}
ID_RE = re.compile(r'[a-z0-9][a-z0-9._-]*\Z')


class Field:
    __slots__ = ('key', 'value', 'line')

    def __init__(self, key, value, line):
        self.key, self.value, self.line = key, value, line


class Block:
    __slots__ = ('path', 'line', 'type', 'arg', 'fields')

    def __init__(self, path, line, type_, arg):
        self.path, self.line, self.type, self.arg, self.fields = path, line, type_, arg, []

    def values(self, key):
        return [f.value for f in self.fields if f.key == key]

    def first(self, key, default=None):
        for f in self.fields:
            if f.key == key:
                return f.value
        return default


def parse(path, text, errors):
    """Parses one file; appends 'path:line: message' strings to `errors`."""
    blocks = []
    cur = None
    for n, raw in enumerate(text.split('\n'), 1):
        line = raw.rstrip('\r')
        stripped = line.strip()
        if not stripped or stripped.startswith('#'):
            continue
        if line[0] in ' \t':
            if cur is None:
                errors.append(f'{path}:{n}: field line before any header')
                continue
            parts = stripped.split(None, 1)
            if len(parts) < 2:
                errors.append(f'{path}:{n}: field `{parts[0]}` has no value')
                continue
            cur.fields.append(Field(parts[0], parts[1].strip(), n))
            continue
        parts = stripped.split(None, 1)
        if len(parts) < 2:
            errors.append(f'{path}:{n}: header `{parts[0]}` has no argument')
            cur = None
            continue
        cur = Block(path, n, parts[0], parts[1].strip())
        blocks.append(cur)
    return blocks


# ---- keys under which claims are compared -------------------------------------------------

def _is_ideograph(c):
    o = ord(c)
    return (0x3040 <= o <= 0x30FF or 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF
            or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3134F or 0x31F0 <= o <= 0x31FF)


def _is_word(c):
    cat = unicodedata.category(c)
    return cat[0] == 'L' or cat == 'Nd' or cat in ('Mn', 'Mc')


def phrase_key(s):
    """Approximates affil::text::KeyOf: NFKC + casefold, tokens of letters/digits/marks, each
    Han/Kana character a token of its own, joined by one space."""
    s = unicodedata.normalize('NFKC', unicodedata.normalize('NFKC', s).casefold())
    tokens, cur = [], []
    for c in s:
        if _is_ideograph(c):
            if cur:
                tokens.append(''.join(cur))
                cur = []
            tokens.append(c)
        elif _is_word(c):
            cur.append(c)
        elif cur:
            tokens.append(''.join(cur))
            cur = []
    if cur:
        tokens.append(''.join(cur))
    return ' '.join(tokens)


def domain_key(s):
    return s.strip().lower().rstrip('.')


def handle_key(s):
    return s.strip().lstrip('@').lower()


def slug(s, maxlen=60):
    s = unicodedata.normalize('NFKD', s)
    s = ''.join(c for c in s if not unicodedata.combining(c)).lower()
    s = re.sub(r'[^a-z0-9]+', '-', s).strip('-')
    if len(s) > maxlen:
        s = s[:maxlen].rsplit('-', 1)[0]
    return s


# ---- writing --------------------------------------------------------------------------------

def clean_value(v):
    return ' '.join(str(v).split())


def format_block(type_, arg, fields, comments=()):
    """fields: list of (key, value). Returns the block's text, ending with a newline."""
    out = [f'# {c}\n' for c in comments]
    out.append(f'{type_} {arg}\n')
    for k, v in fields:
        out.append(f'    {k:<8} {clean_value(v)}\n')
    return ''.join(out)
