/**
 * Worker-thread side of WorkerVerifier: decode the chip template, extract the live probe (with its
 * alternate extractions), gate on capture quality, score (verifyScore), threshold. Runs the
 * CPU-heavy matcher off the agent's event loop.
 * Biometric buffers are zeroed before the reply is posted; nothing is retained between requests.
 */
import { parentPort } from 'node:worker_threads';
import { extractProbe, verifyScore } from '../../matcher/index.ts';
import { decodeIso19794, pickView, templateFromIso } from '../../matcher/template/iso19794.ts';
import { TemplateError } from '../../matcher/types.ts';
import type { VerifyRequest, VerifyResponse } from './protocol.ts';

export function handle(req: VerifyRequest): VerifyResponse {
  const started = performance.now();
  const pixels = new Uint8Array(req.pixels);
  const iso = new Uint8Array(req.iso);
  try {
    let candidate;
    try {
      const record = decodeIso19794(iso);
      // A chip may hold both index fingers: the right index, else the left, else the first view.
      candidate = templateFromIso(record, pickView(record));
    } catch (err) {
      const message = err instanceof TemplateError ? `${err.code}: ${err.message}` : String(err);
      return { id: req.id, ok: false, code: 'INVALID_TEMPLATE', message };
    }
    let extraction;
    try {
      // The probe template plus its alternate extractions (matcher
      // PROBE_ALTERNATE_ALONG_RIDGE_SIGMAS), held only for this request.
      extraction = extractProbe({ width: req.width, height: req.height, dpi: req.dpi, pixels });
    } catch (err) {
      return { id: req.id, ok: false, code: 'INVALID_IMAGE', message: err instanceof Error ? err.message : String(err) };
    }
    const minutiae = extraction.template.minutiae.length;
    if (extraction.guidance) {
      const outcome = { decision: 'retry', guidance: extraction.guidance, quality: extraction.quality } as const;
      return { id: req.id, ok: true, outcome, ms: performance.now() - started, minutiae };
    }
    // The score the threshold table is calibrated on (matcher/threshold.ts).
    const score = verifyScore(extraction, candidate);
    const decision = score >= req.threshold ? 'match' : 'no_match';
    return { id: req.id, ok: true, outcome: { decision, score, quality: extraction.quality }, ms: performance.now() - started, minutiae };
  } finally {
    pixels.fill(0);
    iso.fill(0);
  }
}

parentPort?.on('message', (msg: VerifyRequest | { crash: true }) => {
  if ('crash' in msg) {
    // Test hook: the verifier's crash-recovery path must be exercised against a real dead thread.
    process.exit(70);
  }
  parentPort?.postMessage(handle(msg));
});
// Posted once the module graph (matcher included) has loaded, so create() fails loudly on a broken install.
parentPort?.postMessage({ ready: true });
