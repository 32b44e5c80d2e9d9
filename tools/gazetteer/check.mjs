#!/usr/bin/env node
// Checks the gazetteer tables against docs/formats.md ("gazetteer/: tab-separated tables"):
//   node tools/gazetteer/check.mjs
// - every *.tsv has its header, 3 or 6 fields a row, no empty id/name;
// - places: unique ids, known kinds, country is a country id, subdivision exists;
// - names: known types, every id is in a places table;
// - curated names that the generated tables already have (reported, not an error);
// - a few names that must resolve (see MUST below; compared case-insensitively).
// Lines starting with '#' and blank lines in curated files are comments.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const G = path.join(ROOT, 'gazetteer');
let errors = 0;
const err = (f, n, m) => { errors++; if (errors <= 50) console.error(`${path.relative(ROOT, f)}:${n}: ${m}`); };

function* rows(file, header) {
  const text = fs.readFileSync(file, 'utf8');
  if (!text.endsWith('\n')) err(file, 0, 'no final newline');
  const lines = text.split('\n');
  lines.pop();
  if (lines[0] !== header.join('\t')) err(file, 1, `header is not ${header.join('<TAB>')}`);
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i];
    if (l === '' || l.startsWith('#')) continue;
    if (l.includes('\r')) err(file, i + 1, 'carriage return');
    const f = l.split('\t');
    if (f.length !== header.length) { err(file, i + 1, `${f.length} fields, want ${header.length}`); continue; }
    yield [i + 1, Object.fromEntries(header.map((h, j) => [h, f[j]]))];
  }
}
const list = (dir, suffix) => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(suffix)).sort().map((f) => path.join(dir, f)) : []);
const placeFiles = [...list(path.join(G, 'generated'), 'places.tsv'), ...list(path.join(G, 'curated'), 'places.tsv')];
const nameFiles = [...list(path.join(G, 'generated'), 'names.tsv'), ...list(path.join(G, 'curated'), 'names.tsv')];

const places = new Map();
const counts = {};
for (const f of placeFiles) {
  for (const [n, r] of rows(f, ['id', 'kind', 'country', 'subdivision', 'name', 'population'])) {
    if (places.has(r.id)) err(f, n, `duplicate id ${r.id}`);
    if (!['country', 'subdivision', 'city', 'region'].includes(r.kind)) err(f, n, `bad kind ${r.kind}`);
    if (!/^(0|[1-9][0-9]*)$/.test(r.population)) err(f, n, `bad population ${r.population}`);
    if (!r.name) err(f, n, 'empty name');
    const idOk = { country: /^[A-Z]{2}$/, subdivision: /^[A-Z]{2}-[A-Z0-9]{1,3}$/, city: /^g[0-9]+$/, region: /^x-[a-z0-9][a-z0-9-]*$/ }[r.kind];
    if (idOk && !idOk.test(r.id)) err(f, n, `id ${r.id} does not fit kind ${r.kind}`);
    places.set(r.id, { ...r, file: f, line: n });
    counts[path.relative(ROOT, f)] = (counts[path.relative(ROOT, f)] || 0) + 1;
  }
}
for (const p of places.values()) {
  const c = places.get(p.country);
  if (!c || c.kind !== 'country') err(p.file, p.line, `country ${p.country} is not a country id`);
  if (p.subdivision) {
    const s = places.get(p.subdivision);
    if (!s || s.kind !== 'subdivision' || s.country !== p.country) err(p.file, p.line, `subdivision ${p.subdivision} unknown or of another country`);
  }
}
const byName = new Map();
const generated = new Set();
for (const f of nameFiles) {
  const curated = f.includes(`${path.sep}curated${path.sep}`);
  let dups = 0;
  for (const [n, r] of rows(f, ['id', 'name', 'type'])) {
    if (!places.has(r.id)) err(f, n, `unknown id ${r.id}`);
    if (!['name', 'alt', 'code', 'demonym'].includes(r.type)) err(f, n, `bad type ${r.type}`);
    if (!r.name || r.name !== r.name.trim()) err(f, n, 'empty name or outer spaces');
    const k = `${r.id}\t${r.name.toLowerCase()}`;
    if (curated && generated.has(k)) { dups++; console.log(`note: ${path.relative(ROOT, f)}:${n}: ${r.id} ${r.name} is generated already`); }
    if (!curated) generated.add(k);
    const lk = r.name.toLowerCase();
    if (!byName.has(lk)) byName.set(lk, []);
    byName.get(lk).push(`${r.id}/${r.type}`);
    counts[path.relative(ROOT, f)] = (counts[path.relative(ROOT, f)] || 0) + 1;
  }
}
const MUST = {
  中国: 'CN', China: 'CN', 浙江省: 'CN-ZJ', Zhejiang: 'CN-ZJ', 杭州: 'g1808926', 杭州市: 'g1808926', Hangzhou: 'g1808926',
  北京: 'g1816670', Beijing: 'g1816670', 'Menlo Park': 'g5372223', Pittsburgh: 'g5206379', Yokohama: 'g1848354',
  Champaign: 'g4887158', American: 'US', Chinese: 'CN', Singapore: 'SG', 'Abu Dhabi': 'g292968', Henan: 'CN-HA',
  Jiangxi: 'CN-JX', Nanchang: 'g1800163', Seattle: 'g5809844', Chengdu: 'g1815286', Shenzhen: 'g1795565',
  'Bay Area': 'x-bay-area', PRC: 'CN', Korea: 'KR', Deutschland: 'DE', Türkiye: 'TR', 'the Netherlands': 'NL',
};
for (const [n, id] of Object.entries(MUST)) {
  const hits = byName.get(n.toLowerCase()) || [];
  if (!hits.some((h) => h.startsWith(`${id}/`))) { errors++; console.error(`missing: "${n}" -> ${id} (has ${hits.join(' ') || 'nothing'})`); }
}
for (const f of ['non_places.txt', 'noise_words.txt']) {
  const p = path.join(G, 'curated', f);
  if (!fs.existsSync(p)) { errors++; console.error(`missing gazetteer/curated/${f}`); continue; }
  const seen = new Set();
  fs.readFileSync(p, 'utf8').split('\n').forEach((l, i) => {
    if (!l.trim() || l.startsWith('#')) return;
    if (l !== l.trim() || l.includes('\t')) err(p, i + 1, 'outer spaces or tab');
    if (seen.has(l.toLowerCase())) err(p, i + 1, `duplicate ${l}`);
    seen.add(l.toLowerCase());
    counts[`gazetteer/curated/${f}`] = (counts[`gazetteer/curated/${f}`] || 0) + 1;
  });
}
for (const [f, n] of Object.entries(counts)) console.log(`${f}: ${n} rows`);
if (errors) { console.error(`${errors} error(s)`); process.exit(1); }
console.log('gazetteer check: ok');
