/**
 * Builds the model from a parsed configuration in one writer section. The parser already
 * checked every GUID, name and ID against the whole file, so nothing here can fail on input.
 * HAProxy order: proxies get IDs in declaration order; forced server IDs are reserved before
 * automatic ones are handed out (lowest free), servers keep their declaration order.
 */
import { Model } from '../model/model.ts';
import type { ModelOptions } from '../model/model.ts';
import { Listener, Proxy } from '../model/proxy.ts';
import type { ParsedConfig } from './types.ts';

export function buildModel(cfg: ParsedConfig, opts: ModelOptions = {}): Model {
  const model = new Model(opts);
  model.write(() => {
    for (const d of cfg.defaults) {
      if (d.name !== '') model.defaults.set(d.name, { name: d.name, settings: d.settings });
    }
    const backends = new Map<string, Proxy>();
    for (const pc of cfg.proxies) {
      const p = new Proxy(pc.name, pc.cap, pc.settings);
      p.file = cfg.file;
      p.line = pc.line;
      p.defaultBackend = pc.defaultBackend;
      p.routeMap = pc.routeMap;
      model.addProxy(p);
      if (pc.guid !== null) model.insertGuid(p, pc.guid);
      if (p.isBackend) backends.set(p.name, p);
      for (const sc of pc.servers) if (sc.settings.id !== null) p.serverIds.take(sc.settings.id);
      for (const sc of pc.servers) model.addServer(p, sc.name, sc.settings, false).line = sc.line;
      let luid = 1;
      for (const b of pc.binds) {
        const guids = cfg.listenerGuids.get(b) ?? [];
        const ssl = b.ssl ? { crt: b.crt, crtList: b.crtList } : null;
        b.addresses.forEach((a, i) => {
          const l = new Listener(p, a.host, a.port, cfg.file, b.line, luid++, ssl);
          model.addListener(l);
          const key = guids[i];
          if (key !== undefined) model.insertGuid(l, key);
        });
      }
      if (p.isFrontend) model.publishFrontend(p);
    }
    for (const p of model.proxies()) {
      if (p.defaultBackend === null) continue;
      const be = backends.get(p.defaultBackend);
      if (be !== undefined && be !== p) be.referenced = true;
    }
  });
  return model;
}
