/**
 * HAProxy's crt-list commands (src/ssl_crtlist.c): `add|del|show ssl crt-list`, texts byte
 * for byte. Hawser keeps SNI filters (the payload form, as HAProxy: the line form takes only
 * the certificate) and does not support per-entry SSL options (`[alpn …]`): they are refused.
 */
import type { CommandSpec } from '../runtime/command.ts';
import { crtListRecord, type CertStore, type CrtList, type CrtListEntry } from './cert-store.ts';

/** HAProxy strips trailing slashes from crt-list names (directories). */
function listName(arg: string): string {
  return arg.replace(/\/+$/, '');
}

/** SNI filter: a host name or `*.`-wildcard, optionally negated with `!`. */
const FILTER = /^!?(\*\.)?[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

function entryLine(e: CrtListEntry, withLine: boolean): string {
  return `${e.cert}${withLine ? `:${e.line}` : ''}${e.filters.map((f) => ` ${f}`).join('')}\n`;
}

export function crtListCommands(store: CertStore): CommandSpec[] {
  return [
    {
      words: ['show', 'ssl', 'crt-list'],
      help: 'show ssl crt-list [-n] [<list>]         : show the list of crt-lists or the content of a crt-list file <list>',
      level: 'admin',
      pipelinable: true,
      run: (args) => {
        const numbered = args[3] === '-n';
        const file = numbered ? (args[4] ?? '') : (args[3] ?? '');
        if (numbered && file === '') return "'show ssl crt-list -n' expects a filename or a directory\n";
        if (file === '') return store.listNames().map((n) => `${n}\n`).join('');
        const list = store.list(listName(file));
        if (list === undefined) return "didn't find the specified filename\n";
        return `# ${list.name}\n${list.entries.map((e) => entryLine(e, numbered)).join('')}`;
      },
    },
    {
      words: ['add', 'ssl', 'crt-list'],
      help: 'add ssl crt-list <list> <cert> [opts]*  : add to crt-list file <list> a line <cert> or a payload',
      level: 'admin',
      pipelinable: true,
      run: (args, ctx) => {
        const payload = ctx.payload;
        if ((args[3] ?? '') === '' || (payload === undefined && (args[4] ?? '') === '')) {
          return "'add ssl crtlist' expects a filename and a certificate name\n";
        }
        const name = listName(args[3] ?? '');
        return store.transact((m) => {
          const refuse = (why: string): string => `Can't edit the crt-list: ${why}\n`;
          const list: CrtList | undefined = m.store.list(name);
          if (list === undefined) return refuse(`crt-list '${name}' does not exist!`);
          let cert = args[4] ?? '';
          let filters: string[] = [];
          if (payload !== undefined) {
            if (payload.includes('\n')) return refuse('only one line of payload is supported!');
            const words = payload.split(/[ \t]+/).filter((w) => w !== '');
            if (words.some((w) => w.startsWith('['))) return refuse('SSL options in crt-list entries are not supported!');
            cert = words[0] ?? '';
            filters = words.slice(1);
            if (cert === '') return refuse("'add ssl crtlist' should contain the certificate name in the payload");
            const bad = filters.find((f) => !FILTER.test(f));
            if (bad !== undefined) return refuse(`invalid SNI filter '${bad}'!`);
          }
          const entry = m.store.cert(cert);
          if (entry === undefined) return refuse(`certificate '${cert}' does not exist!`);
          if (entry.data === undefined) return refuse(`certificate '${cert}' is empty!`);
          const line = ++list.lineCount;
          list.entries.push({ cert, line, filters });
          m.emit(crtListRecord(list, cert, entry.data));
          return `Inserting certificate '${cert}' in crt-list '${list.name}'${'.'.repeat(list.binds)}\nSuccess!\n`;
        });
      },
    },
    {
      words: ['del', 'ssl', 'crt-list'],
      help: 'del ssl crt-list <list> <cert[:line]>   : delete a line <cert> from crt-list file <list>',
      level: 'admin',
      pipelinable: true,
      run: (args) => {
        if ((args[3] ?? '') === '' || (args[4] ?? '') === '') return "'del ssl crtlist' expects a filename and a certificate name\n";
        const name = listName(args[3] ?? '');
        let cert = args[4] ?? '';
        return store.transact((m) => {
          const refuse = (why: string): string => `Can't delete the entry: ${why}\n`;
          let line = 0;
          const colon = cert.indexOf(':');
          if (colon !== -1) {
            const num = cert.slice(colon + 1);
            if (!/^[+-]?\d+$/.test(num)) return refuse(`wrong line number after colons in '${cert}'!`);
            line = Number(num);
            cert = cert.slice(0, colon);
          }
          const list = m.store.list(name);
          if (list === undefined) return refuse(`crt-list '${name}' does not exist!`);
          const entry = m.store.cert(cert);
          if (entry === undefined) return refuse(`certificate '${cert}' does not exist!`);
          if (entry.data === undefined) return refuse(`certificate '${cert}' is empty!`);
          const hits = list.entries.filter((e) => e.cert === cert);
          if (hits.length === 0) return refuse(`certificate '${cert}' can't be found in crt-list '${name}'!`);
          const lines = hits.map((e) => e.line).join(', ');
          const chosen = line === 0 ? hits[0] : hits.find((e) => e.line === line);
          if (chosen === undefined) {
            return refuse(`found a certificate '${cert}' but the line number is incorrect, please specify a correct line number preceded by colons (${lines})!`);
          }
          if (line === 0 && hits.length > 1) {
            return refuse(`found the certificate '${cert}' in several entries, please specify a line number preceded by colons (${lines})!`);
          }
          list.entries.splice(list.entries.indexOf(chosen), 1);
          m.emit(crtListRecord(list, cert, entry.data));
          return `Entry '${cert}' deleted in crtlist '${name}'!\n`;
        });
      },
    },
  ];
}
