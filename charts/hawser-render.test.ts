// The chart rendered by the real helm over a matrix of values: lint passes, and the objects keep
// the promises of issue 6 (least-privilege RBAC, no token in the proxy, hardened containers,
// probes, drain on termination).
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MODEL_OPTIONS } from '../controller/src/model/types.ts';
import { parseConfig } from '../proxy-core/src/config/parser.ts';
import { chartDir, repoRoot, helmBinary, type K8sObject, lint, parseObjects, runHelm, template } from './helm.ts';
import { container, flag, ofKind, one, podSpec, rules, workload } from './rendered-objects.ts';

const matrix: { name: string; values: object }[] = [
  { name: 'the defaults', values: {} },
  { name: 'a DaemonSet', values: { controller: { kind: 'DaemonSet' } } },
  { name: 'a namespaced scope', values: { controller: { scope: { namespaces: ['team-a', 'team-b'] } } } },
  {
    name: 'metrics on',
    values: { metrics: { enabled: true, serviceMonitor: { enabled: true }, podMonitor: { enabled: true }, prometheusRule: { enabled: true }, grafanaDashboard: { enabled: true } } },
  },
  { name: 'the HPA on', values: { controller: { autoscaling: { enabled: true } } } },
  { name: 'a NodePort Service without TLS', values: { service: { type: 'NodePort', externalTrafficPolicy: 'Local', nodePorts: { http: 30080 } }, proxy: { https: { enabled: false } } } },
];

const tokenPath = '/var/run/secrets/kubernetes.io/serviceaccount';

describe('charts/hawser rendered by helm', function () {
  before(function () {
    // The first call may build helm from its Go module (scripts/tools/ensure-tool.sh).
    this.timeout(20 * 60_000);
    helmBinary();
  });

  for (const { name, values } of matrix) {
    describe(`with ${name}`, function () {
      let objects: K8sObject[] = [];
      before(function () {
        objects = template(values);
      });

      it('passes helm lint --strict', function () {
        const result = lint(values);
        expect(result.ok, result.stdout + result.stderr).to.equal(true);
      });

      it('grants no wildcard verb, resource or API group', function () {
        const roles = [...ofKind(objects, 'ClusterRole'), ...ofKind(objects, 'Role')];
        expect(roles.length).to.be.above(0);
        for (const role of roles) {
          for (const rule of rules(role)) {
            expect(rule.verbs, role.metadata.name).to.not.include('*');
            expect(rule.resources ?? [], role.metadata.name).to.not.include('*');
            expect(rule.apiGroups ?? [], role.metadata.name).to.not.include('*');
            expect(rule.nonResourceURLs, role.metadata.name).to.equal(undefined);
            for (const resource of rule.resources ?? []) expect(resource, role.metadata.name).to.not.match(/\*/);
          }
        }
      });

      it('gives the proxy container no Kubernetes token', function () {
        const pod = podSpec(objects);
        expect(pod.automountServiceAccountToken).to.equal(false);
        const proxy = container(objects, 'proxy');
        expect(proxy.volumeMounts?.map((m) => m.mountPath)).to.not.include(tokenPath);
        expect(proxy.volumeMounts?.map((m) => m.name)).to.not.include('kube-api-access');
        expect(proxy.envFrom).to.equal(undefined);
        for (const env of proxy.env ?? []) expect(env.valueFrom, env.name).to.equal(undefined);
        expect(pod.volumes.filter((v) => v.secret !== undefined || v.hostPath !== undefined)).to.deep.equal([]);
        // A shared process namespace would let the proxy read the controller's token via /proc.
        expect(pod.shareProcessNamespace).to.equal(undefined);
      });

      it('mounts a projected token, the cluster CA and the namespace into the controller only', function () {
        const projected = podSpec(objects).volumes.find((v) => v.name === 'kube-api-access')?.projected;
        expect(projected?.sources.map((s) => Object.keys(s)[0])).to.deep.equal(['serviceAccountToken', 'configMap', 'downwardAPI']);
        const mount = container(objects, 'controller').volumeMounts?.find((m) => m.name === 'kube-api-access');
        expect(mount).to.deep.equal({ name: 'kube-api-access', mountPath: tokenPath, readOnly: true });
      });

      it('runs both containers non-root, read-only, without capabilities or privilege escalation', function () {
        const pod = podSpec(objects);
        expect(pod.securityContext?.runAsNonRoot).to.equal(true);
        expect(pod.securityContext?.runAsUser).to.be.above(0);
        expect(pod.securityContext?.seccompProfile?.type).to.equal('RuntimeDefault');
        expect(pod.hostNetwork).to.equal(undefined);
        expect(pod.containers.map((c) => c.name)).to.deep.equal(['controller', 'proxy']);
        for (const c of pod.containers) {
          expect(c.securityContext, c.name).to.deep.include({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true });
          expect(c.securityContext?.capabilities, c.name).to.deep.equal({ drop: ['ALL'] });
          expect(c.securityContext?.seccompProfile?.type, c.name).to.equal('RuntimeDefault');
          expect(c.securityContext?.privileged, c.name).to.equal(undefined);
          for (const p of c.ports ?? []) expect(p.containerPort, `${c.name} ${p.name}`).to.be.above(1023);
        }
      });

      it('shares the runtime socket between the containers and names it in both', function () {
        const controller = container(objects, 'controller');
        const proxy = container(objects, 'proxy');
        const runtimeMount = (c: typeof proxy): string | undefined => c.volumeMounts?.find((m) => m.name === 'runtime')?.mountPath;
        expect(runtimeMount(controller)).to.equal('/var/run/hawser');
        expect(runtimeMount(proxy)).to.equal('/var/run/hawser');
        expect(podSpec(objects).volumes.find((v) => v.name === 'runtime')?.emptyDir).to.deep.include({ medium: 'Memory' });
        const socket = flag(controller, 'runtime-socket');
        expect(socket).to.equal('/var/run/hawser/hawser.sock');
        const config = one(objects, 'ConfigMap', 'hawser-proxy')['data'] as Record<string, string>;
        expect(config['hawser.cfg']).to.include(`stats socket ${socket ?? ''} mode 600 level admin`);
      });

      it('renders a hawser.cfg that the proxy core\'s own parser accepts', function () {
        const config = (one(objects, 'ConfigMap', 'hawser-proxy')['data'] as Record<string, string>)['hawser.cfg'] ?? '';
        const parsed = parseConfig(config, 'hawser.cfg');
        expect(parsed.ok ? [] : parsed.errors).to.deep.equal([]);
        expect(parsed.warnings).to.deep.equal([]);
      });

      it('probes /healthz and /readyz on each container\'s admin port', function () {
        for (const c of podSpec(objects).containers) {
          const port = c.name === 'proxy' ? 'admin' : 'metrics';
          expect(c.livenessProbe?.httpGet, c.name).to.deep.equal({ path: '/healthz', port });
          expect(c.startupProbe?.httpGet, c.name).to.deep.equal({ path: '/healthz', port });
          expect(c.readinessProbe?.httpGet, c.name).to.deep.equal({ path: '/readyz', port });
        }
      });

      it('drains the proxy: a preStop sleep, then a grace period covering hard-stop-after', function () {
        const pod = podSpec(objects);
        const seconds = container(objects, 'proxy').lifecycle?.preStop?.sleep?.seconds ?? -1;
        expect(seconds).to.equal(5);
        const config = (one(objects, 'ConfigMap', 'hawser-proxy')['data'] as Record<string, string>)['hawser.cfg'] ?? '';
        const hardStop = Number(/hard-stop-after (\d+)s/.exec(config)?.[1]);
        expect(pod.terminationGracePeriodSeconds).to.be.at.least(seconds + hardStop);
      });
    });
  }

  describe('with the defaults', function () {
    let objects: K8sObject[] = [];
    before(function () {
      objects = template({});
    });

    it('grants exactly the read, status, event and lease rights, cluster-wide', function () {
      expect(rules(one(objects, 'ClusterRole'))).to.deep.equal([
        { apiGroups: ['networking.k8s.io'], resources: ['ingressclasses'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: [''], resources: ['services', 'secrets'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['networking.k8s.io'], resources: ['ingresses/status'], verbs: ['update'] },
        { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
      ]);
      const leader = one(objects, 'Role', 'hawser-leader');
      expect(leader.metadata.namespace).to.equal('hawser');
      expect(rules(leader)).to.deep.equal([
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['create'] },
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['hawser-leader'], verbs: ['get', 'update'] },
      ]);
      expect(flag(container(objects, 'controller'), 'election-id')).to.equal('hawser-leader');
    });

    it('maps the Service\'s 80 and 443 to the unprivileged named container ports', function () {
      const service = one(objects, 'Service', 'hawser')['spec'] as { type: string; ports: { port: number; targetPort: string }[] };
      expect(service.type).to.equal('LoadBalancer');
      expect(service.ports.map((p) => [p.port, p.targetPort])).to.deep.equal([[80, 'http'], [443, 'https']]);
      const ports = container(objects, 'proxy').ports?.map((p) => [p.name, p.containerPort]);
      expect(ports).to.deep.equal([['http', 8080], ['https', 8443], ['admin', 8404]]);
    });

    it('passes the class, socket, publish Service and ports to the controller', function () {
      expect(container(objects, 'controller').args).to.deep.equal([
        '--controller-class=hawser.dev/ingress-controller',
        '--runtime-socket=/var/run/hawser/hawser.sock',
        '--publish-service=hawser/hawser',
        '--election-id=hawser-leader',
        '--admin-port=10254',
      ]);
      expect(container(objects, 'proxy').command).to.deep.equal(['node', '/app/bin/hawser-proxy.js']);
      expect(container(objects, 'controller').command).to.deep.equal(['node', '/app/bin/hawser-controller.js']);
      expect(container(objects, 'proxy').args).to.deep.equal(['-f', '/etc/hawser/hawser.cfg']);
      expect(one(objects, 'IngressClass', 'hawser')['spec']).to.deep.equal({ controller: 'hawser.dev/ingress-controller' });
    });

    it('keeps two replicas apart and guards them with a PodDisruptionBudget', function () {
      expect((workload(objects)['spec'] as { replicas: number }).replicas).to.equal(2);
      expect(one(objects, 'PodDisruptionBudget')['spec']).to.deep.include({ minAvailable: 1 });
      expect(JSON.stringify(podSpec(objects).affinity)).to.include('preferredDuringSchedulingIgnoredDuringExecution');
      expect(ofKind(objects, 'HorizontalPodAutoscaler')).to.deep.equal([]);
    });

    it('renders the proxy configuration from the typed values only', function () {
      const config = (one(objects, 'ConfigMap', 'hawser-proxy')['data'] as Record<string, string>)['hawser.cfg'];
      expect(config).to.equal([
        '# Rendered by the Hawser chart from typed values. Runtime changes go through the stats socket.',
        'global',
        '    nbthread 2',
        '    stats socket /var/run/hawser/hawser.sock mode 600 level admin',
        '    stats busy-poll 200us',
        '    hard-stop-after 30s',
        '',
        '# Named: the controller creates every Ingress backend with `add backend <name> from ingress-defaults`.',
        'defaults ingress-defaults',
        '    mode http',
        '    timeout connect 5s',
        '    timeout client 60s',
        '    timeout server 60s',
        '    timeout http-request 10s',
        '    timeout http-keep-alive 60s',
        '    timeout tunnel 1h',
        '',
        'frontend http',
        '    bind :8080',
        '    route-map ingress',
        '    option forwardfor replace',
        '',
        'frontend https',
        '    bind :8443 ssl crt default.pem crt-list ingress',
        '    route-map ingress',
        '    option forwardfor replace',
        '',
      ].join('\n'));
    });
  });

  describe('X-Forwarded-* (proxy.forwardedHeaders)', function () {
    const cases: { name: string; proxy: object; line: string; modes: string[] }[] = [
      { name: 'replaces the client\'s fields on both frontends by default', proxy: {}, line: 'option forwardfor replace', modes: ['replace', 'replace'] },
      { name: 'trusts and extends them behind a trusted load balancer with append', proxy: { forwardedHeaders: 'append' }, line: 'option forwardfor append', modes: ['append', 'append'] },
      { name: 'leaves them alone and adds none with off', proxy: { forwardedHeaders: 'off' }, line: 'no option forwardfor', modes: ['off', 'off'] },
      { name: 'sets the mode on the one frontend left without TLS', proxy: { forwardedHeaders: 'off', https: { enabled: false } }, line: 'no option forwardfor', modes: ['off'] },
    ];
    for (const { name, proxy, line, modes } of cases) {
      it(name, function () {
        const config = (one(template({ proxy }), 'ConfigMap', 'hawser-proxy')['data'] as Record<string, string>)['hawser.cfg'] ?? '';
        expect(config.split('\n').filter((l) => l.includes('forwardfor'))).to.deep.equal(modes.map(() => `    ${line}`));
        const parsed = parseConfig(config, 'hawser.cfg');
        if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
        expect(parsed.warnings).to.deep.equal([]);
        expect(parsed.config.proxies.filter((p) => p.cap === 'frontend').map((p) => p.settings.forwarded)).to.deep.equal(modes);
      });
    }
  });

  describe('runtime busy polling (proxy.runtimeBusyPoll)', function () {
    const cases: { name: string; proxy: object; us: number }[] = [
      { name: 'keeps the proxy\'s 200 µs window by default', proxy: {}, us: 200 },
      { name: 'passes a window in milliseconds', proxy: { runtimeBusyPoll: '2ms' }, us: 2000 },
      { name: 'turns polling off with 0', proxy: { runtimeBusyPoll: '0' }, us: 0 },
    ];
    for (const { name, proxy, us } of cases) {
      it(name, function () {
        const config = (one(template({ proxy }), 'ConfigMap', 'hawser-proxy')['data'] as Record<string, string>)['hawser.cfg'] ?? '';
        const parsed = parseConfig(config, 'hawser.cfg');
        if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
        expect(parsed.config.global.statsBusyPollUs).to.equal(us);
      });
    }
  });

  it('names the route map, crt-list and default certificate the controller programs', function () {
    const config = (one(template({}), 'ConfigMap', 'hawser-proxy')['data'] as Record<string, string>)['hawser.cfg'] ?? '';
    const { routeMap, crtList, defaultCertName } = DEFAULT_MODEL_OPTIONS;
    expect(config.match(/route-map \S+/g)).to.deep.equal([`route-map ${routeMap}`, `route-map ${routeMap}`]);
    expect(config).to.include(`ssl crt ${defaultCertName} crt-list ${crtList}\n`);
  });

  it('renders a hawser.cfg that `hawser-proxy -c`, the image\'s entry point, accepts', function () {
    const entry = join(repoRoot, 'bin', 'hawser-proxy.js');
    if (!existsSync(entry)) this.skip();
    const config = (one(template({}), 'ConfigMap', 'hawser-proxy')['data'] as Record<string, string>)['hawser.cfg'] ?? '';
    const dir = mkdtempSync(join(tmpdir(), 'hawser-cfg-'));
    try {
      writeFileSync(join(dir, 'hawser.cfg'), config);
      const out = execFileSync(process.execPath, [entry, '-c', '-f', join(dir, 'hawser.cfg')], { encoding: 'utf8', timeout: 30_000 });
      expect(out).to.include('Configuration file is valid');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('renders a DaemonSet without replicas, HPA or surge', function () {
    const objects = template({ controller: { kind: 'DaemonSet' } });
    const spec = workload(objects)['spec'] as Record<string, unknown>;
    expect(workload(objects).kind).to.equal('DaemonSet');
    expect(spec['replicas']).to.equal(undefined);
    expect(spec['updateStrategy']).to.deep.equal({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } });
    expect(ofKind(objects, 'PodDisruptionBudget')).to.have.length(1);
  });

  it('scopes RBAC to Roles in the watched namespaces, keeping only IngressClasses cluster-wide', function () {
    const objects = template({ controller: { scope: { namespaces: ['team-a', 'team-b'] } } });
    expect(rules(one(objects, 'ClusterRole')).flatMap((r) => r.resources)).to.deep.equal(['ingressclasses']);
    const watchRoles = ofKind(objects, 'Role').filter((r) => r.metadata.name === 'hawser');
    expect(watchRoles.map((r) => r.metadata.namespace)).to.deep.equal(['team-a', 'team-b']);
    const bindings = ofKind(objects, 'RoleBinding').filter((r) => r.metadata.name === 'hawser');
    expect(bindings.map((r) => r.metadata.namespace)).to.deep.equal(['team-a', 'team-b']);
    expect(container(objects, 'controller').args).to.include.members(['--watch-namespace=team-a', '--watch-namespace=team-b']);
    // The published Service lives in the unwatched release namespace: get on that one name only.
    expect(rules(one(objects, 'Role', 'hawser-publish'))).to.deep.equal([
      { apiGroups: [''], resources: ['services'], resourceNames: ['hawser'], verbs: ['get'] },
    ]);
  });

  it('scrapes both admin ports and ships alerts and a dashboard when metrics are on', function () {
    const objects = template(matrix[3]?.values ?? {});
    const metricsService = one(objects, 'Service', 'hawser-metrics')['spec'] as { ports: { name: string; port: number }[] };
    expect(metricsService.ports.map((p) => [p.name, p.port])).to.deep.equal([['admin', 8404], ['metrics', 10254]]);
    const monitor = one(objects, 'ServiceMonitor')['spec'] as { endpoints: { port: string; path: string }[] };
    expect(monitor.endpoints.map((e) => [e.port, e.path])).to.deep.equal([['admin', '/metrics'], ['metrics', '/metrics']]);
    const podMonitor = one(objects, 'PodMonitor')['spec'] as { podMetricsEndpoints: { port: string }[] };
    const containerPorts = podSpec(objects).containers.flatMap((c) => c.ports ?? []).map((p) => p.name);
    for (const e of podMonitor.podMetricsEndpoints) expect(containerPorts).to.include(e.port);
    const alerts = (one(objects, 'PrometheusRule')['spec'] as { groups: { rules: { alert: string }[] }[] }).groups.flatMap((g) => g.rules.map((r) => r.alert));
    expect(alerts).to.deep.equal(['HawserBackendNoReadyServers', 'HawserSyncErrors', 'HawserCertificateExpiringSoon', 'HawserCertificateExpired', 'HawserControllerNotLeading']);
    const dashboard = one(objects, 'ConfigMap', 'hawser-dashboard');
    expect(dashboard.metadata.labels?.['grafana_dashboard']).to.equal('1');
  });

  it('lets the HPA own the replica count', function () {
    const objects = template({ controller: { autoscaling: { enabled: true } } });
    expect((workload(objects)['spec'] as Record<string, unknown>)['replicas']).to.equal(undefined);
    const hpa = one(objects, 'HorizontalPodAutoscaler')['spec'] as Record<string, unknown>;
    expect(hpa['scaleTargetRef']).to.deep.equal({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'hawser' });
    expect(hpa).to.deep.include({ minReplicas: 2, maxReplicas: 10 });
  });

  it('leaves the preStop hook out when the sleep is 0 seconds (the API rejects a zero sleep)', function () {
    expect(container(template({ controller: { preStopSleepSeconds: 0 } }), 'proxy').lifecycle).to.equal(undefined);
  });

  it('sleeps with exec before Kubernetes 1.30, which lacks the sleep action', function () {
    const result = runHelm(['template', 'hawser', chartDir, '--namespace', 'hawser', '--kube-version', '1.29.0']);
    expect(result.ok, result.stderr).to.equal(true);
    expect(container(parseObjects(result.stdout), 'proxy').lifecycle?.preStop).to.deep.equal({ exec: { command: ['sleep', '5'] } });
  });

  it('renders no PodDisruptionBudget for a single replica, which would block node drains', function () {
    expect(ofKind(template({ controller: { replicaCount: 1 } }), 'PodDisruptionBudget')).to.deep.equal([]);
  });

  it('gives user topology spread constraints the pod\'s selector when they have none', function () {
    const constraint = { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' };
    const objects = template({ controller: { topologySpreadConstraints: [constraint], priorityClassName: 'system-cluster-critical' } });
    expect(podSpec(objects).topologySpreadConstraints).to.deep.equal([
      { ...constraint, labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'hawser', 'app.kubernetes.io/instance': 'hawser' } } },
    ]);
    expect(podSpec(objects).priorityClassName).to.equal('system-cluster-critical');
  });
});
