import t from 'tap';
import { WorkerVerifier } from '../../../agent/matching/workerVerifier.ts';
import { MatchingError } from '../../../agent/matching/types.ts';
import { extract } from '../../../matcher/extract.ts';
import { generateMasterPrint, renderBadFrame, renderImpression } from '../../../matcher/synth/index.ts';
import { encodeIso19794, isoFromTemplate } from '../../../matcher/template/iso19794.ts';
import { thresholdForFmr } from '../../../matcher/threshold.ts';

t.test('WorkerVerifier', async (t) => {
  const finger = generateMasterPrint(21);
  const other = generateMasterPrint(22);
  const enrolled = extract(renderImpression(finger, 1));
  const iso = encodeIso19794(isoFromTemplate(enrolled.template, { fingerPosition: 2, quality: enrolled.quality }));
  const live = renderImpression(finger, 2);
  const stranger = renderImpression(other, 2);
  const verifier = await WorkerVerifier.create({ fmr: 1e-4 });
  t.teardown(() => verifier.close());

  t.test('describes the matcher and the threshold derived from the FMR', async (t) => {
    const d = verifier.describe();
    t.equal(d.fmr, 1e-4);
    t.equal(d.threshold, thresholdForFmr(1e-4));
    // semver + build metadata: the digest of the scoring code (matcher/version.ts)
    t.match(d.version, /^\d+\.\d+\.\d+\+[0-9a-f]{12}$/);
  });

  t.test('matches a live capture of the enrolled finger', async (t) => {
    const out = await verifier.verify(live, iso);
    t.equal(out.decision, 'match');
  });

  t.test('does not match another finger', async (t) => {
    const out = await verifier.verify(stranger, iso);
    t.equal(out.decision, 'no_match');
  });

  t.test('asks for a retry with guidance instead of judging a bad capture', async (t) => {
    const out = await verifier.verify(renderBadFrame('blank', 1), iso);
    t.same(out, { decision: 'retry', guidance: 'NO_FINGER', quality: 0 });
  });

  t.test('leaves the caller buffers intact and keeps no reference to them', async (t) => {
    const pixels = live.pixels.slice();
    const bytes = iso.slice();
    await verifier.verify({ ...live, pixels }, bytes);
    t.same(pixels, live.pixels);
    t.same(bytes, iso);
  });

  t.test('rejects a malformed template with INVALID_TEMPLATE', async (t) => {
    await t.rejects(verifier.verify(live, new Uint8Array([1, 2, 3, 4])), { name: 'MatchingError', code: 'INVALID_TEMPLATE', retryable: false });
  });

  t.test('rejects a structurally invalid image with INVALID_IMAGE', async (t) => {
    await t.rejects(verifier.verify({ width: 10, height: 10, dpi: 500, pixels: new Uint8Array(3) }, iso), { code: 'INVALID_IMAGE' });
  });

  t.test('rejects with CANCELED when the signal aborts, and keeps serving', async (t) => {
    const before = new AbortController();
    before.abort();
    await t.rejects(verifier.verify(live, iso, { signal: before.signal }), { code: 'CANCELED' });
    const during = new AbortController();
    const pending = verifier.verify(live, iso, { signal: during.signal });
    during.abort();
    await t.rejects(pending, { code: 'CANCELED' });
    t.equal((await verifier.verify(live, iso)).decision, 'match');
  });

  t.test('rejects in-flight requests with WORKER_CRASHED when the thread dies, then restarts it', async (t) => {
    // The crash message is queued ahead of the request, so the thread dies with it in flight.
    verifier.crashWorkerForTest();
    await t.rejects(verifier.verify(live, iso), { name: 'MatchingError', code: 'WORKER_CRASHED', retryable: true });
    t.equal((await verifier.verify(live, iso)).decision, 'match', 'a fresh worker serves the next request');
  });

  t.test('rejects with CLOSED after close', async (t) => {
    const v = await WorkerVerifier.create({ fmr: 1e-3 });
    await v.close();
    await v.close();
    const err = await v.verify(live, iso).catch((e: unknown) => e);
    t.ok(err instanceof MatchingError);
    t.match(err, { code: 'CLOSED' });
  });

  t.test('refuses an invalid FMR at creation', async (t) => {
    await t.rejects(WorkerVerifier.create({ fmr: 0 }), RangeError);
  });
});
