/**
 * Extraction golden check and per-stage CPU profile (development tool, not a test).
 *
 *   node --import tsx scripts/matcher-golden.ts [--rounds N] [--json OUT.json] [--stages] [DIR...]
 *
 * Extracts every image of the FVC2002 B sets and the libfprint captures (or DIR...) and prints:
 * - `golden`: one SHA-256 over every template (size, minutiae x, y, direction, type, quality),
 *   quality and guidance per image. Any speed work on extraction must keep it unchanged.
 * - with `--stages`, `stages`: one SHA-256 over every traced intermediate (typed arrays, minutia
 *   lists), a stricter check that localizes a change to the first stage that differs.
 * - CPU per extraction (median over images of each image's best-of-N rounds) per set, and CPU per
 *   stage (sum over the images of each image's best-of-N), measured between consecutive trace
 *   keys so the timed code is exactly `extract()`.
 * Templates are biometric data: only hashes and timings are printed or written.
 */
import { createHash } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extract } from '../matcher/extract.ts';
import type { Extraction, GrayImage, Trace } from '../matcher/types.ts';
import { dpiForSet, listSet, loadGrayImage } from './bench-matcher.ts';

const ROOT = fileURLToPath(new URL('../../shared/fingerprints/', import.meta.url));
const DEFAULT_SETS = ['fvc2002-db1b', 'fvc2002-db2b', 'fvc2002-db3b', 'fvc2002-db4b', 'libfprint-captures'].map((s) => join(ROOT, s));
/** Stage keys in recipe order; a stage's time runs from the previous key to its own. */
const KEYS = [
  'scaled-image',
  'block-statistics',
  'orientation-field',
  'segmentation-mask',
  'ridge-frequency',
  'enhanced-image',
  'binarized-image',
  'skeleton',
  'detected-minutiae',
  'inner-minutiae',
  'skeleton-filtered-minutiae',
  'skeleton-artefact-minutiae',
  'unbroken-minutiae',
  'declustered-minutiae',
  'top-minutiae',
  'placed-minutiae',
  'capture-quality',
];

interface Image {
  readonly set: string;
  readonly name: string;
  readonly image: GrayImage;
}

function listImages(dir: string): Image[] {
  const set = dir.replace(/\/+$/, '').split('/').pop() ?? dir;
  const dpi = dpiForSet(dir);
  const files = listSet(dir).map((i) => i.file);
  // Sets without the FVC naming (libfprint captures): every PNG, sorted.
  const all = files.length > 0 ? files : readdirSync(dir).filter((f) => /\.(png|tiff?)$/i.test(f)).sort().map((f) => join(dir, f));
  return all.map((file) => ({ set, name: file.split('/').pop() ?? file, image: loadGrayImage(file, dpi) }));
}

function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/** Stage CPU (us) of one extraction; the last slot is the total. */
function timedExtract(image: GrayImage): { result: Extraction; stages: Float64Array } {
  const stages = new Float64Array(KEYS.length + 1);
  const start = cpuMicros();
  let last = start;
  const trace: Trace = {
    accepts(key: string): boolean {
      const now = cpuMicros();
      const k = KEYS.indexOf(key);
      if (k >= 0) stages[k] += now - last;
      last = cpuMicros();
      return false;
    },
    take(): void {},
  };
  const result = extract(image, { trace });
  const end = cpuMicros();
  stages[KEYS.length] = end - start;
  return { result, stages };
}

function hashExtraction(h: ReturnType<typeof createHash>, img: Image, r: Extraction): void {
  const t = r.template;
  h.update(`${img.set}/${img.name} ${t.width}x${t.height} q=${r.quality} g=${r.guidance ?? '-'} n=${t.minutiae.length}\n`);
  const f = new Float64Array(1);
  for (const m of t.minutiae) {
    f[0] = m.direction;
    h.update(`${m.x},${m.y},${m.type},${m.quality},`);
    h.update(new Uint8Array(f.buffer));
  }
}

function hashPayload(h: ReturnType<typeof createHash>, key: string, data: unknown): void {
  h.update(key);
  const visit = (v: unknown): void => {
    if (ArrayBuffer.isView(v)) h.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    else if (Array.isArray(v)) for (const e of v) visit(e);
    else if (v !== null && typeof v === 'object') {
      for (const k of Object.keys(v).sort()) {
        h.update(k);
        visit((v as Record<string, unknown>)[k]);
      }
    } else if (typeof v === 'number') {
      const f = new Float64Array([v]);
      h.update(new Uint8Array(f.buffer));
    } else h.update(String(v));
  };
  visit(data);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function main(argv: string[]): void {
  let rounds = 3;
  let json: string | undefined;
  let stagesHash = false;
  const dirs: string[] = [];
  for (let k = 0; k < argv.length; k++) {
    if (argv[k] === '--rounds') rounds = Number(argv[++k]);
    else if (argv[k] === '--json') json = argv[++k];
    else if (argv[k] === '--stages') stagesHash = true;
    else dirs.push(argv[k]);
  }
  const images = (dirs.length > 0 ? dirs : DEFAULT_SETS).flatMap(listImages);

  const golden = createHash('sha256');
  for (const img of images) hashExtraction(golden, img, extract(img.image));
  const goldenHex = golden.digest('hex');
  console.log(`golden ${goldenHex} (${images.length} images)`);

  let stagesHex: string | undefined;
  if (stagesHash) {
    const h = createHash('sha256');
    for (const img of images) {
      h.update(`${img.set}/${img.name}`);
      extract(img.image, { trace: { accepts: () => true, take: (key, data) => hashPayload(h, key, data) } });
    }
    stagesHex = h.digest('hex');
    console.log(`stages ${stagesHex}`);
  }

  // Best of N rounds per image: the machine is shared, the minimum is the least disturbed.
  const best: Float64Array[] = images.map(() => new Float64Array(KEYS.length + 1).fill(Infinity));
  for (let round = 0; round < rounds; round++) {
    images.forEach((img, k) => {
      const { stages } = timedExtract(img.image);
      if (stages[KEYS.length] < best[k][KEYS.length]) best[k] = stages;
    });
  }
  const sets = [...new Set(images.map((i) => i.set))];
  const report: Record<string, unknown> = { golden: goldenHex, stages: stagesHex, rounds, sets: {} };
  for (const set of sets) {
    const idx = images.map((img, k) => (img.set === set ? k : -1)).filter((k) => k >= 0);
    const totals = idx.map((k) => best[k][KEYS.length] / 1000);
    const perStage = KEYS.map((key, s) => ({ key, medianMs: median(idx.map((k) => best[k][s] / 1000)) }));
    (report.sets as Record<string, unknown>)[set] = { images: idx.length, medianMs: median(totals), perStage };
    console.log(`\n${set}: ${idx.length} images, extract CPU median ${median(totals).toFixed(2)} ms`);
    for (const { key, medianMs } of perStage) console.log(`  ${key.padEnd(28)} ${medianMs.toFixed(3)} ms`);
  }
  const all = images.map((_, k) => k);
  console.log(`\nall: CPU per stage summed over ${all.length} images (ms)`);
  for (let s = 0; s <= KEYS.length; s++) {
    const total = all.reduce((acc, k) => acc + best[k][s], 0) / 1000;
    console.log(`  ${(KEYS[s] ?? 'TOTAL').padEnd(28)} ${total.toFixed(1)}`);
  }
  if (json) writeFileSync(json, JSON.stringify(report, null, 2));
}

main(process.argv.slice(2));
