import t from 'tap';
import { DisplayPresenter } from '../../../agent/display/presenter.ts';
import type { TxState } from '../../../agent/transaction/states.ts';
import { SimDisplay } from '../../../drivers/display/sim.ts';
import type { Logger } from '../../../drivers/logger.ts';

function logger(errors: string[]): Logger {
  const l: Logger = {
    debug() {},
    info() {},
    warn() {},
    error: (o: object) => void errors.push((o as { code: string }).code),
    child: () => l,
  };
  return l;
}

t.test('DisplayPresenter keeps the screen in step with state, notices and faults', async (t) => {
  const display = new SimDisplay();
  await display.open();
  let state: TxState = { name: 'IDLE' };
  const errors: string[] = [];
  const p = new DisplayPresenter(display, { current: () => state, waiting: () => 2, maxAttempts: 4 }, logger(errors));
  p.onState();
  await p.settled();
  t.equal(display.lines()[0].trimEnd(), 'SIAP');
  t.equal(display.lines()[1].trimEnd(), 'Menunggu: 2 orang');

  p.onFault('PAPER_OUT');
  await p.settled();
  t.equal(display.lines()[1].trimEnd(), 'Kertas printer');

  state = { name: 'CALLED', tx: { id: 'x', ticketId: 1, residentId: 1, queueNumber: 'B-007', startedAt: '' }, calls: 1 };
  p.onNotice('CARD_MISMATCH');
  await p.settled();
  t.same(display.lines().map((l) => l.trimEnd()), ['DIPANGGIL      B-007', 'Bukan KTP-el nomor', 'yang dipanggil.', 'Ganti kartu.'], 'the newest notice wins, three rows');
  // A state change ends the notice; the printer fault is still there until it recovers.
  p.onState();
  await p.settled();
  t.equal(display.lines()[1].trimEnd(), 'Kertas printer');
  p.onRecovered();
  await p.settled();
  t.same(display.lines().map((l) => l.trimEnd()), ['DIPANGGIL      B-007', 'Minta nomor antrean', 'Letakkan KTP-el di', 'pembaca kartu']);
  t.same(p.lines().map((l) => l.trimEnd()), display.lines().map((l) => l.trimEnd()), 'the console reads the same lines');
});

t.test('a failing display is logged once per code and never throws into the counter', async (t) => {
  const display = new SimDisplay();
  await display.open();
  const errors: string[] = [];
  const p = new DisplayPresenter(display, { current: () => ({ name: 'IDLE' }), waiting: () => 0, maxAttempts: 4 }, logger(errors));
  display.failNext('DISPLAY_IO');
  p.onState();
  await p.settled();
  await display.close();
  p.onState();
  p.onState();
  await p.settled();
  t.same(errors, ['DISPLAY_IO'], 'closed display: same code, logged once');
});
