// Each metric of the contract (charts/hawser/metrics.json) is exported by the process it names.
// The check reads the sources for the metric's literal name: a dashboard panel or an alert on a
// metric the code does not export fails here, not silently in a user's Grafana.
import { expect } from 'chai';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chartDir, repoRoot } from './helm.ts';

interface MetricSpec {
  name: string;
  exporter: 'proxy' | 'controller';
}

const contract = (JSON.parse(readFileSync(join(chartDir, 'metrics.json'), 'utf8')) as { metrics: MetricSpec[] }).metrics;
const sourceRoots: Record<MetricSpec['exporter'], string> = { proxy: 'proxy-core/src', controller: 'controller/src' };

/** Concatenated non-test TypeScript sources under a repository folder (empty when it is absent). */
function sources(folder: string): string {
  const root = join(repoRoot, folder);
  const texts: string[] = [];
  const walk = (dir: string): void => {
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith('.ts') && !entry.endsWith('.test.ts')) texts.push(readFileSync(path, 'utf8'));
    }
  };
  walk(root);
  return texts.join('\n');
}

describe('charts/hawser metrics contract, against the exporters\' sources', function () {
  const texts = { proxy: sources(sourceRoots.proxy), controller: sources(sourceRoots.controller) };

  for (const metric of contract) {
    it(`${metric.exporter} exports ${metric.name}`, function () {
      const text = texts[metric.exporter];
      const literal = new RegExp(`['"\`]${metric.name}['"\`]`);
      expect(literal.test(text), `${metric.name} is not defined in ${sourceRoots[metric.exporter]}`).to.equal(true);
      const other = metric.exporter === 'proxy' ? texts.controller : texts.proxy;
      expect(literal.test(other), `${metric.name} is also defined in ${metric.exporter === 'proxy' ? 'controller' : 'proxy-core'}`).to.equal(false);
    });
  }
});
