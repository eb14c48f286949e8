/**
 * The runtime client: runs the differ's commands over HAProxy's CLI and reads the applied state
 * back. It batches commands (`;`-joined, up to `maxBatch` per line and `maxLineBytes`), sends a
 * `<<` payload alone, expands `replace-map` into prepare/add/commit, and runs `del-server` as
 * HAProxy's deletion protocol. The transport only moves text; everything else is here.
 */
import type { Command } from '../diff/command.ts';
import type { BackendSpec, ProxyState, ServerSpec } from '../model/proxy-state.ts';
import type { HwsErrCode } from '../errors.ts';
import { HawserError } from '../errors.ts';
import { formatPayload, formatWords } from './escape.ts';
import type { Step, FormatOptions } from './format.ts';
import { STILL_HAS_CONNECTIONS, addMapSteps, commitMapStep, formatCommand, prepareMapStep, waitRemovableStep } from './format.ts';
import { parseCertFingerprint, parseCrtList, parseServersState, parseShowBackend, parseShowMap, parseShowSslCerts } from './parse.ts';
import { isOwnedBackendName, isOwnedCertificateName } from '../model/ids.ts';
import { cmp } from '../model/warnings.ts';
import { append } from '../model/append.ts';

/** Moves CLI text. `send` returns one reply per command in `text`, each without its framing. */
export interface Transport {
  send(text: string, commands: number): Promise<string[]>;
  close(): Promise<void>;
  /** True when several lines may be written in one send (interactive mode): the client pipelines. */
  readonly multiline?: boolean;
}

export type CommandOutcome =
  | { readonly command: Command; readonly status: 'ok' }
  | { readonly command: Command; readonly status: 'retryable' | 'failed'; readonly code: HwsErrCode; readonly reply: string };

export interface ExecuteResult {
  /** One per command attempted, in order. */
  readonly outcomes: readonly CommandOutcome[];
  /** False when a command was refused and the rest were not attempted. */
  readonly completed: boolean;
}

/** The seam between the sync loop and the proxy. The fake and the socket client pass one contract suite. */
export interface RuntimeClient {
  /** Runs commands in order; stops after the first one the proxy refuses (retryable outcomes do not stop it). */
  execute(commands: readonly Command[]): Promise<ExecuteResult>;
  /** What the proxy holds that the controller owns, in the model's shape (GUIDs are not readable). */
  readState(): Promise<ProxyState>;
  close(): Promise<void>;
}

export interface ClientOptions extends FormatOptions {
  readonly routeMap: string;
  readonly crtList: string;
  readonly defaultCertName: string;
  readonly maxBatch: number;
  readonly maxLineBytes: number;
  /** Delay for `wait <delay> srv-removable` between deletion attempts, HAProxy time syntax. */
  readonly deleteWait: string;
  readonly deleteAttempts: number;
  /** Largest `<<` payload sent (proxy-core and HAProxy 3.4 accept 128 KiB). */
  readonly maxPayloadBytes: number;
  /** Commands written before reading replies, on a multi-line (interactive) transport. */
  readonly maxPipeline: number;
}

export const DEFAULT_CLIENT_OPTIONS: ClientOptions = {
  backendDefaults: 'ingress-defaults',
  routeMap: 'ingress',
  crtList: 'ingress',
  defaultCertName: 'default.pem',
  maxBatch: 100,
  maxLineBytes: 16000,
  deleteWait: '2s',
  deleteAttempts: 3,
  maxPayloadBytes: 64 * 1024,
  maxPipeline: 5000,
};

/**
 * Commands whose refusal does not stop the run: a backend setting the proxy does not accept
 * (`set backend` is a proposed extension) must not hold routes and servers back. The outcome is
 * still `failed` (logged and counted), but the sync loop does not retry the run for it.
 */
export const ADVISORY: ReadonlySet<string> = new Set(['set-backend']);

function line(step: Step): string {
  return step.payload === undefined ? formatWords(step.words) : `${formatWords([...step.words])} <<`;
}

export class CliRuntimeClient implements RuntimeClient {
  readonly #transport: Transport;
  readonly #o: ClientOptions;

  constructor(transport: Transport, options: Partial<ClientOptions> = {}) {
    this.#transport = transport;
    this.#o = { ...DEFAULT_CLIENT_OPTIONS, ...options };
  }

  async close(): Promise<void> {
    await this.#transport.close();
  }

  /** Sends steps, batched; returns the replies in order. Precondition: payload steps come alone. */
  async #run(steps: readonly Step[]): Promise<string[]> {
    const replies: string[] = [];
    let batch: string[] = [];
    let size = 0;
    // Complete lines not yet sent: one per send, or many per send on a multi-line transport.
    let lines: string[] = [];
    let pending = 0;
    const send = async (): Promise<void> => {
      if (lines.length === 0) return;
      const text = `${lines.join('\n')}\n`;
      const count = pending;
      lines = [];
      pending = 0;
      append(replies, await this.#transport.send(text, count));
    };
    const flush = async (): Promise<void> => {
      if (batch.length > 0) {
        lines.push(batch.join(';'));
        pending += batch.length;
        batch = [];
        size = 0;
      }
      if (this.#transport.multiline !== true || pending >= this.#o.maxPipeline) await send();
    };
    for (const step of steps) {
      const text = line(step);
      if (text.length > this.#o.maxLineBytes) throw new HawserError('HWS_ERR_RUNTIME_LINE_TOO_LONG', `a ${step.words.slice(0, 3).join(' ')} command of ${String(text.length)} bytes is over the ${String(this.#o.maxLineBytes)}-byte line limit`);
      if (step.payload !== undefined) {
        await flush();
        await send();
        append(replies, await this.#transport.send(`${text}\n${formatPayload(step.payload)}`, 1));
        continue;
      }
      if (batch.length >= this.#o.maxBatch || size + text.length + 1 > this.#o.maxLineBytes) await flush();
      batch.push(text);
      size += text.length + 1;
    }
    await flush();
    await send();
    return replies;
  }

  async execute(commands: readonly Command[]): Promise<ExecuteResult> {
    const outcomes: CommandOutcome[] = [];
    // Commands between two "special" ones (replace-map, del-server, payloads) go out in one batch run.
    let i = 0;
    while (i < commands.length) {
      const c = commands[i];
      if (c === undefined) break;
      let outcome: CommandOutcome[];
      if (c.op === 'replace-map') outcome = [await this.#replaceMap(c)];
      else if (c.op === 'del-server') outcome = [await this.#deleteServer(c)];
      else {
        let j = i;
        const group: Exclude<Command, { op: 'replace-map' | 'del-server' }>[] = [];
        for (; j < commands.length; j++) {
          const d = commands[j];
          if (d === undefined || d.op === 'replace-map' || d.op === 'del-server') break;
          group.push(d);
        }
        outcome = await this.#simple(group);
        i = j - 1;
      }
      append(outcomes, outcome);
      if (outcome.some((o) => o.status === 'failed' && !ADVISORY.has(o.command.op))) return { outcomes, completed: false };
      i++;
    }
    return { outcomes, completed: true };
  }

  async #simple(group: readonly Exclude<Command, { op: 'replace-map' | 'del-server' }>[]): Promise<CommandOutcome[]> {
    const steps = group.map((c) => formatCommand(c, this.#o));
    const replies = await this.#run(steps);
    const out: CommandOutcome[] = [];
    for (let k = 0; k < group.length; k++) {
      const command = group[k];
      const step = steps[k];
      if (command === undefined || step === undefined) break;
      const reply = replies[k] ?? '';
      out.push(step.success(reply) ? { command, status: 'ok' } : { command, status: 'failed', code: 'HWS_ERR_RUNTIME_REJECTED', reply });
      if (!step.success(reply) && !ADVISORY.has(command.op)) break;
    }
    return out;
  }

  async #replaceMap(c: Extract<Command, { op: 'replace-map' }>): Promise<CommandOutcome> {
    const fail = (reply: string): CommandOutcome => ({ command: c, status: 'failed', code: 'HWS_ERR_RUNTIME_REJECTED', reply });
    const prepare = prepareMapStep(c.map);
    const [prepared = ''] = await this.#run([prepare]);
    if (!prepare.success(prepared)) return fail(prepared);
    const version = /([0-9]+)$/.exec(prepared)?.[1] ?? '';
    const adds = addMapSteps(c.map, version, c.entries, this.#o.maxPayloadBytes);
    const replies = await this.#run(adds);
    const bad = replies.findIndex((r, k) => !(adds[k]?.success(r) ?? false));
    // A refused entry leaves the prepared version uncommitted: traffic keeps the old table.
    if (bad >= 0) return fail(replies[bad] ?? '');
    const commit = commitMapStep(c.map, version);
    const [committed = ''] = await this.#run([commit]);
    return commit.success(committed) ? { command: c, status: 'ok' } : fail(committed);
  }

  async #deleteServer(c: Extract<Command, { op: 'del-server' }>): Promise<CommandOutcome> {
    const del = formatCommand(c, this.#o);
    let reply = '';
    for (let attempt = 0; attempt < this.#o.deleteAttempts; attempt++) {
      [reply = ''] = await this.#run([del]);
      if (del.success(reply)) return { command: c, status: 'ok' };
      if (reply !== STILL_HAS_CONNECTIONS) return { command: c, status: 'failed', code: 'HWS_ERR_RUNTIME_REJECTED', reply };
      // In maint and still in use: let in-flight requests finish, then try again.
      if (attempt + 1 < this.#o.deleteAttempts) await this.#run([waitRemovableStep(c.backend, c.server, this.#o.deleteWait)]);
    }
    return { command: c, status: 'retryable', code: 'HWS_ERR_RUNTIME_RETRYABLE', reply };
  }

  async #show(words: string[]): Promise<string> {
    const [reply = ''] = await this.#transport.send(`${formatWords(words)}\n`, 1);
    return reply;
  }

  async readState(): Promise<ProxyState> {
    const backendRows = parseShowBackend(await this.#show(['show', 'backend', 'settings'])).filter((b) => isOwnedBackendName(b.name));
    const serverRows = parseServersState(await this.#show(['show', 'servers', 'state']));
    const servers = new Map<string, ServerSpec[]>();
    for (const r of serverRows) {
      const list = servers.get(r.backend) ?? [];
      list.push({ name: r.name, address: r.address, port: r.port, weight: r.weight, state: r.state, health: r.health });
      servers.set(r.backend, list);
    }
    const backends: BackendSpec[] = backendRows.map((b) => ({
      name: b.name,
      ...(b.settings === undefined ? {} : { settings: b.settings }),
      servers: (servers.get(b.name) ?? []).sort((x, y) => cmp(x.name, y.name)),
    })).sort((a, b) => cmp(a.name, b.name));
    const routes = parseShowMap(await this.#show(['show', 'map', this.#o.routeMap])).sort((a, b) => cmp(a.key, b.key));
    const certNames = parseShowSslCerts(await this.#show(['show', 'ssl', 'cert']));
    const certificates = [];
    let defaultCertificate: ProxyState['defaultCertificate'];
    for (const name of certNames.sort(cmp)) {
      if (!isOwnedCertificateName(name) && name !== this.#o.defaultCertName) continue;
      const fingerprint = parseCertFingerprint(await this.#show(['show', 'ssl', 'cert', name]));
      if (name === this.#o.defaultCertName) defaultCertificate = { name, fingerprint };
      else certificates.push({ name, fingerprint });
    }
    const crtList = parseCrtList(await this.#show(['show', 'ssl', 'crt-list', this.#o.crtList]))
      .filter((e) => isOwnedCertificateName(e.cert))
      .sort((a, b) => cmp(a.cert, b.cert));
    return { backends, routes, certificates, crtList, ...(defaultCertificate === undefined ? {} : { defaultCertificate }) };
  }
}
