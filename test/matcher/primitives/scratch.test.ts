import t from 'tap';
import { borrowFloat32, borrowUint8, scrubScratch } from '../../../matcher/primitives/scratch.ts';

t.test('a kept buffer is lent again, and scrubScratch zeroes what a failed borrower left in it', async (t) => {
  const first = borrowUint8('test.scratch', 64);
  first.fill(7, 0, 64);
  const again = borrowUint8('test.scratch', 32);
  t.equal(again.buffer, first.buffer, 'the same slot lends the same memory');
  t.equal(again[5], 7, 'a borrower that did not zero leaves its data for the next one');
  const other = borrowFloat32('test.scratch.other', 8);
  other.fill(1.5);
  scrubScratch();
  t.ok(borrowUint8('test.scratch', 64).every((v) => v === 0), 'scrubbed: no trace of the last print');
  t.ok(borrowFloat32('test.scratch.other', 8).every((v) => v === 0), 'every slot is scrubbed');
});

t.test('requests above the kept size get a fresh buffer that is not kept', async (t) => {
  const big = borrowUint8('test.scratch.big', (16 << 20) + 1);
  big[0] = 1;
  t.not(borrowUint8('test.scratch.big', (16 << 20) + 1).buffer, big.buffer);
});
