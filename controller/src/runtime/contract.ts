/**
 * The RuntimeClient contract: one suite that the in-memory fake passes here and the socket client
 * passes against a real proxy-core in e2e (`runtimeContract('proxy-core', …)`). Only behaviour the
 * sync loop relies on is asserted: what `execute` does to what `readState` returns.
 */
import { expect } from 'chai';
import type { RuntimeClient } from './client.ts';
import type { Command } from '../diff/command.ts';
import { TEST_CERT, TEST_CERT_SHA1, TEST_KEY } from '../kube/test-certificate.ts';

export interface ContractSubject {
  readonly client: RuntimeClient;
  /** Keeps `n` connections attached to a server, if the subject can simulate it. */
  readonly holdConnections?: (backend: string, server: string, n: number) => void;
  /** Lets each `wait … srv-removable` finish this many connections (default: all). */
  readonly drainPerWait?: (n: number) => void;
  readonly routeMap: string;
  readonly crtList: string;
  /** False when the proxy lacks the proposed `set backend <be> <setting>` extension. */
  readonly backendSettings?: boolean;
}

const BE = 'ns_web_80';
const PEM = `${TEST_CERT.trimEnd()}\n${TEST_KEY.trimEnd()}`;

let withSettings = true;

function backendWith(...servers: [string, string, 'ready' | 'drain'][]): Command[] {
  return [
    { op: 'add-backend', backend: BE, guid: 'b:uid-web:80' },
    ...(withSettings ? [{ op: 'set-backend', backend: BE, setting: { kind: 'balance', value: { algorithm: 'leastconn' } } } as const] : []),
    ...servers.flatMap(([name, address, state]): Command[] => [
      { op: 'add-server', backend: BE, server: name, address, port: 8080, guid: `s:uid-web:80:${name}`, weight: 1 },
      { op: 'set-server-state', backend: BE, server: name, state },
    ]),
    { op: 'publish-backend', backend: BE },
  ];
}

export function runtimeContract(name: string, make: () => Promise<ContractSubject>, done: (s: ContractSubject) => Promise<void> = (s) => s.client.close()): void {
  describe(`runtime contract: ${name}`, () => {
    let subject: ContractSubject;
    beforeEach(async () => { subject = await make(); withSettings = subject.backendSettings ?? true; });
    afterEach(async () => { await done(subject); });

    it('reads back nothing the controller owns from a fresh proxy', async () => {
      const state = await subject.client.readState();
      expect(state.backends).to.deep.equal([]);
      expect(state.routes).to.deep.equal([]);
      expect(state.certificates).to.deep.equal([]);
      expect(state.crtList).to.deep.equal([]);
    });

    it('reads back a created backend with its settings and servers', async () => {
      const r = await subject.client.execute(backendWith(['10.0.0.1_8080', '10.0.0.1', 'ready'], ['fd00--1_8080', 'fd00::1', 'drain']));
      expect(r.completed).to.equal(true);
      const [b] = (await subject.client.readState()).backends;
      expect(b?.name).to.equal(BE);
      if (withSettings) expect(b?.settings?.balance).to.deep.equal({ algorithm: 'leastconn' });
      expect(b?.servers).to.deep.equal([
        { name: '10.0.0.1_8080', address: '10.0.0.1', port: 8080, weight: 1, state: 'ready', health: false },
        { name: 'fd00--1_8080', address: 'fd00::1', port: 8080, weight: 1, state: 'drain', health: false },
      ]);
    });

    it('applies state, weight and health changes', async () => {
      await subject.client.execute(backendWith(['s1', '10.0.0.1', 'ready']));
      await subject.client.execute([
        { op: 'set-server-state', backend: BE, server: 's1', state: 'drain' },
        { op: 'set-server-weight', backend: BE, server: 's1', weight: 7 },
        { op: 'enable-health', backend: BE, server: 's1' },
      ]);
      const s = (await subject.client.readState()).backends[0]?.servers[0];
      expect([s?.state, s?.weight, s?.health]).to.deep.equal(['drain', 7, true]);
    });

    it('swaps the whole route map at once', async () => {
      await subject.client.execute(backendWith());
      const entries = [{ key: 'exact:a.example.com/x', value: `${BE} r:u:1` }, { key: 'prefix:*/', value: `${BE} r:u:default` }];
      expect((await subject.client.execute([{ op: 'replace-map', map: subject.routeMap, entries }])).completed).to.equal(true);
      expect((await subject.client.readState()).routes).to.deep.equal(entries);
      await subject.client.execute([{ op: 'replace-map', map: subject.routeMap, entries: [] }]);
      expect((await subject.client.readState()).routes).to.deep.equal([]);
    });

    it('creates, lists by SNI and deletes a certificate', async () => {
      const cert = 'secret-11111111-2222-3333-4444-555555555555.pem';
      await subject.client.execute([
        { op: 'new-ssl-cert', name: cert },
        { op: 'set-ssl-cert', name: cert, pem: PEM },
        { op: 'commit-ssl-cert', name: cert },
        { op: 'add-crt-list', list: subject.crtList, cert, snis: ['*.example.com', 'a.example.com'] },
      ]);
      let state = await subject.client.readState();
      expect(state.certificates).to.deep.equal([{ name: cert, fingerprint: TEST_CERT_SHA1 }]);
      expect(state.crtList).to.deep.equal([{ cert, snis: ['*.example.com', 'a.example.com'] }]);
      await subject.client.execute([{ op: 'del-crt-list', list: subject.crtList, cert }, { op: 'del-ssl-cert', name: cert }]);
      state = await subject.client.readState();
      expect([state.certificates, state.crtList]).to.deep.equal([[], []]);
    });

    it('deletes a server in maint and then its backend', async () => {
      await subject.client.execute(backendWith(['s1', '10.0.0.1', 'ready']));
      const r = await subject.client.execute([
        { op: 'unpublish-backend', backend: BE },
        { op: 'set-server-state', backend: BE, server: 's1', state: 'maint' },
        { op: 'del-server', backend: BE, server: 's1' },
        { op: 'del-backend', backend: BE },
      ]);
      expect(r.outcomes.map((o) => o.status)).to.deep.equal(['ok', 'ok', 'ok', 'ok']);
      expect((await subject.client.readState()).backends).to.deep.equal([]);
    });

    it('waits for connections to finish before deleting, and says retryable when they do not', async function () {
      const hold = subject.holdConnections;
      const drain = subject.drainPerWait;
      if (hold === undefined || drain === undefined) this.skip();
      await subject.client.execute([...backendWith(['s1', '10.0.0.1', 'ready']), { op: 'set-server-state', backend: BE, server: 's1', state: 'maint' }]);
      hold?.(BE, 's1', 5);
      drain?.(2);
      const slow = await subject.client.execute([{ op: 'del-server', backend: BE, server: 's1' }]);
      expect(slow.outcomes[0]).to.include({ status: 'retryable', code: 'HWS_ERR_RUNTIME_RETRYABLE' });
      expect(slow.completed).to.equal(true);
      const later = await subject.client.execute([{ op: 'del-server', backend: BE, server: 's1' }]);
      expect(later.outcomes[0]?.status).to.equal('ok');
    });

    it('stops at the first refused command and reports the proxy\'s words', async () => {
      const r = await subject.client.execute([
        { op: 'add-server', backend: 'ns_ghost_80', server: 's1', address: '10.0.0.1', port: 80, guid: 's:g:80:s1', weight: 1 },
        { op: 'add-backend', backend: BE, guid: 'b:uid-web:80' },
      ]);
      expect(r.completed).to.equal(false);
      expect(r.outcomes).to.have.length(1);
      expect(r.outcomes[0]).to.include({ status: 'failed', code: 'HWS_ERR_RUNTIME_REJECTED', reply: 'No such backend.' });
    });

    it('refuses to send an argument that escaping cannot carry', async () => {
      let error: unknown;
      try {
        await subject.client.execute([{ op: 'add-backend', backend: 'a\nshow map', guid: 'g' }]);
      } catch (e) { error = e; }
      expect(error).to.have.property('code', 'HWS_ERR_RUNTIME_UNSAFE_ARGUMENT');
    });
  });
}
