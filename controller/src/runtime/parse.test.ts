import { expect } from 'chai';
import { parseCertFingerprint, parseCrtList, parseServersState, parseShowBackend, parseShowMap, parseShowSslCerts } from './parse.ts';

const HEADER = '# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port';

describe('runtime: reading show replies', () => {
  it('reads HAProxy\'s own line for a fresh dynamic server (reference §3.4) as maint', () => {
    const rows = parseServersState(`1\n${HEADER}\n3 test 2 d1 127.0.0.1 0 1 1 1 13 1 0 0 0 0 0 0 - 28081 - 0 0 - - 0\n`);
    expect(rows).to.deep.equal([{ backend: 'test', name: 'd1', address: '127.0.0.1', port: 28081, state: 'maint', weight: 1, health: false }]);
  });

  const admin: { name: string; admin: number; check: number; state: string; health: boolean }[] = [
    { name: 'reads admin 0 as ready', admin: 0, check: 0, state: 'ready', health: false },
    { name: 'reads FDRAIN (8) as drain, as after ready then drain', admin: 8, check: 0, state: 'drain', health: false },
    { name: 'reads IMAINT (2) as maint', admin: 2, check: 0, state: 'maint', health: false },
    { name: 'reads a check ENABLED (4) as health on', admin: 0, check: 6, state: 'ready', health: true },
    { name: 'reads a PAUSED check (8) as health off', admin: 0, check: 14, state: 'ready', health: false },
  ];
  for (const c of admin) {
    it(c.name, () => {
      const [row] = parseServersState(`1\n${HEADER}\n1 be 1 s 10.0.0.1 2 ${String(c.admin)} 1 1 0 1 0 0 ${String(c.check)} 0 0 0 - 80 - 0 0 - - 0\n`);
      expect([row?.state, row?.health]).to.deep.equal([c.state, c.health]);
    });
  }

  it('refuses a servers-state reply of another version rather than guess', () => {
    expect(() => parseServersState('2\n')).to.throw().with.property('code', 'HWS_ERR_RUNTIME_UNEXPECTED_REPLY');
  });

  it('refuses a truncated servers-state line', () => {
    expect(() => parseServersState(`1\n${HEADER}\n1 be 1 s 10.0.0.1 2 0\n`)).to.throw().with.property('code', 'HWS_ERR_RUNTIME_UNEXPECTED_REPLY');
  });

  it('reads HAProxy\'s plain show backend as names without settings', () => {
    expect(parseShowBackend('# name\nbe1\ndefault-be\n')).to.deep.equal([{ name: 'be1' }, { name: 'default-be' }]);
  });

  it('reads the extended show backend columns into settings', () => {
    const text = '# name balance timeout-connect timeout-server httpchk check-inter\nns_web_80 hdr(x-user) 3000ms - /healthz 2000ms\nns_api_80 roundrobin - - none -\n';
    expect(parseShowBackend(text)).to.deep.equal([
      { name: 'ns_web_80', settings: { balance: { algorithm: 'hdr', header: 'x-user' }, timeoutConnectMs: 3000, checkPath: '/healthz', checkIntervalMs: 2000 } },
      { name: 'ns_api_80', settings: {} },
    ]);
  });

  it('reads show map entries whose value holds a space', () => {
    expect(parseShowMap('0x55d0c1a0 prefix:a.example.com/ ns_web_80 r:u:1\n')).to.deep.equal([{ key: 'prefix:a.example.com/', value: 'ns_web_80 r:u:1' }]);
  });

  it('reads show ssl cert names and skips uncommitted transactions', () => {
    expect(parseShowSslCerts('# transaction\n*secret-u2.pem\n# filename\ndefault.pem\nsecret-u1.pem\n')).to.deep.equal(['default.pem', 'secret-u1.pem']);
  });

  it('reads the SHA1 fingerprint of show ssl cert <name>', () => {
    const text = 'Filename: c:u1\nStatus: Used\nSerial: 0D93\nSHA1 FingerPrint: 417a11cae25f607b24f638b4a8aee51d1e211477\nSubject: /CN=a\n';
    expect(parseCertFingerprint(text)).to.equal('417A11CAE25F607B24F638B4A8AEE51D1E211477');
  });

  it('reads crt-list lines with options and SNI filters', () => {
    expect(parseCrtList('# ingress\nc:u1 [alpn h2,http/1.1] b.example.com a.example.com\nc:u2\n')).to.deep.equal([
      { cert: 'c:u1', snis: ['a.example.com', 'b.example.com'] },
      { cert: 'c:u2', snis: [] },
    ]);
  });
});
