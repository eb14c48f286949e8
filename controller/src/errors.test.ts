import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { HWS_ERR } from './errors.ts';
import { ANNOTATIONS } from './annotations/table.ts';

const docs = readFileSync(new URL('../../docs/controller.md', import.meta.url), 'utf8');

function tableRows(prefix: string): string[][] {
  return docs.split('\n').filter((l) => l.startsWith(`| \`${prefix}`)).map((l) => l.split(' | ').map((c) => c.replace(/^\| |\s\|$/g, '').replace(/`/g, '')));
}

describe('docs/controller.md agrees with the code', () => {
  it('lists every HWS_ERR code with its reason and meaning, and no other', () => {
    const rows = tableRows('HWS_ERR_');
    expect(rows.map((r) => r[0])).to.deep.equal(Object.keys(HWS_ERR));
    for (const [code, reason, doc] of rows) {
      const entry = HWS_ERR[code as keyof typeof HWS_ERR];
      expect([reason, doc?.replace(/\\\|/g, '|')], String(code)).to.deep.equal([entry.reason, entry.doc.replace(/`/g, '')]);
    }
  });

  it('lists every annotation with its scope, risk and doc, and no other', () => {
    const rows = tableRows('hawser.dev/');
    expect(rows.map((r) => r[0])).to.deep.equal(Object.keys(ANNOTATIONS));
    for (const [name, scope, risk, doc] of rows) {
      const spec = ANNOTATIONS[name ?? ''];
      expect([scope, risk, doc], String(name)).to.deep.equal([spec?.scope, spec?.risk, spec?.doc.replace(/`/g, '')]);
    }
  });

  it('gives every code a distinct Event reason', () => {
    const reasons = Object.values(HWS_ERR).map((e) => e.reason);
    expect(new Set(reasons).size).to.equal(reasons.length);
  });
});
