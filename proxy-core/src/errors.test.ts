import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { PXY_CATALOGUE, PXY_ERRORS } from './errors.ts';

describe('error catalogue', () => {
  it('lists exactly the codes of errors.ts in proxy-core/README.md', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Error catalogue'));
    const documented = [...section.matchAll(/^\| `(PXY_ERR_[A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented).to.deep.equal(Object.keys(PXY_ERRORS));
  });
});

describe('the package catalogue', () => {
  const docs = ['proxy-core/README.md', 'docs/runtime-api.md', 'docs/routing-and-balancing.md', 'docs/http.md', 'docs/dataplane.md'];

  it('never gives one code to two rooms', () => {
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const [room, codes] of Object.entries(PXY_CATALOGUE)) {
      for (const code of Object.keys(codes)) {
        const other = seen.get(code);
        if (other !== undefined) clashes.push(`${code} (${other}, ${room})`);
        seen.set(code, room);
      }
    }
    expect(clashes).to.deep.equal([]);
  });

  it('documents every code of every room', async () => {
    const text = (await Promise.all(docs.map((d) => readFile(d, 'utf8')))).join('\n');
    const missing = Object.values(PXY_CATALOGUE).flatMap((codes) => Object.keys(codes)).filter((code) => !text.includes(`\`${code}\``));
    expect(missing).to.deep.equal([]);
  });
});
