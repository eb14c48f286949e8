/**
 * What the configuration names but does not hold: route maps (`route-map <name>`), crt-lists and
 * default certificates (`bind … ssl crt <name> crt-list <name>`). Maps and crt-lists start empty
 * and fill through the runtime API. A default certificate is read from the file of that name
 * when there is one (relative to the configuration file, as HAProxy does), else a self-signed
 * stand-in is made so that handshakes for unknown names still complete; each stand-in is
 * logged and counted, and `set ssl cert <name>` + `commit ssl cert <name>` replaces it.
 */
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import type { CertStore } from '../certs/cert-store.ts';
import { parsePemBundle } from '../certs/pem.ts';
import type { Logger } from '../log.ts';
import type { MapStore } from '../maps/map-store.ts';
import type { Model } from '../model/model.ts';
import { selfSignedCertificate } from '../tls/self-signed.ts';

export interface DeclareOptions {
  readonly model: Model;
  readonly maps: MapStore;
  readonly certs: CertStore;
  readonly configFile: string;
  readonly logger: Logger;
  /** A fallback taken (reason: `self-signed-default-certificate`), for metrics. */
  readonly onFallback: (reason: string) => void;
}

async function readPem(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

export async function declareFromConfig(o: DeclareOptions): Promise<void> {
  for (const p of o.model.proxies()) {
    if (p.routeMap !== null) o.maps.declare(p.routeMap, { display: `route map of frontend '${p.name}'` });
    for (const l of p.listeners) {
      if (l.ssl === null) continue;
      if (l.ssl.crtList !== null) o.certs.declareCrtList(l.ssl.crtList);
      const name = l.ssl.crt;
      if (name === null) continue;
      const loaded = o.certs.cert(name)?.data;
      if (loaded !== undefined) {
        // Another bind already loaded it: count this bind as one more user.
        o.certs.loadCertificate(name, loaded, { bindDefault: true });
        continue;
      }
      const path = isAbsolute(name) ? name : join(dirname(o.configFile), name);
      const text = await readPem(path);
      if (text !== null) {
        const parsed = parsePemBundle(text);
        if (!parsed.ok) throw new Error(`unable to load SSL certificate from PEM file '${path}': ${parsed.reason}`);
        o.certs.loadCertificate(name, parsed.data, { bindDefault: true });
        continue;
      }
      const pair = await selfSignedCertificate();
      const parsed = parsePemBundle(pair.cert + pair.key);
      if (!parsed.ok) throw new Error(`stand-in certificate: ${parsed.reason}`);
      o.certs.loadCertificate(name, parsed.data, { bindDefault: true });
      o.onFallback('self-signed-default-certificate');
      o.logger.warn({ certificate: name, frontend: p.name }, 'no certificate file of that name: serving a self-signed stand-in until one is set through the runtime API');
    }
  }
}
