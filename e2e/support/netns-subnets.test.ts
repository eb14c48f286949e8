import { expect } from 'chai';
import { blockAddresses, blockOverlaps, parseIpv4Cidrs, BLOCK_COUNT } from './netns-subnets.ts';

const ipOutput = [
  '1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever',
  '2: eth0    inet 192.0.2.2/24 brd 192.0.2.255 scope global eth0\\       valid_lft forever',
  '7: hwsh3    inet 10.250.0.13/30 scope global hwsh3\\       valid_lft forever',
].join('\n');

describe('netns subnets', function () {
  const addressCases: Array<[string, number, { host: string; backend: string }]> = [
    ['gives block 0 the addresses 10.250.0.1 and 10.250.0.2', 0, { host: '10.250.0.1', backend: '10.250.0.2' }],
    ['gives block 64 the first addresses of 10.250.1.0', 64, { host: '10.250.1.1', backend: '10.250.1.2' }],
    ['gives the last block the end of 10.250.255.0', BLOCK_COUNT - 1, { host: '10.250.255.253', backend: '10.250.255.254' }],
  ];
  for (const [name, index, expected] of addressCases) {
    it(name, function () {
      expect(blockAddresses(index)).to.deep.equal(expected);
    });
  }

  it('rejects a block index past the end of 10.250.0.0/16', function () {
    expect(() => blockAddresses(BLOCK_COUNT)).to.throw(RangeError, 'block index 16384 is outside 0..16383');
  });

  it('reads every IPv4 network from `ip -4 -o addr show`', function () {
    expect(parseIpv4Cidrs(ipOutput).map((c) => c.prefix)).to.deep.equal([8, 24, 30]);
  });

  const overlapCases: Array<[string, number, string, boolean]> = [
    ['sees a block taken by an address inside it', 3, '10.250.0.13/30', true],
    ['sees a neighbouring block as free', 4, '10.250.0.13/30', false],
    ['sees every block inside a wider network as taken', 100, '10.250.0.0/16', true],
    ['sees blocks as free next to unrelated networks', 100, '192.0.2.2/24', false],
  ];
  for (const [name, index, cidr, expected] of overlapCases) {
    it(name, function () {
      expect(blockOverlaps(index, parseIpv4Cidrs(`inet ${cidr} scope global x`))).to.equal(expected);
    });
  }
});
