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
  t.equal(summary.cardPath, 'pcsc');
  t.ok(summary.reconciliation.ok, summary.reconciliation.problems.join('; '));
  for (const kind of ['berhasil_first_try', 'gagal_fingerprint', 'dispute_agrees', 'dispute_differs', 'card_unreadable'] as const) {
    t.ok((summary.outcomes[kind] ?? 0) >= 1, `${kind} happened through PC/SC`);
  }
});
