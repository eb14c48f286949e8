/**
 * hawser-controller: wiring only. Flags → Kubernetes sources → cache → coalesced sync runs
 * (model, diff, runtime client) → proxy-core's socket; leader election for status; Events for
 * rejected objects; /healthz, /readyz and /metrics. Nothing here decides anything the pure core
 * or the edges do not.
 */
import { hostname } from 'node:os';
import Fastify from 'fastify';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import pino from 'pino';
import { ConfigError, USAGE, parseControllerArgs, type ControllerConfig } from './config.ts';
import { HWS_ERR } from './errors.ts';
import { ClusterCache } from './kube/cache.ts';
import { EventRecorder } from './kube/events.ts';
import { LeaderElection } from './kube/leader-election.ts';
import { Sources } from './kube/sources.ts';
import { StatusWriter, type PublishedAddress } from './kube/status.ts';
import { createControllerMetrics } from './metrics.ts';
import { DEFAULT_MODEL_OPTIONS, type ModelOptions } from './model/types.ts';
import type { IngressStatus } from './model/warnings.ts';
import { CliRuntimeClient } from './runtime/client.ts';
import { UnixTransport } from './runtime/unix-transport.ts';
import { Coalescer } from './sync/coalescer.ts';
import { SyncEngine } from './sync/engine.ts';

function config(): ControllerConfig {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  try {
    return parseControllerArgs(argv, process.env, hostname());
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`hawser-controller: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

export async function main(): Promise<void> {
  const cfg = config();
  const log = pino({ name: 'hawser-controller', level: cfg.logLevel });
  const kc = new KubeConfig();
  if (cfg.kubeconfig !== undefined) kc.loadFromFile(cfg.kubeconfig);
  else kc.loadFromDefault();

  const metrics = createControllerMetrics();
  const modelOptions: ModelOptions = {
    ...DEFAULT_MODEL_OPTIONS,
    controllerName: cfg.controllerName,
    ingressClass: cfg.ingressClass,
    watchIngressWithoutClass: cfg.watchIngressWithoutClass,
    allowExternalName: cfg.allowExternalNameServices,
    ...(cfg.defaultSslCertificate !== undefined ? { defaultCertificateSecret: cfg.defaultSslCertificate } : {}),
  };
  const cache = new ClusterCache(cfg.defaultSslCertificate);
  const client = new CliRuntimeClient(new UnixTransport({ path: cfg.runtimeSocket }), { routeMap: modelOptions.routeMap, crtList: modelOptions.crtList, defaultCertName: modelOptions.defaultCertName });
  const events = new EventRecorder({ kubeConfig: kc, component: 'hawser-controller', instance: cfg.identity, logger: log.child({ module: 'events' }), onError: () => metrics.eventsFailed.inc() });
  const status = new StatusWriter(kc, log.child({ module: 'status' }));
  let lastStatuses: readonly IngressStatus[] = [];
  let synced = false;
  let firstRunDone = false;

  const leader = new LeaderElection({
    kubeConfig: kc, namespace: cfg.namespace, name: cfg.electionId, identity: cfg.identity, logger: log.child({ module: 'leader' }),
    onChange: (leading) => {
      metrics.leader.set(leading ? 1 : 0);
      if (leading) {
        status.reset();
        void writeStatus();
      }
    },
  });

  const core = kc.makeApiClient(CoreV1Api);
  async function publishedAddresses(): Promise<PublishedAddress[]> {
    if (cfg.publishService !== undefined) {
      const [namespace, name] = cfg.publishService.split('/') as [string, string];
      try {
        const svc = await core.readNamespacedService({ name, namespace });
        return (svc.status?.loadBalancer?.ingress ?? []).map((i) => ({ ...(i.ip ? { ip: i.ip } : {}), ...(i.hostname ? { hostname: i.hostname } : {}) }));
      } catch (err) {
        log.warn({ service: cfg.publishService, err: String(err) }, 'could not read the publish service');
        return [];
      }
    }
    return cfg.publishStatusAddresses.map((a) => (/^[0-9.:a-fA-F]+$/.test(a) ? { ip: a } : { hostname: a }));
  }

  async function writeStatus(): Promise<void> {
    if (!leader.isLeader) return;
    const targets = lastStatuses.map((s) => ({ namespace: s.object.namespace, name: s.object.name, accepted: s.accepted }));
    await status.sync(targets, await publishedAddresses());
  }

  const engine = new SyncEngine({
    cache, client, model: modelOptions, logger: log.child({ module: 'sync' }),
    onWarnings: (warnings) => {
      metrics.invalidObjects.reset();
      for (const w of warnings) {
        metrics.invalidObjects.inc({ reason: w.code });
        log.warn({ object: `${w.object.kind} ${w.object.namespace}/${w.object.name}`, code: w.code }, w.message);
      }
      void events.record(warnings.map((w) => ({ object: w.object, type: 'Warning', reason: HWS_ERR[w.code].reason, message: w.message })));
    },
    onStatuses: (s) => {
      lastStatuses = s;
      void writeStatus();
    },
  });

  const coalescer = new Coalescer({
    run: async (classes) => {
      const end = metrics.reconcileSeconds.startTimer();
      const report = await engine.run(classes);
      end({ lane: report.lane });
      metrics.commandsSent.inc({ lane: report.lane }, report.commands);
      const result = report.failure !== null ? 'error' : report.retry ? 'retry' : 'ok';
      metrics.syncRuns.inc({ lane: report.lane, result });
      if (report.failure !== null) metrics.syncErrors.inc({ reason: report.failure.split(':')[0] ?? 'error' });
      if (report.failure === null && !report.retry) firstRunDone = true;
      // A refused or interrupted run is tried again from the state read back.
      if (report.retry || report.failure !== null) setTimeout(() => coalescer.notify('endpoints'), 1000).unref();
    },
  });

  const sources = new Sources({
    kubeConfig: kc, namespaces: cfg.watchNamespaces, cache, logger: log.child({ module: 'sources' }),
    onChange: (lane) => {
      if (synced) coalescer.notify(lane);
    },
    onSynced: () => {
      synced = true;
      log.info('initial list complete; first sync');
      coalescer.notify('routes');
    },
    onError: (kind, reason) => metrics.apiErrors.inc({ kind, reason }),
  });

  const app = Fastify({ logger: false });
  app.get('/healthz', async () => 'ok\n');
  // Ready once the whole cluster was listed and the proxy holds the result: a controller that
  // is not ready never had the chance to program a half-known state into the proxy.
  app.get('/readyz', async (_req, reply) => (synced && firstRunDone ? 'ok\n' : reply.code(503).send(synced ? 'not ready: first sync pending\n' : 'not ready: initial list pending\n')));
  app.get('/metrics', async (_req, reply) => reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics()));
  await app.listen({ host: '0.0.0.0', port: cfg.healthPort });
  if (cfg.metricsPort !== cfg.healthPort) {
    const m = Fastify({ logger: false });
    m.get('/metrics', async (_req, reply) => reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics()));
    await m.listen({ host: '0.0.0.0', port: cfg.metricsPort });
  }

  sources.start();
  leader.start();
  log.info({ namespaces: cfg.watchNamespaces, controller: cfg.controllerName, socket: cfg.runtimeSocket }, 'hawser-controller started');

  const stop = async (signal: string): Promise<void> => {
    log.info({ signal }, 'stopping');
    sources.stop();
    await leader.stop();
    await coalescer.idle();
    await client.close();
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
