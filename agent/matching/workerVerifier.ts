import { Worker } from 'node:worker_threads';
import type { FingerImage } from '../../drivers/fingerprint/types.ts';
import { silentLogger } from '../../drivers/logger.ts';
import type { Logger } from '../../drivers/logger.ts';
import { MATCHER_VERSION, thresholdForFmr } from '../../matcher/threshold.ts';
import type { VerifyRequest, VerifyResponse } from './protocol.ts';
import { MatchingError } from './types.ts';
import type { Verifier, VerifyOutcome } from './types.ts';

interface Pending {
  resolve(outcome: VerifyOutcome): void;
  reject(err: Error): void;
  cleanup(): void;
}

// Beside this module: worker.js in dist/ on the appliance, worker.ts in a source checkout.
const WORKER_URL = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);

/**
 * Verifier backed by one long-lived worker thread running the project's matcher. Requests carry
 * ids so replies can be matched; an aborted request rejects at once with CANCELED and its late
 * reply is dropped. If the thread dies, every pending request rejects with WORKER_CRASHED and a
 * fresh thread is started for the next request.
 */
export class WorkerVerifier implements Verifier {
  readonly #fmr: number;
  readonly #threshold: number;
  readonly #log: Logger;
  readonly #pending = new Map<number, Pending>();
  #worker: Worker;
  #nextId = 1;
  #closed = false;

  private constructor(fmr: number, threshold: number, log: Logger, worker: Worker) {
    this.#fmr = fmr;
    this.#threshold = threshold;
    this.#log = log;
    this.#worker = worker;
    this.#attach(worker);
  }

  static async create(opts: { fmr: number; logger?: Logger }): Promise<WorkerVerifier> {
    const threshold = thresholdForFmr(opts.fmr);
    const log = (opts.logger ?? silentLogger).child({ module: 'matching' });
    const worker = await spawn();
    log.info({ fmr: opts.fmr, threshold, version: MATCHER_VERSION }, 'matcher worker started');
    return new WorkerVerifier(opts.fmr, threshold, log, worker);
  }

  describe() {
    return { matcher: 'ektp-matcher', version: MATCHER_VERSION, fmr: this.#fmr, threshold: this.#threshold } as const;
  }

  verify(image: FingerImage, isoTemplate: Uint8Array, opts: { signal?: AbortSignal } = {}): Promise<VerifyOutcome> {
    if (this.#closed) return Promise.reject(new MatchingError('CLOSED', 'verifier is closed'));
    const signal = opts.signal;
    if (signal?.aborted) return Promise.reject(canceled(signal));
    if (!(image?.pixels instanceof Uint8Array) || !(isoTemplate instanceof Uint8Array)) {
      return Promise.reject(new MatchingError('INVALID_IMAGE', 'image pixels and template must be Uint8Array'));
    }
    const id = this.#nextId++;
    // Copies are transferred, so the only other holders are the caller's own arrays.
    const pixels = image.pixels.slice().buffer;
    const iso = isoTemplate.slice().buffer;
    const req: VerifyRequest = { id, width: image.width, height: image.height, dpi: image.dpi, pixels, iso, threshold: this.#threshold };
    return new Promise<VerifyOutcome>((resolve, reject) => {
      const onAbort = () => {
        this.#pending.delete(id);
        reject(canceled(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#pending.set(id, { resolve, reject, cleanup: () => signal?.removeEventListener('abort', onAbort) });
      this.#worker.postMessage(req, [pixels, iso]);
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#failAll(new MatchingError('CLOSED', 'verifier closed while a verification was running'));
    await this.#worker.terminate();
  }

  /** Test hook: kill the worker thread as a crash would. */
  crashWorkerForTest(): void {
    this.#worker.postMessage({ crash: true });
  }

  #attach(worker: Worker): void {
    worker.on('message', (res: VerifyResponse | { ready: true }) => {
      if ('id' in res) this.#onResponse(res);
    });
    worker.on('error', (err) => this.#log.error({ err }, 'matcher worker error'));
    worker.on('exit', (code) => {
      if (this.#closed || worker !== this.#worker) return;
      this.#log.error({ code }, 'matcher worker exited; restarting');
      this.#failAll(new MatchingError('WORKER_CRASHED', `matcher worker exited with code ${code}`, { retryable: true, detail: { code } }));
      this.#worker = newWorker();
      this.#attach(this.#worker);
    });
  }

  #onResponse(res: VerifyResponse): void {
    const pending = this.#pending.get(res.id);
    if (!pending) return;
    this.#pending.delete(res.id);
    pending.cleanup();
    if (res.ok) {
      const o = res.outcome;
      this.#log.debug(
        { decision: o.decision, score: 'score' in o ? o.score : undefined, quality: o.quality, minutiae: res.minutiae, ms: Math.round(res.ms) },
        'verification done',
      );
      pending.resolve(o);
    } else {
      pending.reject(new MatchingError(res.code, res.message));
    }
  }

  #failAll(err: MatchingError): void {
    const all = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of all) {
      p.cleanup();
      p.reject(err);
    }
  }
}

function canceled(signal: AbortSignal | undefined): MatchingError {
  return new MatchingError('CANCELED', 'verification canceled', { cause: signal?.reason });
}

/**
 * On the appliance the worker is compiled JavaScript and starts as is. In a source checkout it is
 * a .ts file: `execArgv: ['--import', 'tsx']` does not register tsx's hooks inside a worker on
 * Node 20 (ERR_UNKNOWN_FILE_EXTENSION), so a two-line bootstrap registers tsx (a development
 * dependency) through its API and then imports the worker. Absolute URLs keep it independent of
 * the working directory, and it works the same under `node --import tsx` and under tap.
 */
function newWorker(): Worker {
  if (!WORKER_URL.pathname.endsWith('.ts')) return new Worker(WORKER_URL);
  const api = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const entry = JSON.stringify(WORKER_URL.href);
  const bootstrap = `import(${api}).then((tsx) => { tsx.register(); return import(${entry}); });`;
  return new Worker(bootstrap, { eval: true });
}

function spawn(): Promise<Worker> {
  const worker = newWorker();
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const onMessage = (msg: unknown) => {
      if (typeof msg === 'object' && msg !== null && 'ready' in msg) {
        cleanup();
        resolve(worker);
      }
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const onExit = (code: number) => {
      cleanup();
      reject(new Error(`matcher worker exited with code ${code} while starting`));
    };
    worker.on('message', onMessage);
    worker.once('error', onError);
    worker.once('exit', onExit);
  });
}
