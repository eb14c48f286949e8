/**
 * Kubernetes Events for objects the controller reports on (a rejected Ingress, a lost route
 * conflict, a missing Secret). The same report for the same object is sent once per
 * `repeatAfterMs` at most, so a sync loop that sees the same bad Ingress every 100 ms does not
 * flood the API server. Failures to record are logged and counted, never thrown: an Event is a
 * courtesy, not part of serving.
 */
import { CoreV1Api, type CoreV1Event, type KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';

export interface EventTarget {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
}

export interface EventReport {
  readonly object: EventTarget;
  readonly type: 'Normal' | 'Warning';
  /** CamelCase, stable (from the error catalogue). */
  readonly reason: string;
  readonly message: string;
}

export interface EventRecorderOptions {
  readonly kubeConfig: KubeConfig;
  /** The component that reports (`source.component`, `reportingController`). */
  readonly component: string;
  readonly instance: string;
  readonly logger: Logger;
  readonly repeatAfterMs?: number;
  readonly onError?: () => void;
}

const API_VERSIONS: Readonly<Record<string, string>> = {
  Ingress: 'networking.k8s.io/v1',
  IngressClass: 'networking.k8s.io/v1',
  Service: 'v1',
  Secret: 'v1',
  EndpointSlice: 'discovery.k8s.io/v1',
};

export class EventRecorder {
  private readonly api: CoreV1Api;
  private readonly o: EventRecorderOptions;
  private readonly sent = new Map<string, number>();

  constructor(o: EventRecorderOptions) {
    this.o = o;
    this.api = o.kubeConfig.makeApiClient(CoreV1Api);
  }

  /** Records each report unless the same one was sent recently. Never throws. */
  async record(reports: readonly EventReport[]): Promise<void> {
    const now = Date.now();
    const repeat = this.o.repeatAfterMs ?? 10 * 60_000;
    for (const [k, at] of this.sent) if (now - at > repeat) this.sent.delete(k);
    for (const r of reports) {
      const key = `${r.object.uid}\u0000${r.reason}\u0000${r.message}`;
      if (this.sent.has(key)) continue;
      this.sent.set(key, now);
      await this.send(r, now);
    }
  }

  private async send(r: EventReport, now: number): Promise<void> {
    const ns = r.object.namespace === '' ? 'default' : r.object.namespace;
    const time = new Date(now);
    const body: CoreV1Event = {
      metadata: { generateName: `${r.object.name.slice(0, 200)}.`, namespace: ns },
      involvedObject: { kind: r.object.kind, namespace: r.object.namespace || undefined, name: r.object.name, uid: r.object.uid, apiVersion: API_VERSIONS[r.object.kind] ?? 'v1' } as CoreV1Event['involvedObject'],
      type: r.type,
      reason: r.reason,
      // The API server limits messages to 1 KiB; our messages are short, hostile input is cut.
      message: r.message.slice(0, 1000),
      source: { component: this.o.component },
      reportingComponent: this.o.component,
      reportingInstance: this.o.instance,
      firstTimestamp: time,
      lastTimestamp: time,
      count: 1,
    };
    try {
      await this.api.createNamespacedEvent({ namespace: ns, body });
    } catch (err) {
      this.o.onError?.();
      this.o.logger.warn({ reason: r.reason, object: `${r.object.namespace}/${r.object.name}`, err: String(err) }, 'could not record event');
    }
  }
}
