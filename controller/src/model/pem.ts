/**
 * PEM normalisation. A certificate reaches the proxy as a `<<` payload, which ends at the first
 * empty line: a Secret holding an empty line (or anything but PEM) could otherwise end the
 * payload early and have the rest read as commands. So the payload is rebuilt from the decoded
 * structure: only BEGIN/END lines and base64 lines of 64 characters, nothing the user wrote
 * between blocks survives.
 */

const MAX_PEM_INPUT = 256 * 1024;
const BLOCK = /-----BEGIN ([A-Z0-9 ]{1,40})-----([\s\S]*?)-----END \1-----/g;
const KEY_LABELS = new Set(['PRIVATE KEY', 'RSA PRIVATE KEY', 'EC PRIVATE KEY']);

interface Block { readonly label: string; readonly body: string }

function blocks(text: string): Block[] | undefined {
  if (text.length > MAX_PEM_INPUT) return undefined;
  const out: Block[] = [];
  for (const m of text.matchAll(BLOCK)) {
    const label = m[1] ?? '';
    const body = (m[2] ?? '').replace(/[\r\n\t ]/g, '');
    if (body.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(body) || body.length % 4 !== 0) return undefined;
    out.push({ label, body });
  }
  return out;
}

function render(b: Block): string {
  const lines = b.body.match(/.{1,64}/g) ?? [];
  return [`-----BEGIN ${b.label}-----`, ...lines, `-----END ${b.label}-----`].join('\n');
}

/**
 * The payload for `set ssl cert`: the certificate chain (in the Secret's order) then the key.
 * Returns undefined when tls.crt holds no CERTIFICATE or tls.key not exactly one private key.
 */
export function normalisePem(tlsCrt: string, tlsKey: string): string | undefined {
  const crt = blocks(tlsCrt);
  const key = blocks(tlsKey);
  if (crt === undefined || key === undefined) return undefined;
  const certs = crt.filter((b) => b.label === 'CERTIFICATE');
  const keys = key.filter((b) => KEY_LABELS.has(b.label));
  if (certs.length === 0 || keys.length !== 1 || keys[0] === undefined) return undefined;
  return [...certs, keys[0]].map(render).join('\n');
}
