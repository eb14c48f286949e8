import { expect } from 'chai';
import { diff, diffServersOf } from './diff.ts';
import type { Command } from './command.ts';
import { buildModel } from '../model/build.ts';
import { refreshServers } from '../model/fast-path.ts';
import { ingress, options, service, slice, snapshot, tlsSecret } from '../model/fixtures.ts';
import type { EndpointOptions } from '../model/fixtures.ts';
import { EMPTY_PROXY_STATE } from '../model/proxy-state.ts';
import type { ProxyState } from '../model/proxy-state.ts';
import type { Snapshot } from '../model/types.ts';
import { fakeRuntime } from '../runtime/fake-client.ts';
import { CERT_PEM, KEY_PEM } from '../model/fixtures.ts';

const O = { routeMap: 'ingress', crtList: 'ingress' };

const web = service('ns/web').port(80, 'http').build();
const api = service('ns/api').port(8080).build();
const cert = tlsSecret('ns/cert');

function webSlice(...eps: [string, EndpointOptions?][]): ReturnType<ReturnType<typeof slice>['build']> {
  let s = slice('ns/web-1', 'web').port(8080, 'http');
  for (const [addr, o] of eps) s = s.endpoint(addr, o ?? {});
  return s.build();
}

function cluster(...extra: Parameters<typeof snapshot>[0]): Snapshot {
  return snapshot([
    web, api, cert,
    ingress('ns/a').host('a.example.com').path('/', 'Prefix', 'web', 'http').path('/api', 'Prefix', 'api', 8080).tls('cert', 'a.example.com').build(),
    slice('ns/api-1', 'api').port(9000).endpoint('10.0.1.1', { pod: 'api-0' }).build(),
    ...extra,
  ]);
}

function desiredOf(s: Snapshot): ProxyState {
  return buildModel(s, options()).desired;
}

/** Commands as short strings, to compare order and content on one line each. */
function show(commands: readonly Command[]): string[] {
  return commands.map((c) => {
    switch (c.op) {
      case 'add-server': case 'set-server-state': case 'set-server-weight': case 'set-server-addr': case 'enable-health': case 'disable-health': case 'del-server':
        return `${c.op} ${c.backend}/${c.server}${c.op === 'set-server-state' ? ` ${c.state}` : ''}`;
      case 'add-backend': case 'set-backend': case 'publish-backend': case 'unpublish-backend': case 'del-backend':
        return `${c.op} ${c.backend}${c.op === 'set-backend' ? ` ${c.setting.kind}` : ''}`;
      case 'replace-map': return `replace-map ${String(c.entries.length)}`;
      case 'add-crt-list': case 'del-crt-list': return `${c.op} ${c.cert.slice(0, 7)}`;
      default: return `${c.op} ${c.name.slice(0, 7)}`;
    }
  });
}

describe('diff: from nothing to a cluster', () => {
  it('creates backends complete, then certificates and crt-list, then swaps routes, in that order', () => {
    const out = show(diff(desiredOf(cluster(webSlice(['10.0.0.1']))), EMPTY_PROXY_STATE, O));
    expect(out).to.deep.equal([
      'add-backend ns_api_8080',
      'add-server ns_api_8080/' + out[1]?.split('/')[1],
      'set-server-state ns_api_8080/' + out[1]?.split('/')[1] + ' ready',
      'publish-backend ns_api_8080',
      'add-backend ns_web_80',
      'add-server ns_web_80/10.0.0.1_8080',
      'set-server-state ns_web_80/10.0.0.1_8080 ready',
      'publish-backend ns_web_80',
      'new-ssl-cert secret-',
      'set-ssl-cert secret-',
      'commit-ssl-cert secret-',
      'add-crt-list secret-',
      'replace-map 2',
    ]);
  });

  it('sets only the non-default settings of a new backend', () => {
    const s = snapshot([service('ns/web').port(80, 'http').annotate('hawser.dev/load-balance', 'leastconn').build(), ingress('ns/a').path('/', 'Prefix', 'web', 80).build()]);
    expect(show(diff(desiredOf(s), EMPTY_PROXY_STATE, O)).filter((c) => c.startsWith('set-backend'))).to.deep.equal(['set-backend ns_web_80 balance']);
  });

  it('adds a draining endpoint in drain and turns health on when checks are wanted', () => {
    const s = snapshot([service('ns/web').port(80, 'http').annotate('hawser.dev/health-check-path', '/healthz').build(), ingress('ns/a').path('/', 'Prefix', 'web', 80).build(), webSlice(['10.0.0.1', { ready: false, serving: true, terminating: true }])]);
    expect(show(diff(desiredOf(s), EMPTY_PROXY_STATE, O))).to.deep.equal([
      'add-backend ns_web_80', 'set-backend ns_web_80 httpchk',
      'add-server ns_web_80/10.0.0.1_8080', 'set-server-state ns_web_80/10.0.0.1_8080 drain', 'enable-health ns_web_80/10.0.0.1_8080',
      'publish-backend ns_web_80', 'replace-map 1',
    ]);
  });
});

describe('diff: minimal changes', () => {
  const base = desiredOf(cluster(webSlice(['10.0.0.1'], ['10.0.0.2'])));

  it('sends nothing when desired equals applied', () => {
    expect(diff(base, base, O)).to.deep.equal([]);
  });

  const cases: { name: string; next: Snapshot; want: string[] }[] = [
    {
      name: 'adds only the new server when an endpoint appears, without touching routes',
      next: cluster(webSlice(['10.0.0.1'], ['10.0.0.2'], ['10.0.0.3'])),
      want: ['add-server ns_web_80/10.0.0.3_8080', 'set-server-state ns_web_80/10.0.0.3_8080 ready'],
    },
    {
      name: 'drains a terminating endpoint instead of deleting it',
      next: cluster(webSlice(['10.0.0.1'], ['10.0.0.2', { ready: false, serving: true, terminating: true }])),
      want: ['set-server-state ns_web_80/10.0.0.2_8080 drain'],
    },
    {
      name: 'puts a vanished endpoint in maint, then deletes it',
      next: cluster(webSlice(['10.0.0.1'])),
      want: ['set-server-state ns_web_80/10.0.0.2_8080 maint', 'del-server ns_web_80/10.0.0.2_8080'],
    },
    {
      name: 'swaps the route table once when an Ingress adds a path, and touches nothing else',
      next: cluster(webSlice(['10.0.0.1'], ['10.0.0.2']), ingress('ns/b').host('b.example.com').path('/', 'Prefix', 'web', 80).build()),
      want: ['replace-map 3'],
    },
    {
      name: 'changes one setting of a backend in place',
      next: snapshot([
        service('ns/web').port(80, 'http').annotate('hawser.dev/timeout-server', '30s').build(), api, cert,
        ingress('ns/a').host('a.example.com').path('/', 'Prefix', 'web', 'http').path('/api', 'Prefix', 'api', 8080).tls('cert', 'a.example.com').build(),
        slice('ns/api-1', 'api').port(9000).endpoint('10.0.1.1', { pod: 'api-0' }).build(),
        webSlice(['10.0.0.1'], ['10.0.0.2']),
      ]),
      want: ['set-backend ns_web_80 timeout-server'],
    },
    {
      name: 'replaces certificate content on the same name (set + commit, no new)',
      next: snapshot([
        web, api, tlsSecret('ns/cert', 'EF'.repeat(20)),
        ingress('ns/a').host('a.example.com').path('/', 'Prefix', 'web', 'http').path('/api', 'Prefix', 'api', 8080).tls('cert', 'a.example.com').build(),
        slice('ns/api-1', 'api').port(9000).endpoint('10.0.1.1', { pod: 'api-0' }).build(),
        webSlice(['10.0.0.1'], ['10.0.0.2']),
      ]),
      want: ['set-ssl-cert secret-', 'commit-ssl-cert secret-'],
    },
    {
      name: 'removes routes before the backend and certificate they used',
      next: snapshot([web, api, cert, ingress('ns/a').host('a.example.com').path('/', 'Prefix', 'web', 'http').build(), webSlice(['10.0.0.1'], ['10.0.0.2'])]),
      want: [
        'replace-map 1', 'del-crt-list secret-', 'del-ssl-cert secret-',
        'unpublish-backend ns_api_8080', `set-server-state ns_api_8080/${base.backends[0]?.servers[0]?.name ?? ''} maint`, `del-server ns_api_8080/${base.backends[0]?.servers[0]?.name ?? ''}`, 'del-backend ns_api_8080',
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(show(diff(desiredOf(c.next), base, O))).to.deep.equal(c.want);
    });
  }

  it('does not send maint again for a server that is already in maint before deleting it', () => {
    const applied: ProxyState = { ...base, backends: base.backends.map((b) => ({ ...b, servers: b.servers.map((s) => ({ ...s, state: 'maint' as const })) })) };
    const next = desiredOf(cluster(webSlice(['10.0.0.1'])));
    expect(show(diff(next, applied, O)).filter((c) => c.includes('10.0.0.2'))).to.deep.equal(['del-server ns_web_80/10.0.0.2_8080']);
  });

  it('takes the defaults for a backend whose settings the proxy cannot print', () => {
    const applied: ProxyState = { ...base, backends: base.backends.map(({ settings: _s, ...b }) => b) };
    expect(diff(base, applied, O)).to.deep.equal([]);
    const s = snapshot([service('ns/web').port(80, 'http').annotate('hawser.dev/timeout-server', '9s').build(), ingress('ns/a').path('/', 'Prefix', 'web', 80).build()]);
    const want = desiredOf(s);
    const plain: ProxyState = { ...want, backends: want.backends.map(({ settings: _s, ...b }) => b) };
    expect(show(diff(want, plain, O))).to.deep.equal(['set-backend ns_web_80 timeout-server']);
  });
});

describe('diff: the endpoint fast path', () => {
  it('diffs only the named backends', () => {
    const applied = desiredOf(cluster(webSlice(['10.0.0.1'])));
    const wanted = desiredOf(snapshot([
      web, api, cert,
      ingress('ns/a').host('a.example.com').path('/', 'Prefix', 'web', 'http').path('/api', 'Prefix', 'api', 8080).tls('cert', 'a.example.com').build(),
      slice('ns/api-1', 'api').port(9000).endpoint('10.0.1.2').build(),
      webSlice(['10.0.0.1'], ['10.0.0.5']),
    ]));
    expect(show(diffServersOf(wanted, applied, new Set(['ns_web_80'])))).to.deep.equal(['add-server ns_web_80/10.0.0.5_8080', 'set-server-state ns_web_80/10.0.0.5_8080 ready']);
  });

  it('rebuilds servers only and yields server commands only', () => {
    const before = cluster(webSlice(['10.0.0.1']));
    const desired = desiredOf(before);
    const after = cluster(webSlice(['10.0.0.1'], ['10.0.0.9']));
    const fast = refreshServers(desired, after.services, after.endpointSlices);
    expect(fast.desired).to.deep.equal(desiredOf(after));
    expect(show(diff(fast.desired, desired, O))).to.deep.equal(['add-server ns_web_80/10.0.0.9_8080', 'set-server-state ns_web_80/10.0.0.9_8080 ready']);
  });
});

describe('diff: after a controller restart', () => {
  const pem = `${CERT_PEM.trimEnd()}\n${KEY_PEM.trimEnd()}`;

  it('reads the proxy back and sends ZERO commands for an unchanged cluster', async () => {
    const { client, transport } = fakeRuntime({}, pem);
    const s = snapshot([
      web, api, cert, tlsSecret('infra/default'),
      service('ns/slow').port(80).annotate('hawser.dev/load-balance', 'hdr(X-User)').annotate('hawser.dev/timeout-connect', '3s').annotate('hawser.dev/health-check-interval', '2s').build(),
      ingress('ns/a').host('a.example.com').path('/', 'Prefix', 'web', 'http').path('/api', 'Exact', 'api', 8080).tls('cert', 'a.example.com').build(),
      ingress('ns/b').defaultBackend('slow', 80).host('*.example.com').path('/x', 'Prefix', 'web', 80).build(),
      slice('ns/api-1', 'api').port(9000).endpoint('10.0.1.1', { pod: 'api-0' }).endpoint('fd00::2', { pod: 'api-1' }).build(),
      slice('ns/slow-1', 'slow').port(80).endpoint('10.0.2.1', { ready: false, serving: true, terminating: true }).endpoint('10.0.2.2').build(),
      webSlice(['10.0.0.1'], ['10.0.0.2']),
    ]);
    const desired = buildModel(s, options({ defaultCertificateSecret: 'infra/default' })).desired;
    const first = await client.execute(diff(desired, await client.readState(), O));
    expect(first.completed).to.equal(true);
    expect(first.outcomes.every((o) => o.status === 'ok')).to.equal(true);

    // A new controller process: nothing in memory, everything read back from the proxy.
    const writesBefore = transport.writes.length;
    const applied = await client.readState();
    const again = diff(desired, applied, O);
    expect(again).to.deep.equal([]);
    expect(transport.writes.slice(writesBefore).every((w) => w.startsWith('show '))).to.equal(true);
  });

  it('converges a proxy left half-done by a crash', async () => {
    const { client } = fakeRuntime();
    const desired = desiredOf(cluster(webSlice(['10.0.0.1'], ['10.0.0.2'])));
    const all = diff(desired, EMPTY_PROXY_STATE, O);
    await client.execute(all.slice(0, 6)); // the crash
    await client.execute(diff(desired, await client.readState(), O));
    expect(diff(desired, await client.readState(), O)).to.deep.equal([]);
  });
});
