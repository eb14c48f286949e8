import { expect } from 'chai';
import { splitReplies } from './unix-transport.ts';

describe('splitting non-interactive replies', () => {
  const cases: [string, string, number, string[]][] = [
    ['reads silent successes as empty replies', '\n\n', 2, ['', '']],
    ['keeps a reply\'s own final newline', 'New server registered.\n\n', 1, ['New server registered.\n']],
    ['splits a batch of mixed replies in order', '\nNo such server.\n\n1 (initial 1)\n\n', 3, ['', 'No such server.\n', '1 (initial 1)\n']],
    ['keeps multi-line replies whole', '1\n# be_id be_name\n3 test 2 d1\n\n', 1, ['1\n# be_id be_name\n3 test 2 d1\n']],
    ['returns what arrived when the stream was cut short', 'Server deleted.\n', 2, ['Server deleted.\n', '']],
  ];
  for (const [name, stream, n, want] of cases) it(name, () => expect(splitReplies(stream, n)).to.deep.equal(want));
});
