import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseConfig } from '../config/parser.ts';
import { exchange, tempDir } from '../runtime/testing/cli-client.ts';
import { startHarness } from '../runtime/testing/proxy-harness.ts';
import { createLocalWriterSection } from '../runtime/writer-section.ts';
import { CertStore } from './cert-store.ts';
import { declareCertificates } from './declare-certs.ts';
import { selfSigned } from './testing/make-certs.ts';

describe('certificates and route maps declared by a real config file', function () {
  this.timeout(20000);
  let dir: string;
  let cleanup: () => Promise<void>;

  before(async () => {
    const t = await tempDir('hawser-decl-');
    dir = t.dir;
    cleanup = t.cleanup;
    const d = selfSigned(dir, 'default', 'default.test', ['default.test']);
    writeFileSync(path.join(dir, 'default.pem'), d.bundle);
    writeFileSync(path.join(dir, 'nokey.pem'), d.cert);
  });
  after(async () => cleanup());

  const config = (crt: string): string =>
    [
      'global',
      '    stats socket @DIR@/admin.sock level admin',
      'frontend https',
      `    bind :18443 ssl crt @DIR@/${crt} crt-list sni`,
      '    route-map ingress',
      'frontend http',
      '    bind :18080',
      '    route-map ingress',
      '',
    ].join('\n');

  it('serves the bind certificate as used, the crt-list and the route map over the socket', async () => {
    const h = await startHarness(dir, config('default.pem'));
    try {
      const sock = h.sockets[0] ?? '';
      expect(await exchange(sock, `show ssl cert ${dir}/default.pem\n`)).to.match(/^Filename: .*default\.pem\nStatus: Used\n/);
      expect(await exchange(sock, 'show ssl crt-list\n')).to.equal('sni\n\n');
      expect(await exchange(sock, 'show map\n')).to.equal(
        `# id (file) description\n0 (ingress) route map used by frontend 'https' at file '${dir}/h.cfg' line 3. curr_ver=0 next_ver=0 entry_cnt=0\n\n`,
      );
      expect(await exchange(sock, `del ssl cert ${dir}/default.pem\n`)).to.equal(`Can't remove the certificate: certificate '${dir}/default.pem' in use, can't be deleted!\n\n`);
    } finally {
      await h.stop();
    }
  });

  const failures: { name: string; read: (p: string) => string | undefined; expect: RegExp }[] = [
    { name: 'a certificate without its key', read: (p) => readFileSync(p.replace('default.pem', 'nokey.pem'), 'utf8'), expect: /No Private Key found in '.*default\.pem'\.$/ },
    { name: 'a file without certificate', read: () => 'garbage', expect: /unable to load certificate from file '.*default\.pem': no start line\.$/ },
  ];
  it('keeps a bind certificate that is no file as an empty store the controller fills', async () => {
    const h = await startHarness(dir, config('default-missing.pem'));
    try {
      const sock = h.sockets[0] ?? '';
      const name = `${dir}/default-missing.pem`;
      expect(await exchange(sock, `show ssl cert ${name}\n`)).to.equal(`Filename: ${name}\nStatus: Empty\n\n`);
      const pem = readFileSync(path.join(dir, 'default.pem'), 'utf8');
      expect(await exchange(sock, `set ssl cert ${name} <<\n${pem}\n`)).to.equal(`Transaction created for certificate ${name}!\n\n`);
      expect(await exchange(sock, `commit ssl cert ${name}\n`)).to.equal(`Committing ${name}.\nSuccess!\n\n`);
    } finally {
      await h.stop();
    }
  });

  for (const f of failures) {
    it(`reports ${f.name} with the bind's file and line`, () => {
      const parsed = parseConfig(config('default.pem').replaceAll('@DIR@', dir), 'h.cfg');
      if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
      const errs = declareCertificates(parsed.config, new CertStore(createLocalWriterSection()), f.read).errors;
      expect(errs).to.have.length(1);
      expect(errs[0]).to.match(/^parsing \[h\.cfg:4\] : 'bind' : /);
      expect(errs[0]).to.match(f.expect);
    });
  }
});
