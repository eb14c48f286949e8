// The committed files derived from the chart are what `npm run render:deploy` makes now.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chartReadme, deployManifest } from './derived.ts';
import { chartDir, helmBinary, parseObjects, repoRoot } from './helm.ts';

const stale = 'is stale: run `npm run render:deploy` and commit the result';

describe('files derived from charts/hawser', function () {
  before(function () {
    this.timeout(20 * 60_000);
    helmBinary();
  });

  it('keeps deploy/hawser.yaml identical to the chart rendered with its defaults', function () {
    const committed = readFileSync(join(repoRoot, 'deploy', 'hawser.yaml'), 'utf8');
    expect(committed === deployManifest(), `deploy/hawser.yaml ${stale}`).to.equal(true);
  });

  it('puts the Namespace first in deploy/hawser.yaml, so one kubectl apply creates everything', function () {
    const objects = parseObjects(readFileSync(join(repoRoot, 'deploy', 'hawser.yaml'), 'utf8'));
    expect(objects[0]?.kind).to.equal('Namespace');
    expect(objects[0]?.metadata.labels?.['pod-security.kubernetes.io/enforce']).to.equal('restricted');
    const namespaced = objects.filter((o) => !['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'IngressClass'].includes(o.kind));
    expect(namespaced.filter((o) => o.metadata.namespace !== 'hawser').map((o) => `${o.kind}/${o.metadata.name}`)).to.deep.equal([]);
  });

  it('keeps the chart README\'s values table identical to values.schema.json', function () {
    const committed = readFileSync(join(chartDir, 'README.md'), 'utf8');
    expect(committed === chartReadme(committed), `charts/hawser/README.md ${stale}`).to.equal(true);
  });
});
