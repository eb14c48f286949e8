import { expect } from 'chai';
import { F, SharedCounters, WorkerCounters } from '../stats/counters.ts';
import { createProxyMetrics, type MeteredProxy, type MeteredServer } from './proxy-metrics.ts';

function fixture() {
  const counters = new SharedCounters(2, 64);
  const fe: MeteredProxy = { kind: 'frontend', name: 'http', guid: 'fe-1', slot: counters.alloc() };
  const be: MeteredProxy = { kind: 'backend', name: 'web', guid: 'be-1', slot: counters.alloc() };
  const s1: MeteredServer = { backend: 'web', name: 's1', guid: 'srv-1', slot: counters.alloc(), state: 'ready', checkPassed: true };
  const s2: MeteredServer = { backend: 'web', name: 's2', guid: 'srv-2', slot: counters.alloc(), state: 'maint', checkPassed: null };
  const metrics = createProxyMetrics(counters, { proxies: () => [fe, be], servers: () => [s1, s2] });
  return { counters, fe, be, s1, s2, metrics };
}

describe('proxy metrics', () => {
  it('sums every worker block into one counter per object', async () => {
    const { counters, s1, metrics } = fixture();
    const w0 = new WorkerCounters(counters.init(), 0);
    const w1 = new WorkerCounters(counters.init(), 1);
    w0.add(w0.base(s1.slot), F.RESP_2XX, 3);
    w1.add(w1.base(s1.slot), F.RESP_2XX, 4);
    const text = await metrics.registry.metrics();
    expect(text).to.include('hawser_server_http_responses_total{backend="web",server="s1",guid="srv-1",code="2xx"} 7');
  });

  it('exports histograms in Prometheus shape', async () => {
    const { counters, s1, metrics } = fixture();
    const w0 = new WorkerCounters(counters.init(), 0);
    w0.observe(w0.base(s1.slot), F.RESPONSE_HIST, 0.002);
    const text = await metrics.registry.metrics();
    expect(text).to.include('# TYPE hawser_server_response_seconds histogram');
    expect(text).to.include('hawser_server_response_seconds_bucket{backend="web",server="s1",guid="srv-1",le="0.0025"} 1');
    expect(text).to.include('hawser_server_response_seconds_bucket{backend="web",server="s1",guid="srv-1",le="+Inf"} 1');
    expect(text).to.include('hawser_server_response_seconds_count{backend="web",server="s1",guid="srv-1"} 1');
  });

  it('counts servers per backend and state', async () => {
    const { metrics } = fixture();
    const text = await metrics.registry.metrics();
    expect(text).to.include('hawser_backend_servers{backend="web",state="ready"} 1');
    expect(text).to.include('hawser_backend_servers{backend="web",state="maint"} 1');
    expect(text).to.include('hawser_server_state{backend="web",server="s2",guid="srv-2",state="maint"} 1');
    expect(text).to.include('hawser_server_check_up{backend="web",server="s1",guid="srv-1"} 1');
    expect(text).not.to.include('hawser_server_check_up{backend="web",server="s2"');
  });

  it('counts runtime commands by keyword and result', async () => {
    const { metrics } = fixture();
    metrics.runtimeCommands.inc({ command: 'add server', result: 'ok' });
    expect(await metrics.registry.metrics()).to.include('hawser_runtime_commands_total{command="add server",result="ok"} 1');
  });
});
