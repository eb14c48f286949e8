/**
 * HAProxy's certificate commands (src/ssl_ckch.c) as CommandSpecs: `new|set|commit|abort|del
 * ssl cert` and `show ssl cert`, with HAProxy's checks in its order and its texts byte for
 * byte (checked against HAProxy 2.6 and the 3.x sources; messages end with one newline as in
 * 3.x). Every check that depends on shared state runs inside the writer section.
 */
import type { CommandSpec } from '../runtime/command.ts';
import { showCertDetail } from './cert-info.ts';
import { certSetRecord, crtListRecord, type CertStore } from './cert-store.ts';
import { keyMatches, parsePemBundle, type CertData } from './pem.ts';

function showList(store: CertStore): string {
  let out = '';
  const tx = store.transaction;
  if (tx !== undefined) out += `# transaction\n*${tx.name}\n`;
  out += '# filename\n';
  for (const name of store.certNames()) out += `${name}\n`;
  return out;
}

const NOT_FOUND = "Can't display the certificate: Not found or the certificate is a bundle!\n";

function showOne(store: CertStore, arg: string): string {
  if (arg.startsWith('*')) {
    const tx = store.transaction;
    const name = arg.slice(1).replace(/^\\/, '');
    if (tx === undefined || tx.name !== name) return NOT_FOUND;
    return showCertDetail(`*${tx.name}`, 'Uncommitted', tx.data);
  }
  const name = arg.replace(/^\\/, '');
  const entry = store.cert(name);
  if (entry === undefined) return NOT_FOUND;
  return showCertDetail(name, store.status(name), entry.data);
}

export function certCommands(store: CertStore): CommandSpec[] {
  return [
    {
      words: ['show', 'ssl', 'cert'],
      help: 'show ssl cert [<certfile>]              : display the SSL certificates used in memory, or the details of a file',
      // HAProxy checks the operator level itself and answers with this (odd) text
      level: 'user',
      pipelinable: true,
      run: (args, ctx) => {
        if (ctx.level === 'user') return "Can't allocate memory!\n";
        const arg = args[3] ?? '';
        return arg === '' ? showList(store) : showOne(store, arg);
      },
    },
    {
      words: ['new', 'ssl', 'cert'],
      help: 'new ssl cert <certfile>                 : create a new certificate file to be used in a crt-list or a directory',
      level: 'admin',
      pipelinable: true,
      run: (args) => {
        const name = args[3] ?? '';
        if (name === '') return "'new ssl cert' expects a filename\n";
        return store.transact((m) => {
          if (m.store.cert(name) !== undefined) return `Certificate '${name}' already exists!\n`;
          m.putCert({ name, data: undefined });
          return `New empty certificate store '${name}'!\n`;
        });
      },
    },
    {
      words: ['set', 'ssl', 'cert'],
      help: 'set ssl cert <certfile> <payload>       : replace a certificate file',
      level: 'admin',
      pipelinable: true,
      run: (args, ctx) => {
        const name = args[3] ?? '';
        if (name === '' || ctx.payload === undefined) return "'set ssl cert' expects a filename and a certificate as a payload\n";
        const parsed = parsePemBundle(ctx.payload);
        return store.transact((m) => {
          const tx = m.store.transaction;
          if (tx !== undefined && tx.name !== name) {
            return `The ongoing transaction is about '${tx.name}' but you are trying to set '${name}'\nCan't update ${name}!\n`;
          }
          const old = tx?.data ?? m.store.cert(name)?.data;
          if (tx === undefined && m.store.cert(name) === undefined) {
            return `Can't replace a certificate which is not referenced by the configuration!\nCan't update ${name}!\n`;
          }
          if (!parsed.ok) return `unable to load certificate from file '${name}': ${parsed.reason}.\nCan't load the payload\nCan't update ${name}!\n`;
          // a payload without a key keeps the key of the copy it replaces, as HAProxy does
          const data: CertData =
            parsed.data.key === undefined && old?.key !== undefined ? { ...parsed.data, key: old.key, keyPem: old.keyPem } : parsed.data;
          m.setTransaction({ name, data });
          return tx === undefined ? `Transaction created for certificate ${name}!\n` : `Transaction updated for certificate ${name}!\n`;
        });
      },
    },
    {
      words: ['commit', 'ssl', 'cert'],
      help: 'commit ssl cert <certfile>              : commit a certificate file',
      level: 'admin',
      pipelinable: true,
      run: (args) => {
        const name = args[3] ?? '';
        if (name === '') return "'commit ssl cert' expects a filename\n";
        return store.transact((m) => {
          const tx = m.store.transaction;
          const refuse = (why: string): string => `${why}Can't commit ${name}!\n`;
          if (tx === undefined) return refuse('No ongoing transaction! !\n');
          if (tx.name !== name) return refuse(`The ongoing transaction is about '${tx.name}' but you are trying to set '${name}'\n`);
          if (tx.data.key === undefined) return refuse('The transaction must contain at least a certificate and a private key!\n');
          if (!keyMatches(tx.data)) return refuse(`inconsistencies between private key and certificate loaded '${tx.name}'.\n`);
          const dots = '.'.repeat(m.store.instances(name));
          m.putCert({ name, data: tx.data });
          m.setTransaction(undefined);
          m.emit(certSetRecord(name, tx.data));
          // entries that mix filters and the certificate's own names carry those names explicitly
          for (const listName of m.store.listNames()) {
            const list = m.store.list(listName);
            if (list?.entries.some((e) => e.cert === name && e.filters.length === 0) && list.entries.some((e) => e.cert === name && e.filters.length > 0)) {
              m.emit(crtListRecord(list, name, tx.data));
            }
          }
          return `Committing ${name}${dots}\nSuccess!\n`;
        });
      },
    },
    {
      words: ['abort', 'ssl', 'cert'],
      help: 'abort ssl cert <certfile>               : abort a transaction for a certificate file',
      level: 'admin',
      pipelinable: true,
      run: (args) => {
        const name = args[3] ?? '';
        if (name === '') return "'abort ssl cert' expects a filename\n";
        return store.transact((m) => {
          const tx = m.store.transaction;
          if (tx === undefined) return 'No ongoing transaction!\n';
          if (tx.name !== name) return `The ongoing transaction is about '${tx.name}' but you are trying to abort a transaction for '${name}'\n`;
          m.setTransaction(undefined);
          return `Transaction aborted for certificate '${name}'!\n`;
        });
      },
    },
    {
      words: ['del', 'ssl', 'cert'],
      help: 'del ssl cert <certfile>                 : delete an unused certificate file',
      level: 'admin',
      pipelinable: true,
      run: (args) => {
        const name = args[3] ?? '';
        if (name === '') return "'del ssl cert' expects a certificate name\n";
        return store.transact((m) => {
          const refuse = (why: string): string => `Can't remove the certificate: ${why}\n`;
          if (m.store.transaction?.name === name) return refuse(`ongoing transaction for the certificate '${name}'`);
          if (m.store.cert(name) === undefined) return refuse(`certificate '${name}' doesn't exist!`);
          if (m.store.inUse(name)) return refuse(`certificate '${name}' in use, can't be deleted!`);
          m.dropCert(name);
          m.emit({ kind: 'cert.del', name });
          return `Certificate '${name}' deleted!\n`;
        });
      },
    },
  ];
}
