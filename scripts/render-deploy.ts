// `npm run render:deploy`: writes what is derived from the chart, so that it can never drift from
// it (charts/deploy.test.ts fails when a committed copy is stale):
//   deploy/hawser.yaml         plain manifests for `kubectl apply -f`
//   charts/hawser/README.md    the values table, from values.schema.json and values.yaml
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chartReadme, deployManifest } from '../charts/derived.ts';
import { chartDir, repoRoot } from '../charts/helm.ts';

const deployPath = join(repoRoot, 'deploy', 'hawser.yaml');
writeFileSync(deployPath, deployManifest());
const readmePath = join(chartDir, 'README.md');
writeFileSync(readmePath, chartReadme(readFileSync(readmePath, 'utf8')));
console.log(`wrote ${deployPath}\nwrote ${readmePath}`);
