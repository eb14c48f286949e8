/**
 * Which Ingresses are ours. Precedence follows the API: spec.ingressClassName first; then the
 * deprecated `kubernetes.io/ingress.class` annotation; then class-less Ingresses, which are ours
 * when one of our IngressClasses is the default class or --watch-ingress-without-class is set.
 */
import type { IngressClassRecord, IngressRecord, ModelOptions } from './types.ts';

export const LEGACY_CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

export interface ClassSelector {
  isOurs(ingress: IngressRecord): boolean;
}

export function classSelector(classes: readonly IngressClassRecord[], options: ModelOptions): ClassSelector {
  const ours = classes.filter((c) => c.controller === options.controllerName);
  const ourNames = new Set(ours.map((c) => c.meta.name));
  const defaultIsOurs = ours.some((c) => c.isDefault);
  return {
    isOurs(ingress) {
      if (ingress.ingressClassName !== undefined && ingress.ingressClassName !== '') {
        return ourNames.has(ingress.ingressClassName);
      }
      const legacy = ingress.meta.annotations[LEGACY_CLASS_ANNOTATION];
      if (legacy !== undefined) {
        return legacy === options.ingressClass || ourNames.has(legacy);
      }
      return defaultIsOurs || options.watchIngressWithoutClass;
    },
  };
}
