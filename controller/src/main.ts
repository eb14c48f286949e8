/**
 * hawser-controller: wiring only. Flags → source (Kubernetes or --manifests) → cache → sync loop
 * → runtime client; the admin server; and, with a cluster, Events, status and leader election.
 * Resolves with the exit code when the process is asked to stop.
 */
import pino from 'pino';
import { KubeConfig } from '@kubernetes/client-node';
import { ConfigError, helpText, parseConfig } from './config.ts';
import type { Config } from './config.ts';
import { Cache } from './kube/cache.ts';
import type { SourceEvents } from './kube/sources.ts';
import { KubeSource } from './kube/sources.ts';
import { ManifestSource } from './kube/manifests.ts';
import { CliRuntimeClient } from './runtime/client.ts';
import { PromptTransport } from './runtime/prompt-transport.ts';
import { SyncLoop } from './sync/loop.ts';
import type { SyncReport } from './sync/loop.ts';
import { ControllerMetrics } from './admin/metrics.ts';
import { adminServer } from './admin/server.ts';
import { HWS_ERR } from './errors.ts';
import type { HwsErrCode } from './errors.ts';
import type { ModelOptions } from './model/types.ts';
import { KubeEdge } from './kube/edge.ts';

function modelOptions(c: Config): ModelOptions {
  return {
    controllerName: c.controllerClass,
    ingressClass: c.ingressClass,
    watchIngressWithoutClass: c.watchIngressWithoutClass,
    allowExternalName: c.allowExternalName,
    ...(c.defaultSslCertificate === undefined ? {} : { defaultCertificateSecret: c.defaultSslCertificate }),
    routeMap: c.routeMap,
    crtList: c.crtList,
    defaultCertName: c.defaultCertName,
  };
}

const reasonOf = (code: string): string => HWS_ERR[code as HwsErrCode].reason;

export async function main(argv: readonly string[]): Promise<number> {
  let config: Config;
  try {
    const parsed = parseConfig(argv, process.env);
    if (parsed === 'help') {
      process.stdout.write(helpText());
      return 0;
    }
    config = parsed;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`hawser-controller: ${e.message}\n${'Run hawser-controller --help for the flags.'}\n`);
    return 2;
  }

  const log = pino({ level: config.logLevel }).child({ module: 'main' });
  const cache = new Cache(config.defaultSslCertificate);
  const metrics = new ControllerMetrics();
  const client = new CliRuntimeClient(new PromptTransport({ path: config.runtimeSocket, timeoutMs: 30_000 }), {
    backendDefaults: config.backendDefaults, routeMap: config.routeMap, crtList: config.crtList, defaultCertName: config.defaultCertName,
  });

  let edge: KubeEdge | undefined;
  const modelLog = log.child({ module: 'model' });
  let logged = new Set<string>();
  const onReport = (r: SyncReport): void => {
    metrics.record(r, reasonOf);
    for (const o of r.execution?.outcomes ?? []) {
      if (o.status !== 'ok') log.warn({ code: o.code, op: o.command.op, reply: o.reply }, 'runtime command not applied');
    }
    log.debug({ kind: r.kind, type: r.type, commands: r.commands, ms: r.durationMs }, 'sync');
    if (r.build !== undefined) {
      // One log line per problem while it lasts (Events are the leader's, see kube/edge.ts).
      const now = new Set<string>();
      for (const w of r.build.warnings) {
        const id = `${w.object.uid}|${w.code}|${w.message}`;
        now.add(id);
        if (!logged.has(id)) modelLog.warn({ code: w.code, kind: w.object.kind, namespace: w.object.namespace, name: w.object.name }, w.message);
      }
      logged = now;
      edge?.afterBuild(r.build);
    }
  };
  const loop = new SyncLoop({
    snapshot: () => cache.snapshot(),
    dirtyServices: () => cache.takeDirtyServices(),
    endpointInputs: (s) => cache.endpointInputs(s),
    client,
    modelOptions: modelOptions(config),
    diffOptions: { routeMap: config.routeMap, crtList: config.crtList },
    holdoffMs: config.holdoffMs,
    maxHoldoffMs: config.maxHoldoffMs,
    onReport,
    onError: (e) => {
      metrics.errors.inc({ area: 'sync' });
      log.warn({ err: e instanceof Error ? e.message : String(e) }, 'sync failed; retrying with backoff');
    },
  });

  const events: SourceEvents = {
    change: (c) => loop.notify(c),
    synced: () => {
      log.info('caches synced; first full sync');
      loop.start();
    },
    error: (kind, e) => {
      metrics.errors.inc({ area: 'watch' });
      log.warn({ kind, err: e instanceof Error ? e.message : String(e) }, 'watch failed; retrying');
    },
  };

  let source: { start(): void; stop(): void };
  if (config.manifests !== undefined) {
    source = new ManifestSource(config.manifests, cache, events);
  } else {
    const kc = new KubeConfig();
    if (config.kubeconfig !== undefined) kc.loadFromFile(config.kubeconfig);
    else kc.loadFromDefault();
    source = new KubeSource(kc, cache, events, { namespaces: config.watchNamespaces });
    edge = new KubeEdge(kc, config, pino({ level: config.logLevel }), metrics);
    edge.start();
  }

  const admin = adminServer({ ready: () => loop.ready, registry: metrics.registry });
  await admin.listen({ host: config.adminAddress, port: config.adminPort });
  const observer = setInterval(() => metrics.observeCache(cache), 10_000);
  observer.unref();
  source.start();
  log.info({ socket: config.runtimeSocket, source: config.manifests ?? 'kubernetes' }, 'hawser-controller started');

  return new Promise<number>((resolve) => {
    const stop = (signal: string): void => {
      log.info({ signal }, 'stopping');
      clearInterval(observer);
      source.stop();
      void (async () => {
        await loop.stop();
        await edge?.stop();
        await admin.close();
        await client.close();
        resolve(0);
      })();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
