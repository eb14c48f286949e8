import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import { PXY_ERRORS } from './errors.ts';

describe('error catalogue', () => {
  it('lists exactly the codes of errors.ts in proxy-core/README.md', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('## Error catalogue'));
    const documented = [...section.matchAll(/^\| `(PXY_ERR_[A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented).to.deep.equal(Object.keys(PXY_ERRORS));
  });
});
