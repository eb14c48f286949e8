import { expect } from 'chai';
import { buildModel } from './build.ts';
import { ingress, ingressClass, options, service, snapshot } from './fixtures.ts';
import type { IngressRecord, IngressClassRecord, ModelOptions } from './types.ts';

const svc = service('ns/web').port(80).build();

function served(ing: IngressRecord, classes: IngressClassRecord[], o: Partial<ModelOptions> = {}): boolean {
  const result = buildModel(snapshot([...classes, ing, svc], false), options(o));
  return result.statuses.some((s) => s.object.name === ing.meta.name);
}

const plain = (): ReturnType<typeof ingress> => ingress('ns/a').path('/', 'Prefix', 'web', 80);

/** An Ingress without ingressClassName (the `ingress()` fixture sets `hawser`). */
class IngressBuilderless {
  #annotations: Record<string, string> = {};
  annotate(k: string, v: string): this { this.#annotations[k] = v; return this; }
  build(): IngressRecord {
    const base = plain().build();
    const { ingressClassName: _drop, ...rest } = base;
    return { ...rest, meta: { ...rest.meta, annotations: this.#annotations } };
  }
}

describe('model: which Ingresses are ours', () => {
  const cases: { name: string; ing: IngressRecord; classes: IngressClassRecord[]; o?: Partial<ModelOptions>; ours: boolean }[] = [
    { name: 'takes an Ingress whose ingressClassName names a class with our controller', ing: plain().build(), classes: [ingressClass('hawser')], ours: true },
    { name: 'ignores an Ingress whose class belongs to another controller', ing: plain().cls('nginx').build(), classes: [ingressClass('hawser'), ingressClass('nginx', 'k8s.io/ingress-nginx')], ours: false },
    { name: 'ignores an Ingress whose class does not exist', ing: plain().cls('ghost').build(), classes: [ingressClass('hawser')], ours: false },
    { name: 'honours a class of any name when its controller is ours', ing: plain().cls('public').build(), classes: [ingressClass('public')], ours: true },
    { name: 'honours --controller-class', ing: plain().cls('x').build(), classes: [ingressClass('x', 'example.com/other')], o: { controllerName: 'example.com/other' }, ours: true },
    { name: 'ignores a class-less Ingress by default', ing: new IngressBuilderless().build(), classes: [ingressClass('hawser')], ours: false },
    { name: 'takes a class-less Ingress when our class is the default class', ing: new IngressBuilderless().build(), classes: [ingressClass('hawser', undefined, true)], ours: true },
    { name: 'ignores a class-less Ingress when the default class is another controller\'s', ing: new IngressBuilderless().build(), classes: [ingressClass('hawser'), ingressClass('nginx', 'k8s.io/ingress-nginx', true)], ours: false },
    { name: 'takes a class-less Ingress with --watch-ingress-without-class', ing: new IngressBuilderless().build(), classes: [], o: { watchIngressWithoutClass: true }, ours: true },
    { name: 'honours the legacy annotation naming --ingress-class', ing: new IngressBuilderless().annotate('kubernetes.io/ingress.class', 'hawser').build(), classes: [], ours: true },
    { name: 'honours the legacy annotation naming one of our IngressClasses', ing: new IngressBuilderless().annotate('kubernetes.io/ingress.class', 'public').build(), classes: [ingressClass('public')], ours: true },
    { name: 'ignores the legacy annotation naming another class even when ours is default', ing: new IngressBuilderless().annotate('kubernetes.io/ingress.class', 'nginx').build(), classes: [ingressClass('hawser', undefined, true)], ours: false },
    { name: 'lets spec.ingressClassName win over the legacy annotation', ing: plain().cls('nginx').annotate('kubernetes.io/ingress.class', 'hawser').build(), classes: [ingressClass('hawser'), ingressClass('nginx', 'k8s.io/ingress-nginx')], ours: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(served(c.ing, c.classes, c.o)).to.equal(c.ours);
    });
  }
});
