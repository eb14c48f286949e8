import { runConformance } from './balancing.case.test.ts';
import { createBalancer } from './create-balancer.ts';

runConformance({ name: 'roundrobin', create: (o) => createBalancer({ kind: 'roundrobin' }, o) });
runConformance({ name: 'leastconn', create: (o) => createBalancer({ kind: 'leastconn' }, o), weightTolerance: 0.1 });
runConformance({ name: 'random(2)', create: (o) => createBalancer({ kind: 'random', draws: 2 }, o), weightTolerance: 0.1 });
runConformance({ name: 'source', create: (o) => createBalancer({ kind: 'source' }, o), weightTolerance: 0.2 });
runConformance({ name: 'hdr(x-user)', create: (o) => createBalancer({ kind: 'hdr', name: 'X-User' }, o), weightTolerance: 0.2 });
runConformance({
  name: 'first',
  create: (o) => createBalancer({ kind: 'first' }, o),
  skip: [{
    reason: 'first fills servers in order: weights only decide eligibility',
    tests: ['honours weights over many picks', 'follows a weight change at once', 'gives an added server its share at once',
      'picks a server again once it is usable again'],
  }],
});
