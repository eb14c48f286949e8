import { expect } from 'chai';
import { X509Certificate } from 'node:crypto';
import path from 'node:path';
import { builtinCommands } from '../runtime/builtin-commands.ts';
import { startRuntimeServer, type RuntimeServer } from '../runtime/server.ts';
import { exchange, tempDir } from '../runtime/testing/cli-client.ts';
import { createLocalWriterSection, type ChangeRecord } from '../runtime/writer-section.ts';
import { certCommands } from './cert-commands.ts';
import { CertStore } from './cert-store.ts';
import { crtListCommands } from './crtlist-commands.ts';
import { parsePemBundle } from './pem.ts';
import { selfSigned, signedByCa, type TestCert } from './testing/make-certs.ts';

describe('certificate and crt-list commands over the runtime socket', function () {
  this.timeout(20000);
  let dir: string;
  let cleanup: () => Promise<void>;
  let a: TestCert;
  let b: TestCert;
  let c: TestCert;
  let ec: TestCert;
  let chained: { leaf: TestCert; ca: TestCert };
  let server: RuntimeServer;
  let sock: string;
  let store: CertStore;
  let records: ChangeRecord[];

  before(async () => {
    const t = await tempDir('hawser-certs-');
    dir = t.dir;
    cleanup = t.cleanup;
    a = selfSigned(dir, 'a', 'a.test', ['a.test', 'www.a.test']);
    b = selfSigned(dir, 'b', 'b.test');
    c = selfSigned(dir, 'c', 'c.test', ['c.test']);
    ec = selfSigned(dir, 'e', 'ec.test', [], 'ec');
    chained = signedByCa(dir, 'leaf.test');
  });
  after(async () => cleanup());

  beforeEach(async () => {
    sock = path.join(dir, 'admin.sock');
    records = [];
    store = new CertStore(createLocalWriterSection((r) => void records.push(...r)));
    const pa = parsePemBundle(a.bundle);
    if (!pa.ok) throw new Error('fixture');
    store.loadCertificate('/etc/hawser/a.pem', pa.data, { bindDefault: true });
    store.declareCrtList('/etc/hawser/list.txt');
    server = await startRuntimeServer({ path: sock, level: 'admin', commands: [...builtinCommands, ...certCommands(store), ...crtListCommands(store)] });
  });
  afterEach(async () => server.close());

  const send = (line: string): Promise<string> => exchange(sock, line);
  const setCert = (name: string, pem: string): Promise<string> => send(`set ssl cert ${name} <<\n${pem.endsWith('\n') ? pem : `${pem}\n`}\n`);

  it('brings a new SNI certificate online: new, set, commit, add to the crt-list', async () => {
    expect(await send('new ssl cert /etc/hawser/c.pem\n')).to.equal("New empty certificate store '/etc/hawser/c.pem'!\n\n");
    expect(await send('show ssl cert /etc/hawser/c.pem\n')).to.equal('Filename: /etc/hawser/c.pem\nStatus: Empty\n\n');
    expect(await setCert('/etc/hawser/c.pem', c.bundle)).to.equal('Transaction created for certificate /etc/hawser/c.pem!\n\n');
    expect(await send('show ssl cert\n')).to.equal('# transaction\n*/etc/hawser/c.pem\n# filename\n/etc/hawser/a.pem\n/etc/hawser/c.pem\n\n');
    expect(await send('show ssl cert */etc/hawser/c.pem\n')).to.match(/^Filename: \*\/etc\/hawser\/c\.pem\nStatus: Uncommitted\nSerial: /);
    expect(await send('commit ssl cert /etc/hawser/c.pem\n')).to.equal('Committing /etc/hawser/c.pem\nSuccess!\n\n');
    expect(await send('show ssl cert /etc/hawser/c.pem\n')).to.match(/^Filename: \/etc\/hawser\/c\.pem\nStatus: Unused\n/);
    expect(await send('add ssl crt-list /etc/hawser/list.txt /etc/hawser/c.pem\n')).to.equal(
      "Inserting certificate '/etc/hawser/c.pem' in crt-list '/etc/hawser/list.txt'.\nSuccess!\n\n",
    );
    expect(await send('show ssl cert /etc/hawser/c.pem\n')).to.match(/\nStatus: Used\n/);
    expect(records.map((r) => r.kind)).to.deep.equal(['cert.set', 'crtlist.add']);
    expect(records[0]?.names).to.deep.equal(['c.test']);
    expect(records[1]).to.deep.include({ list: '/etc/hawser/list.txt', cert: '/etc/hawser/c.pem', sni: [] });
  });

  it('shows a certificate in HAProxy layout', async () => {
    const x = new X509Certificate(a.cert);
    const fp = x.fingerprint.replace(/:/g, '');
    expect(await send('show ssl cert /etc/hawser/a.pem\n')).to.equal(
      'Filename: /etc/hawser/a.pem\nStatus: Used\n' +
        `Serial: ${x.serialNumber.toUpperCase()}\nnotBefore: ${x.validFrom}\nnotAfter: ${x.validTo}\n` +
        'Subject Alternative Name: DNS:a.test, DNS:www.a.test\nAlgorithm: RSA2048\n' +
        `SHA1 FingerPrint: ${fp}\nSubject: /CN=a.test\nIssuer: /CN=a.test\n\n`,
    );
  });

  it('shows the algorithm of an EC key and the chain of a CA-signed certificate', async () => {
    await send('new ssl cert e\n');
    await setCert('e', ec.bundle);
    await send('commit ssl cert e\n');
    expect(await send('show ssl cert e\n')).to.contain('\nAlgorithm: EC256\n');
    await send('new ssl cert leaf\n');
    await setCert('leaf', chained.leaf.bundle);
    await send('commit ssl cert leaf\n');
    expect(await send('show ssl cert leaf\n')).to.match(/Issuer: \/CN=Test CA\nChain Subject: \/CN=Test CA\nChain Issuer: \/CN=Test CA\n\n$/);
  });

  it('replaces the certificate of a used store in one record, one dot per instance', async () => {
    expect(await setCert('/etc/hawser/a.pem', b.bundle)).to.equal('Transaction created for certificate /etc/hawser/a.pem!\n\n');
    expect(await setCert('/etc/hawser/a.pem', b.bundle)).to.equal('Transaction updated for certificate /etc/hawser/a.pem!\n\n');
    expect(records).to.deep.equal([]);
    expect(await send('commit ssl cert /etc/hawser/a.pem\n')).to.equal('Committing /etc/hawser/a.pem.\nSuccess!\n\n');
    expect(records).to.have.length(1);
    expect(records[0]).to.deep.include({ kind: 'cert.set', name: '/etc/hawser/a.pem', names: ['b.test'] });
    expect(String(records[0]?.cert)).to.equal(b.cert);
    expect(String(records[0]?.key)).to.match(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('answers every refusal with HAProxy text', async () => {
    const t = (cmd: string): Promise<string> => send(cmd);
    expect(await t('new ssl cert /etc/hawser/a.pem\n')).to.equal("Certificate '/etc/hawser/a.pem' already exists!\n\n");
    expect(await t('new ssl cert\n')).to.equal("'new ssl cert' expects a filename\n\n");
    expect(await t('set ssl cert /etc/hawser/a.pem\n')).to.equal("'set ssl cert' expects a filename and a certificate as a payload\n\n");
    expect(await setCert('/nope.pem', c.bundle)).to.equal("Can't replace a certificate which is not referenced by the configuration!\nCan't update /nope.pem!\n\n");
    expect(await setCert('/etc/hawser/a.pem', 'hello')).to.equal(
      "unable to load certificate from file '/etc/hawser/a.pem': no start line.\nCan't load the payload\nCan't update /etc/hawser/a.pem!\n\n",
    );
    expect(await t('commit ssl cert /etc/hawser/a.pem\n')).to.equal("No ongoing transaction! !\nCan't commit /etc/hawser/a.pem!\n\n");
    expect(await t('abort ssl cert /etc/hawser/a.pem\n')).to.equal('No ongoing transaction!\n\n');
    await t('new ssl cert d\n');
    expect(await setCert('d', c.cert + b.key)).to.equal('Transaction created for certificate d!\n\n');
    expect(await setCert('/etc/hawser/a.pem', c.bundle)).to.equal(
      "The ongoing transaction is about 'd' but you are trying to set '/etc/hawser/a.pem'\nCan't update /etc/hawser/a.pem!\n\n",
    );
    expect(await t('commit ssl cert /etc/hawser/a.pem\n')).to.equal(
      "The ongoing transaction is about 'd' but you are trying to set '/etc/hawser/a.pem'\nCan't commit /etc/hawser/a.pem!\n\n",
    );
    expect(await t('abort ssl cert /etc/hawser/a.pem\n')).to.equal(
      "The ongoing transaction is about 'd' but you are trying to abort a transaction for '/etc/hawser/a.pem'\n\n",
    );
    expect(await t('commit ssl cert d\n')).to.equal("inconsistencies between private key and certificate loaded 'd'.\nCan't commit d!\n\n");
    expect(await t('del ssl cert d\n')).to.equal("Can't remove the certificate: ongoing transaction for the certificate 'd'\n\n");
    expect(await t('abort ssl cert d\n')).to.equal("Transaction aborted for certificate 'd'!\n\n");
    expect(await t('show ssl cert *d\n')).to.equal("Can't display the certificate: Not found or the certificate is a bundle!\n\n");
    expect(await setCert('d', c.cert)).to.equal('Transaction created for certificate d!\n\n');
    expect(await t('commit ssl cert d\n')).to.equal("The transaction must contain at least a certificate and a private key!\nCan't commit d!\n\n");
    await t('abort ssl cert d\n');
    expect(await t('show ssl cert nope\n')).to.equal("Can't display the certificate: Not found or the certificate is a bundle!\n\n");
    expect(records).to.deep.equal([]);
  });

  it('manages crt-list entries with line numbers, filters, and refuses to delete a used certificate', async () => {
    await send('new ssl cert c.pem\n');
    await setCert('c.pem', c.bundle);
    await send('commit ssl cert c.pem\n');
    expect(await send('add ssl crt-list /etc/hawser/list.txt c.pem\n')).to.contain('Success!');
    expect(await send('add ssl crt-list /etc/hawser/list.txt/ <<\nc.pem c2.test *.c.test !x.c.test\n\n')).to.equal(
      "Inserting certificate 'c.pem' in crt-list '/etc/hawser/list.txt'.\nSuccess!\n\n",
    );
    expect(await send('show ssl crt-list\n')).to.equal('/etc/hawser/list.txt\n\n');
    expect(await send('show ssl crt-list /etc/hawser/list.txt\n')).to.equal('# /etc/hawser/list.txt\nc.pem\nc.pem c2.test *.c.test !x.c.test\n\n');
    expect(await send('show ssl crt-list -n /etc/hawser/list.txt\n')).to.equal('# /etc/hawser/list.txt\nc.pem:1\nc.pem:2 c2.test *.c.test !x.c.test\n\n');
    expect(await send('del ssl cert c.pem\n')).to.equal("Can't remove the certificate: certificate 'c.pem' in use, can't be deleted!\n\n");
    expect(await send('del ssl crt-list /etc/hawser/list.txt c.pem\n')).to.equal(
      "Can't delete the entry: found the certificate 'c.pem' in several entries, please specify a line number preceded by colons (1, 2)!\n\n",
    );
    expect(await send('del ssl crt-list /etc/hawser/list.txt c.pem:7\n')).to.equal(
      "Can't delete the entry: found a certificate 'c.pem' but the line number is incorrect, please specify a correct line number preceded by colons (1, 2)!\n\n",
    );
    expect(await send('del ssl crt-list /etc/hawser/list.txt c.pem:x\n')).to.equal("Can't delete the entry: wrong line number after colons in 'c.pem:x'!\n\n");
    expect(await send('del ssl crt-list /etc/hawser/list.txt c.pem:1\n')).to.equal("Entry 'c.pem' deleted in crtlist '/etc/hawser/list.txt'!\n\n");
    expect(await send('del ssl crt-list /etc/hawser/list.txt c.pem\n')).to.equal("Entry 'c.pem' deleted in crtlist '/etc/hawser/list.txt'!\n\n");
    expect(await send('del ssl crt-list /etc/hawser/list.txt c.pem\n')).to.equal(
      "Can't delete the entry: certificate 'c.pem' can't be found in crt-list '/etc/hawser/list.txt'!\n\n",
    );
    expect(await send('del ssl cert c.pem\n')).to.equal("Certificate 'c.pem' deleted!\n\n");
    expect(await send('del ssl cert c.pem\n')).to.equal("Can't remove the certificate: certificate 'c.pem' doesn't exist!\n\n");
    expect(records.map((r) => r.kind)).to.deep.equal(['cert.set', 'crtlist.add', 'crtlist.add', 'crtlist.add', 'crtlist.del', 'cert.del']);
    expect(records[2]?.sni, 'an entry without filters adds the certificate names').to.deep.equal(['c.test', 'c2.test', '*.c.test', '!x.c.test']);
    expect(records[3]?.sni).to.deep.equal(['c2.test', '*.c.test', '!x.c.test']);
  });

  it('answers crt-list refusals with HAProxy text', async () => {
    await send('new ssl cert empty.pem\n');
    const cases: [string, string][] = [
      ['add ssl crt-list /etc/hawser/list.txt\n', "'add ssl crtlist' expects a filename and a certificate name\n\n"],
      ['add ssl crt-list /nolist /etc/hawser/a.pem\n', "Can't edit the crt-list: crt-list '/nolist' does not exist!\n\n"],
      ['add ssl crt-list /etc/hawser/list.txt zz.pem\n', "Can't edit the crt-list: certificate 'zz.pem' does not exist!\n\n"],
      ['add ssl crt-list /etc/hawser/list.txt empty.pem\n', "Can't edit the crt-list: certificate 'empty.pem' is empty!\n\n"],
      ['add ssl crt-list /etc/hawser/list.txt <<\n/etc/hawser/a.pem [alpn h2] x.test\n\n', "Can't edit the crt-list: SSL options in crt-list entries are not supported!\n\n"],
      ['del ssl crt-list /etc/hawser/list.txt\n', "'del ssl crtlist' expects a filename and a certificate name\n\n"],
      ['show ssl crt-list nolist\n', "didn't find the specified filename\n\n"],
      ['show ssl crt-list -n\n', "'show ssl crt-list -n' expects a filename or a directory\n\n"],
    ];
    for (const [cmd, reply] of cases) expect(await send(cmd), cmd).to.equal(reply);
  });

  it('applies HAProxy levels: operator may show certificates, only admin may change them', async () => {
    expect(await send('operator;show ssl cert;new ssl cert x;show ssl crt-list\n')).to.equal(
      '\n# filename\n/etc/hawser/a.pem\n\nPermission denied\n\nPermission denied\n\n',
    );
    expect(await send("user;show ssl cert\n")).to.equal("\nCan't allocate memory!\n\n");
  });
});
