/**
 * An in-memory proxy that speaks the runtime CLI: the commands the controller uses, with
 * HAProxy's replies where HAProxy has them (reference §3) and the documented Hawser ones
 * elsewhere. It reads text through the HAProxy tokenizer model, so tests of the client exercise
 * the real escaping. Test hooks: `connections` (to make `del server` wait), `received` (every
 * command as arguments, to count what was sent).
 */
import { tokenize } from './haproxy-tokenizer.ts';
import { certificateFingerprint } from './fingerprint.ts';

interface FakeServer {
  address: string;
  port: number;
  guid: string;
  admin: number;
  weight: number;
  checkConfigured: boolean;
  checkEnabled: boolean;
  connections: number;
}

interface FakeBackend {
  guid: string;
  published: boolean;
  owned: boolean;
  settings: Map<string, string>;
  servers: Map<string, FakeServer>;
}

const SETTING_COLUMNS = ['balance', 'timeout-connect', 'timeout-server', 'httpchk', 'check-inter'] as const;

export interface FakeProxyOptions {
  readonly routeMap: string;
  readonly crtList: string;
  readonly defaultCertName: string;
  readonly defaultCertPem: string;
}

export class FakeProxy {
  readonly backends = new Map<string, FakeBackend>();
  readonly maps = new Map<string, Map<string, string>>();
  readonly #versions = new Map<string, { next: number; pending: Map<number, Map<string, string>> }>();
  readonly certs = new Map<string, string>();
  readonly #transactions = new Map<string, string>();
  readonly crtLists = new Map<string, { cert: string; snis: string[] }[]>();
  readonly guids = new Set<string>();
  /** Every command received, as its argument list. */
  readonly received: string[][] = [];
  /** Connections each `wait … srv-removable` lets finish per server. */
  drainPerWait = Number.POSITIVE_INFINITY;

  constructor(o: FakeProxyOptions) {
    this.maps.set(o.routeMap, new Map());
    this.crtLists.set(o.crtList, []);
    this.certs.set(o.defaultCertName, o.defaultCertPem);
    // A backend from the configuration file: the controller must never touch it.
    this.backends.set('default-be', { guid: 'cfg-default-be', published: true, owned: false, settings: new Map(), servers: new Map() });
  }

  /** Runs every command in `text`; returns one reply per command, without the framing newline. */
  handle(text: string): string[] {
    return tokenize(text).map((t) => {
      this.received.push([...t.args]);
      return this.run(t.args, t.payload).replace(/\n+$/, '');
    });
  }

  #server(id: string | undefined): { b: FakeBackend; s: FakeServer; be: string; name: string } | string {
    if (id === undefined || !id.includes('/')) return 'Require \'backend/server\'.';
    const [be = '', name = ''] = id.split('/', 2);
    const b = this.backends.get(be);
    if (b === undefined) return 'No such backend.';
    const s = b.servers.get(name);
    if (s === undefined) return 'No such server.';
    return { b, s, be, name };
  }

  run(a: readonly string[], payload: string | undefined): string {
    const w = (i: number): string | undefined => a[i];
    if (a[0] === 'add' && a[1] === 'backend') return this.#addBackend(a);
    if (a[0] === 'set' && a[1] === 'backend') {
      const b = this.backends.get(w(2) ?? '');
      if (b === undefined) return 'No such backend.';
      const key = a[3] === 'timeout' ? `timeout-${w(4) ?? ''}` : (w(3) ?? '');
      const value = a[3] === 'timeout' ? w(5) : w(4);
      if (!(SETTING_COLUMNS as readonly string[]).includes(key) || value === undefined) return 'Unknown backend setting.';
      b.settings.set(key, value);
      return '';
    }
    if (a[0] === 'publish' || a[0] === 'unpublish') {
      const b = this.backends.get(w(2) ?? '');
      if (b === undefined) return 'No such backend.';
      b.published = a[0] === 'publish';
      return a[0] === 'publish' ? 'Backend published.' : 'Backend unpublished.';
    }
    if (a[0] === 'del' && a[1] === 'backend') {
      const b = this.backends.get(w(2) ?? '');
      if (b === undefined) return 'No such backend.';
      if (b.published) return 'Backend must be unpublished prior to its deletion.';
      if (b.servers.size > 0) return 'Only a backend without server can be deleted.';
      this.guids.delete(b.guid);
      this.backends.delete(w(2) ?? '');
      return 'Backend deleted.';
    }
    if (a[0] === 'add' && a[1] === 'server') return this.#addServer(a);
    if (a[0] === 'set' && a[1] === 'server') return this.#setServer(a);
    if ((a[0] === 'enable' || a[0] === 'disable') && a[1] === 'health') {
      const f = this.#server(w(2));
      if (typeof f === 'string') return f;
      if (!f.s.checkConfigured) return 'Health check was not configured on this server, cannot enable.';
      f.s.checkEnabled = a[0] === 'enable';
      return '';
    }
    if (a[0] === 'del' && a[1] === 'server') {
      const f = this.#server(w(2));
      if (typeof f === 'string') return f;
      if ((f.s.admin & 0x23) === 0) return 'Only servers in maintenance mode can be deleted.';
      if (f.s.connections > 0) return 'Server still has connections attached to it, cannot remove it.';
      this.guids.delete(f.s.guid);
      f.b.servers.delete(f.name);
      return 'Server deleted.';
    }
    if (a[0] === 'wait' && a[2] === 'srv-removable') {
      const f = this.#server(w(3));
      if (typeof f === 'string') return `Failed. ${f}`;
      f.s.connections = Math.max(0, f.s.connections - this.drainPerWait);
      return f.s.connections === 0 ? 'Done.' : 'Wait delay expired. Server still has connections attached to it, cannot remove it.';
    }
    if (a[0] === 'show' && a[1] === 'backend' && a[2] === 'settings') return this.#showBackend();
    if (a[0] === 'show' && a[1] === 'servers' && a[2] === 'state') return this.#showServersState();
    if (a[0] === 'show' && a[1] === 'map') {
      const m = this.maps.get(w(2) ?? '');
      if (m === undefined) return 'Unknown map identifier. Please use #<id> or <file>.';
      return [...m].map(([k, v], i) => `0x${(0x1000 + i).toString(16)} ${k} ${v}`).join('\n');
    }
    if (a[0] === 'prepare' && a[1] === 'map') return this.#prepareMap(w(2) ?? '');
    if (a[0] === 'add' && a[1] === 'map') return this.#addMap(a, payload);
    if (a[0] === 'commit' && a[1] === 'map') return this.#commitMap(a);
    if (a[1] === 'ssl') return this.#ssl(a, payload);
    return 'Unknown command.';
  }

  #addBackend(a: readonly string[]): string {
    const name = a[2] ?? '';
    const guid = a[a.indexOf('guid') + 1] ?? '';
    if (this.backends.has(name)) return 'Error during backend creation : name already used.';
    if (this.guids.has(guid)) return `Error during backend creation : GUID insertion : duplicate entry with ${guid}.`;
    this.guids.add(guid);
    this.backends.set(name, { guid, published: false, owned: true, settings: new Map(), servers: new Map() });
    return 'New backend registered.';
  }

  #addServer(a: readonly string[]): string {
    const [be = '', name = ''] = (a[2] ?? '').split('/', 2);
    if (name === '') return 'Require \'backend/server\'.';
    const b = this.backends.get(be);
    if (b === undefined) return 'No such backend.';
    if (b.servers.has(name)) return 'Already exists a server with the same name in backend.';
    const m = /^(?:\[(.+)\]|([^:]+)):([0-9]+)$/.exec(a[3] ?? '');
    if (m === null) return '\'server\' expects <name> and <addr>[:<port>] as arguments.';
    const gi = a.indexOf('guid');
    const guid = gi > 0 ? a[gi + 1] ?? '' : '';
    if (guid !== '' && this.guids.has(guid)) return `'guid': duplicate entry with ${guid}.`;
    if (guid !== '') this.guids.add(guid);
    const wi = a.indexOf('weight');
    b.servers.set(name, {
      address: m[1] ?? m[2] ?? '', port: Number(m[3]), guid, admin: 0x01,
      weight: wi > 0 ? Number(a[wi + 1]) : 1, checkConfigured: a.includes('check'), checkEnabled: false, connections: 0,
    });
    return 'New server registered.';
  }

  #setServer(a: readonly string[]): string {
    const f = this.#server(a[2]);
    if (typeof f === 'string') return f;
    if (a[3] === 'state') {
      const admin = { ready: 0, drain: 0x08, maint: 0x01 }[a[4] ?? ''];
      if (admin === undefined) return '\'set server <srv> state\' expects \'ready\', \'drain\' and \'maint\'.';
      f.s.admin = admin;
      return '';
    }
    if (a[3] === 'weight') {
      const wgt = Number(a[4]);
      if (!Number.isInteger(wgt) || wgt < 0 || wgt > 256) return 'Absolute weight can only be between 0 and 256 inclusive.';
      f.s.weight = wgt;
      return '';
    }
    if (a[3] === 'addr' && a[5] === 'port') {
      const old = f.s.address;
      f.s.address = a[4] ?? '';
      f.s.port = Number(a[6]);
      return `IP changed from '${old}' to '${f.s.address}' by 'stats socket command'`;
    }
    return 'usage: set server <backend>/<server> addr | agent | agent-addr | agent-port | agent-send | check-addr | check-port | fqdn | health | name | ssl | state | weight';
  }

  #showBackend(): string {
    const rows = [...this.backends].map(([name, b]) => [name, ...SETTING_COLUMNS.map((c) => b.settings.get(c) ?? '-')].join(' '));
    return [`# name ${SETTING_COLUMNS.join(' ')}`, ...rows].join('\n');
  }

  #showServersState(): string {
    const lines = ['1', '# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port'];
    let beId = 0;
    for (const [be, b] of this.backends) {
      beId++;
      let id = 0;
      for (const [name, s] of b.servers) {
        id++;
        const op = (s.admin & 0x01) !== 0 ? 0 : 2;
        const check = (s.checkConfigured ? 0x02 : 0) | (s.checkEnabled ? 0x04 : 0);
        lines.push(`${String(beId)} ${be} ${String(id)} ${name} ${s.address} ${String(op)} ${String(s.admin)} ${String(s.weight)} 1 0 1 0 0 ${String(check)} 0 0 0 - ${String(s.port)} - 0 0 - - 0`);
      }
    }
    return lines.join('\n');
  }

  #prepareMap(map: string): string {
    if (!this.maps.has(map)) return 'Unknown map identifier. Please use #<id> or <file>.';
    const v = this.#versions.get(map) ?? { next: 1, pending: new Map() };
    const ver = v.next++;
    v.pending.set(ver, new Map());
    this.#versions.set(map, v);
    return `New version created: ${String(ver)}`;
  }

  #addMap(a: readonly string[], payload: string | undefined): string {
    const versioned = a[2]?.startsWith('@') === true;
    const map = versioned ? a[3] ?? '' : a[2] ?? '';
    const [key, value] = versioned ? [a[4], a[5]] : [a[3], a[4]];
    const target = versioned ? this.#versions.get(map)?.pending.get(Number(a[2]?.slice(1))) : this.maps.get(map);
    if (target === undefined) return 'Unknown map identifier. Please use #<id> or <file>.';
    if (key === undefined && payload !== undefined) {
      // Payload form: `<key> <value>` per line, the value running to the end of the line.
      const pairs = payload.split('\n').map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)] as const);
      const missing = pairs.find(([k]) => k === '');
      if (missing !== undefined) return `Missing value for key '${missing[1]}'.`;
      for (const [k, v] of pairs) target.set(k, v);
      return '';
    }
    if (key === undefined || value === undefined) return '\'add map\' expects three parameters: map identifier, key and value.';
    target.set(key, value);
    return '';
  }

  #commitMap(a: readonly string[]): string {
    const map = a[3] ?? '';
    const v = this.#versions.get(map);
    const ver = Number(a[2]?.slice(1));
    const pending = v?.pending.get(ver);
    if (v === undefined || pending === undefined) return 'Unknown or expired version.';
    this.maps.set(map, new Map([...pending].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))));
    v.pending.clear();
    return '';
  }

  #ssl(a: readonly string[], payload: string | undefined): string {
    const verb = `${a[0] ?? ''} ${a[2] ?? ''}`;
    const name = a[3] ?? '';
    switch (verb) {
      case 'show cert': {
        if (a.length === 3) {
          const open = [...this.#transactions.keys()].map((n) => `*${n}`);
          return [...(open.length > 0 ? ['# transaction', ...open] : []), '# filename', ...[...this.certs.keys()].sort()].join('\n');
        }
        const pem = this.certs.get(name);
        if (pem === undefined) return `Can't display the certificate: Not found or the certificate is a bundle!`;
        return [`Filename: ${name}`, 'Status: Used', `SHA1 FingerPrint: ${certificateFingerprint(pem) ?? '-'}`].join('\n');
      }
      case 'new cert':
        if (this.certs.has(name)) return `Certificate '${name}' already exists!`;
        this.certs.set(name, '');
        return `New empty certificate store '${name}'!`;
      case 'set cert':
        if (!this.certs.has(name)) return `Can't replace a certificate which is not referenced by the configuration!`;
        if (payload === undefined || payload === '') return `'set ssl cert' expects a filename and a certificate as a payload`;
        this.#transactions.set(name, payload);
        return `Transaction created for certificate ${name}!`;
      case 'commit cert': {
        const t = this.#transactions.get(name);
        if (t === undefined) return `No ongoing transaction! !`;
        this.certs.set(name, t);
        this.#transactions.delete(name);
        return `Committing ${name}\nSuccess!`;
      }
      case 'del cert':
        if ([...this.crtLists.values()].some((l) => l.some((e) => e.cert === name))) return `Can't remove the certificate: certificate '${name}' in use, can't be deleted!`;
        if (!this.certs.delete(name)) return `Can't remove the certificate: certificate '${name}' doesn't exist!`;
        return `Certificate '${name}' deleted!`;
      case 'add crt-list': case 'del crt-list': case 'show crt-list': return this.#crtList(a, payload);
    }
    return 'Unknown command.';
  }

  #crtList(a: readonly string[], payload: string | undefined): string {
    const list = this.crtLists.get(a[3] ?? '');
    if (list === undefined) return `Can't edit the crt-list: crt-list '${a[3] ?? ''}' does not exist!`;
    if (a[0] === 'show') return [`# ${a[3] ?? ''}`, ...list.map((e) => [e.cert, ...e.snis].join(' '))].join('\n');
    // The line form takes the certificate alone; SNI filters come in a one-line payload.
    const words = a[4] !== undefined ? [a[4]] : (payload ?? '').split(' ').filter((w) => w !== '');
    const cert = words[0] ?? '';
    if (a[0] === 'add') {
      if (!this.certs.has(cert)) return `Can't edit the crt-list: certificate '${cert}' does not exist!`;
      list.push({ cert, snis: words.slice(1) });
      return `Inserting certificate '${cert}' in crt-list '${a[3] ?? ''}'.\nSuccess!`;
    }
    const i = list.findIndex((e) => e.cert === cert);
    if (i < 0) return `certificate '${cert}' does not exist!`;
    list.splice(i, 1);
    return `Entry '${cert}' deleted in crtlist '${a[3] ?? ''}'!`;
  }
}
