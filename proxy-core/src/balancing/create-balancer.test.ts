import { expect } from 'chai';
import { createBalancer, parseBalance } from './create-balancer.ts';

describe('balance keyword', () => {
  const accepted: [string, string, string][] = [
    ['accepts roundrobin', 'roundrobin', 'roundrobin'],
    ['accepts static-rr (smooth round robin over a fixed list)', 'static-rr', 'static-rr'],
    ['accepts leastconn', 'leastconn', 'leastconn'],
    ['accepts random with the default two draws', 'random', 'random'],
    ['accepts random with explicit draws', 'random(3)', 'random(3)'],
    ['accepts source', 'source', 'source'],
    ['accepts hdr with a header name', 'hdr(X-Session)', 'hdr(X-Session)'],
    ['accepts first', 'first', 'first'],
  ];
  for (const [name, text, algorithm] of accepted) {
    it(name, () => {
      const r = parseBalance(text);
      expect(r.ok).to.equal(true);
      if (r.ok) expect(createBalancer(r.value).algorithm).to.equal(algorithm);
    });
  }

  const rejected: [string, string, string][] = [
    ['rejects uri', 'uri', 'PXY_ERR_BALANCE_UNKNOWN'],
    ['rejects an upper-case algorithm', 'RoundRobin', 'PXY_ERR_BALANCE_UNKNOWN'],
    ['rejects hdr without a name', 'hdr()', 'PXY_ERR_BALANCE_HDR_NAME'],
    ['rejects hdr with a space in the name', 'hdr(x y)', 'PXY_ERR_BALANCE_HDR_NAME'],
    ['rejects random(0)', 'random(0)', 'PXY_ERR_BALANCE_DRAWS'],
    ['rejects random(101)', 'random(101)', 'PXY_ERR_BALANCE_DRAWS'],
    ['rejects random with a word', 'random(two)', 'PXY_ERR_BALANCE_DRAWS'],
  ];
  for (const [name, text, code] of rejected) {
    it(name, () => {
      const r = parseBalance(text);
      expect(r.ok ? 'ok' : r.error.code).to.equal(code);
    });
  }

  it('pins the operator-facing text for an unknown algorithm', () => {
    const r = parseBalance('uri');
    expect(r.ok ? '' : r.error.message).to.equal(
      "'balance' supports 'roundrobin', 'static-rr', 'leastconn', 'random', 'random(<draws>)', 'source', 'hdr(<name>)' and 'first' (got 'uri')");
  });
});
