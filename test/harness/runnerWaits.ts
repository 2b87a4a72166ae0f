import type { TransactionRunner } from '../../agent/transaction/runner.ts';
import type { TxState, TxStateName } from '../../agent/transaction/states.ts';

/** The next state of the runner that is one of `names` (state events only, not the current state). */
export function nextState(runner: TransactionRunner, names: readonly TxStateName[], timeoutMs: number, who = 'demo'): Promise<TxState> {
  return new Promise((resolve, reject) => {
    const onState = (s: TxState) => {
      if (!names.includes(s.name)) return;
      clearTimeout(timer);
      runner.off('state', onState);
      resolve(s);
    };
    const timer = setTimeout(() => {
      runner.off('state', onState);
      reject(new Error(`${who}: counter stuck in ${runner.current().name}, expected ${names.join('|')}`));
    }, timeoutMs);
    runner.on('state', onState);
  });
}

/** The current state if it is among `names`, else the next one that is. */
export function waitForState(runner: TransactionRunner, names: readonly TxStateName[], timeoutMs: number, who = 'demo'): Promise<TxState> {
  const s = runner.current();
  return names.includes(s.name) ? Promise.resolve(s) : nextState(runner, names, timeoutMs, who);
}

/** Resolves with the next state name or notice code, whichever the runner emits first. */
export function nextReaction(runner: TransactionRunner, timeoutMs: number, who = 'demo'): Promise<string> {
  return new Promise((resolve, reject) => {
    const done = (what: string) => {
      clearTimeout(timer);
      runner.off('state', onState);
      runner.off('notice', onNotice);
      resolve(what);
    };
    const onState = (s: TxState) => done(s.name);
    const onNotice = (code: string) => done(code);
    const timer = setTimeout(() => {
      runner.off('state', onState);
      runner.off('notice', onNotice);
      reject(new Error(`${who}: no reaction in ${runner.current().name}`));
    }, timeoutMs);
    runner.on('state', onState);
    runner.on('notice', onNotice);
  });
}

/** The counter's current state if it is among `names`, else the next one that is (tests' default: a minute). */
export function untilState(sim: { readonly counter: { readonly runner: TransactionRunner } }, names: readonly TxStateName[], timeoutMs = 60_000): Promise<TxState> {
  return waitForState(sim.counter.runner, names, timeoutMs, 'test');
}
