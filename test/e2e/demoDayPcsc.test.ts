import t from 'tap';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runDay } from '../harness/runDay.ts';

// The same scripted day, with every e-KTP read through a real pcscd + vpcd, the PC/SC driver,
// the development SAM and secure messaging (root and the Debian packages, as in CI).
t.test('demo day with cards read through pcscd and vpcd', async (t) => {
  const out = t.testdir();
  mkdirSync(join(out, 'slips'));
  const summary = await runDay({ residents: 10, seed: 2, out, cardPath: 'pcsc' });
  // vpcd's own witness, not the path this test asked for: the virtual chips answer only what
  // vpcd (inside pcscd) sends them, so every card put on the reader must have seen APDUs.
  // Ten residents: nine put their card on the reader (the no-show does not), one of them a
  // stranger's card first.
  const seen = summary.vpcd;
  t.ok(seen, 'vpcd saw the day');
  if (seen) {
    t.comment(`vpcd: ${JSON.stringify(seen)}`);
    t.ok(seen.inserted >= 9, `${seen.inserted} cards put on the reader`);
    t.equal(seen.answered, seen.inserted, 'pcscd sent APDUs to every card put on the reader');
    // A chip read with secure messaging is a dozen commands and more (SELECT, key agreement, reads).
    t.ok(seen.apdus >= 12 * seen.answered, `${seen.apdus} APDUs through pcscd`);
  }
  t.ok(summary.reconciliation.ok, summary.reconciliation.problems.join('; '));
  for (const kind of ['berhasil_first_try', 'gagal_fingerprint', 'dispute_agrees', 'dispute_differs', 'card_unreadable'] as const) {
    t.ok((summary.outcomes[kind] ?? 0) >= 1, `${kind} happened through PC/SC`);
  }
});
