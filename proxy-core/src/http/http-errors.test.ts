import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { HTTP_ERRORS, httpErrorStatus, type HttpErrorCode } from './http-errors.ts';

describe('HTTP reason codes', () => {
  const docs = readFileSync(new URL('../../../docs/http.md', import.meta.url), 'utf8');

  it('are all listed in docs/http.md', () => {
    const missing = Object.keys(HTTP_ERRORS).filter((code) => !docs.includes(`\`${code}\``));
    expect(missing).to.deep.equal([]);
  });

  it('answer client faults with 4xx or 501/505, and upstream faults with 502', () => {
    for (const code of Object.keys(HTTP_ERRORS) as HttpErrorCode[]) {
      const status = httpErrorStatus(code);
      if (code.startsWith('PXY_ERR_HTTP_RESP_')) expect(status, code).to.equal(502);
      else expect([400, 405, 414, 417, 431, 501, 505], code).to.include(status);
    }
  });
});
