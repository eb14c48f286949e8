import { expect } from 'chai';
import path from 'node:path';
import { builtinCommands } from '../runtime/builtin-commands.ts';
import { startRuntimeServer, type RuntimeServer } from '../runtime/server.ts';
import { exchange, PromptClient, tempDir } from '../runtime/testing/cli-client.ts';
import { createLocalWriterSection, type ChangeRecord } from '../runtime/writer-section.ts';
import { mapCommands } from './map-commands.ts';
import { MapStore } from './map-store.ts';

describe('map commands over the runtime socket', function () {
  this.timeout(10000);
  let server: RuntimeServer;
  let sock: string;
  let cleanup: () => Promise<void>;
  let records: ChangeRecord[];
  let store: MapStore;

  beforeEach(async () => {
    const t = await tempDir('hawser-maps-');
    cleanup = t.cleanup;
    sock = path.join(t.dir, 'admin.sock');
    records = [];
    store = new MapStore(createLocalWriterSection((r) => void records.push(...r)));
    store.declare('ingress', { display: "route map used by frontend 'http' at file 'h.cfg' line 12" });
    store.declare('plain', { route: false, display: 'map' });
    server = await startRuntimeServer({ path: sock, level: 'admin', commands: [...builtinCommands, ...mapCommands(store)] });
  });
  afterEach(async () => {
    await server.close();
    await cleanup();
  });

  const send = (line: string): Promise<string> => exchange(sock, line);

  it('lists the maps with their versions and entry counts', async () => {
    await send('add map ingress exact:a.com/ be1\n');
    expect(await send('show map\n')).to.equal(
      '# id (file) description\n' +
        "0 (ingress) route map used by frontend 'http' at file 'h.cfg' line 12. curr_ver=0 next_ver=0 entry_cnt=1\n" +
        '1 (plain) map. curr_ver=0 next_ver=0 entry_cnt=0\n\n',
    );
  });

  it('adds, shows, sets and deletes entries with HAProxy replies', async () => {
    expect(await send('add map ingress exact:a.com/ be1\n')).to.equal('\n');
    expect(await send('add map ingress <<\nprefix:*.a.com/api be2 route-7\nprefix:*/ be3\n\n')).to.equal('\n');
    const shown = await send('show map ingress\n');
    const lines = shown.trimEnd().split('\n');
    expect(lines.map((l) => l.replace(/^0x[0-9a-f]+ /, ''))).to.deep.equal(['exact:a.com/ be1', 'prefix:*.a.com/api be2 route-7', 'prefix:*/ be3']);
    expect(await send('show map #0\n')).to.equal(shown);
    expect(await send('set map ingress exact:a.com/ be9\n')).to.equal('\n');
    expect(await send('get map ingress a.com:8080/\n')).to.equal('type=route, case=sensitive, found=yes, idx=tree, key="exact:a.com/", value="be9", type="str"\n\n');
    expect(await send('get map ingress x.a.com/api/v1\n')).to.equal('type=route, case=sensitive, found=yes, idx=tree, key="prefix:*.a.com/api", value="be2 route-7", type="str"\n\n');
    expect(await send('get map ingress x.a.com/apiv1\n')).to.equal('type=route, case=sensitive, found=no\n\n');
    const ref = lines[2]?.split(' ')[0] ?? '';
    expect(await send(`del map ingress #${ref}\n`)).to.equal('\n');
    expect(await send('del map ingress exact:a.com/\n')).to.equal('\n');
    expect(await send('del map ingress exact:a.com/\n')).to.equal('Key not found.\n\n');
    expect((await send('show map ingress\n')).split('\n')).to.have.length(3);
  });

  const errors: { name: string; send: string; expect: string }[] = [
    { name: 'add without value', send: 'add map ingress k\n', expect: "'add map' expects three parameters (map identifier, key and value) or one parameter (map identifier) and a payload\n\n" },
    { name: 'add to an unknown map', send: 'add map nope k v\n', expect: 'Unknown map identifier. Please use #<id> or <file>.\n\n' },
    { name: 'del without key', send: 'del map ingress\n', expect: 'This command expects two parameters: map identifier and key.\n\n' },
    { name: 'del with a malformed ref', send: 'del map ingress #0xzz\n', expect: 'Malformed identifier. Please use #<id> or <file>.\n\n' },
    { name: 'set of a missing key', send: 'set map ingress exact:x/ be\n', expect: 'entry not found.\n\n' },
    { name: 'set of a missing ref', send: 'set map ingress #0x1234 be\n', expect: 'Key or pattern not found.\n\n' },
    { name: 'set without value', send: 'set map ingress k\n', expect: "'set map' expects three parameters: map identifier, key and value.\n\n" },
    { name: 'clear without map', send: 'clear map\n', expect: 'Missing map identifier.\n\n' },
    { name: 'commit without version', send: 'commit map ingress\n', expect: 'Missing version number.\n\n' },
    { name: 'commit without map', send: 'commit map @1\n', expect: 'Missing map identifier.\n\n' },
    { name: 'commit of a version never prepared', send: 'commit map @3 ingress\n', expect: 'Version number out of range.\n\n' },
    { name: 'add to a future version', send: 'add map @5 ingress exact:a/ b\n', expect: "Version number in the future, please use 'prepare map' before.\n\n" },
    { name: 'prepare of an unknown map', send: 'prepare map\n', expect: 'Unknown map identifier. Please use #<id> or <file>.\n\n' },
    { name: 'get without key', send: 'get map ingress\n', expect: 'Missing map identifier and/or key.\n\n' },
    { name: 'show of an unknown map', send: 'show map nope\n', expect: 'Unknown map identifier. Please use #<id> or <file>.\n\n' },
    { name: 'a payload line without value', send: 'add map ingress <<\nexact:a/ b\nexact:c/\n\n', expect: "Missing value for key 'exact:c/'.\n\n" },
    { name: 'a route key without match kind', send: 'add map ingress a.com/ be\n', expect: "invalid route key 'a.com/': expects 'exact:' or 'prefix:' followed by <host><path>.\n\n" },
    { name: 'a route key with an upper-case host', send: 'add map ingress exact:A.com/ be\n', expect: "invalid route key 'exact:A.com/': invalid host 'A.com' (lower-case name, '*.<domain>' or '*').\n\n" },
    { name: 'a route key without path', send: 'add map ingress exact:a.com be\n', expect: "invalid route key 'exact:a.com': the path must start with '/'.\n\n" },
    { name: 'a route value with a bad GUID', send: 'add map ingress <<\nexact:a.com/ be g/x\n\n', expect: "invalid route value 'be g/x': invalid character '/'.\n\n" },
  ];
  for (const c of errors) {
    it(`answers ${c.name} as HAProxy does`, async () => {
      expect(await send(c.send)).to.equal(c.expect);
    });
  }

  it('adds nothing from a payload that has one bad line', async () => {
    expect(await send('add map ingress <<\nexact:a/ b\nbad c\n\n')).to.match(/^invalid route key 'bad'/);
    expect(await send('show map ingress\n')).to.equal('\n');
    expect(records).to.deep.equal([]);
  });

  it('accepts any key and value in a plain map', async () => {
    expect(await send('add map plain <<\nk1 v1 x\n\n')).to.equal('\n');
    expect(await send('get map plain k1\n')).to.equal('type=str, case=sensitive, found=yes, idx=tree, key="k1", value="v1 x", type="str"\n\n');
  });

  it('swaps a prepared version atomically: traffic sees the old table until one commit record', async () => {
    await send('add map ingress <<\nexact:a.com/ old\nexact:b.com/ old\n\n');
    records.length = 0;
    const c = await PromptClient.open(sock);
    try {
      expect(await c.send('prepare map ingress\n')).to.equal('New version created: 1\n');
      expect(await c.send('add map @1 ingress <<\nexact:a.com/ new\nexact:c.com/ new\n\n')).to.equal('+ + + ');
      expect(records, 'nothing reaches traffic before the commit').to.deep.equal([]);
      expect(await c.send('show map\n')).to.contain('curr_ver=0 next_ver=1 entry_cnt=4');
      expect((await c.send('show map @1 ingress\n')).match(/new/g)).to.have.length(2);
      expect(await c.send('get map ingress b.com/\n')).to.contain('value="old"');
      expect(await c.send('commit map @1 ingress\n')).to.equal('');
      expect(await c.send('commit map @1 ingress\n')).to.equal('Version number out of range.\n');
      expect(await c.send('show map\n')).to.contain('curr_ver=1 next_ver=1 entry_cnt=2');
      expect(await c.send('get map ingress b.com/\n')).to.equal('type=route, case=sensitive, found=no\n');
    } finally {
      c.close();
    }
    expect(records).to.have.length(1);
    const [commit] = records;
    expect(commit?.kind).to.equal('map.replace');
    expect((commit?.entries as { key: string; value: string }[]).map((e) => `${e.key} ${e.value}`)).to.deep.equal(['exact:a.com/ new', 'exact:c.com/ new']);
  });

  it('publishes live changes in order with increasing seq', async () => {
    await send('add map ingress exact:a/ b1\n');
    await send('set map ingress exact:a/ b2\n');
    await send('clear map ingress\n');
    expect(records.map((r) => [r.seq, r.kind])).to.deep.equal([
      [1, 'map.add'],
      [2, 'map.set'],
      [3, 'map.replace'],
    ]);
  });

  it('refuses map changes to a user-level session and lets it read', async () => {
    expect(await send('user;add map ingress exact:a/ b;show map ingress\n')).to.equal('\nPermission denied\n\n\n');
  });
});
