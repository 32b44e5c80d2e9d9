#!/usr/bin/env python3
"""Writes fixtures/opendigger-companies/companies.tsv from OpenDigger's companies.

One row per company (`companies/<dir>/index.yml` of type Company): its English
name, its Chinese name and the GitHub orgs the company itself lists, as the data
says them (before any fix the importer makes). tests/org_test.cc resolves each
as a company field and checks that all of a company's names and handles reach
one org the knowledge base lists (issue #4: "every company in OpenDigger's list
resolves from its GitHub org handle and from its English and Chinese names").

    python3 tools/rules/opendigger_fixture.py [--data ../shared/data]
"""
import argparse
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
spec = importlib.util.spec_from_file_location('importer', os.path.join(HERE, 'import.py'))
importer = importlib.util.module_from_spec(spec)
sys.path.insert(0, HERE)
spec.loader.exec_module(importer)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--data', default=os.environ.get('AFFIL_DATA', os.path.join(ROOT, '..', 'shared', 'data')))
    args = ap.parse_args()
    base = os.path.join(args.data, 'opendigger', 'labeled_data', 'companies')
    rows = []
    for d in sorted(os.listdir(base)):
        path = os.path.join(base, d, 'index.yml')
        if not os.path.isfile(path):
            continue
        doc = importer.read_yaml(path) or {}
        if doc.get('type') != 'Company':
            continue
        clean = lambda v: ' '.join(str(v or '').split())  # no TAB or newline in a cell
        rows.append('\t'.join([d, clean(doc.get('name')), clean(doc.get('name_zh')),
                               ','.join(importer.github_orgs(doc))]))
    out = os.path.join(ROOT, 'fixtures', 'opendigger-companies', 'companies.tsv')
    with open(out, 'w', encoding='utf-8') as f:
        f.write('# From OpenDigger labeled_data/companies (Apache-2.0); tools/rules/opendigger_fixture.py\n')
        f.write('dir\tname\tname_zh\tgithub_orgs\n')
        f.write('\n'.join(rows) + '\n')
    print(f'{out}: {len(rows)} companies')


if __name__ == '__main__':
    main()
