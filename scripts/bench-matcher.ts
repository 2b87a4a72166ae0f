/**
 * Matcher benchmark (not a test): FVC protocol on folders of `<finger>_<impression>.png|tif`.
 *
 *   npm run bench:matcher -- [--json OUT.json] [--plot OUT.png] [--dpi N] DIR...
 *
 * Per set: 280 genuine pairs (each impression vs every later impression of the same finger;
 * template = earlier, probe = later), the 45 FVC impostor pairs (first impressions) and the
 * extended 2,880 impostor pairs (every impression vs every impression of every other finger, each
 * pair once). Rates in OUT.json are fractions on the 2,880-pair set. Resolution: `--dpi N` for
 * every DIR, else the known table below by folder name, else 500 (PNG and the FVC TIFFs carry no
 * usable dpi). The pooled impostor scores give the threshold <-> FMR table for threshold.ts.
 */
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { PNG } from 'pngjs';
import { extract } from '../matcher/extract.ts';
import { compare } from '../matcher/compare.ts';
import type { GrayImage, Template } from '../matcher/types.ts';

/** The part of utif (untyped CommonJS) used here: the FVC originals are 8-bit TIFFs. */
interface Utif {
  decode(bytes: Uint8Array): { width: number; height: number }[];
  decodeImage(bytes: Uint8Array, ifd: { width: number; height: number }): void;
  toRGBA8(ifd: { width: number; height: number }): Uint8Array;
}
const UTIF = createRequire(import.meta.url)('utif') as Utif;

/** Resolution of the FVC2002 sets as published (fingerprints/README.md). */
export const KNOWN_DPI: Readonly<Record<string, number>> = { 'fvc2002-db2b': 569 };

export function dpiForSet(dir: string): number {
  return KNOWN_DPI[basename(dir.replace(/\/+$/, ''))] ?? 500;
}

/** Decodes an 8-bit PNG or TIFF to gray (first channel of RGBA). */
export function loadGrayImage(file: string, dpi: number): GrayImage {
  const bytes = readFileSync(file);
  let width: number;
  let height: number;
  let rgba: Uint8Array;
  if (/\.tiff?$/i.test(file)) {
    const ifds = UTIF.decode(bytes);
    UTIF.decodeImage(bytes, ifds[0]);
    width = ifds[0].width;
    height = ifds[0].height;
    rgba = UTIF.toRGBA8(ifds[0]);
  } else {
    const png = PNG.sync.read(bytes);
    width = png.width;
    height = png.height;
    rgba = png.data;
  }
  const pixels = new Uint8Array(width * height);
  for (let i = 0; i < pixels.length; i++) pixels[i] = rgba[i * 4];
  return { width, height, dpi, pixels };
}

export interface Impression {
  readonly finger: string;
  readonly impression: number;
  readonly file: string;
}

export function listSet(dir: string): Impression[] {
  const out: Impression[] = [];
  for (const name of readdirSync(dir)) {
    const m = /^(\w+?)_(\d+)\.(png|tiff?)$/i.exec(name);
    if (m) out.push({ finger: m[1], impression: Number(m[2]), file: join(dir, name) });
  }
  return out.sort((a, b) => a.finger.localeCompare(b.finger) || a.impression - b.impression);
}

export interface PairLists {
  readonly genuine: [number, number][];
  readonly impostorFvc: [number, number][];
  readonly impostorAll: [number, number][];
}

/** Index pairs [template, probe] of the FVC protocol over a sorted impression list. */
export function protocolPairs(set: readonly Impression[]): PairLists {
  const genuine: [number, number][] = [];
  const impostorFvc: [number, number][] = [];
  const impostorAll: [number, number][] = [];
  for (let a = 0; a < set.length; a++) {
    for (let b = a + 1; b < set.length; b++) {
      if (set[a].finger === set[b].finger) {
        genuine.push([a, b]);
      } else {
        impostorAll.push([a, b]);
        if (set[a].impression === 1 && set[b].impression === 1) impostorFvc.push([a, b]);
      }
    }
  }
  return { genuine, impostorFvc, impostorAll };
}

export interface ErrorRates {
  readonly eer: number;
  readonly fmr100: number;
  readonly fmr1000: number;
  readonly zeroFmr: number;
}

/** FVC indicators; a pair is accepted when score >= threshold. */
export function errorRates(genuine: readonly number[], impostor: readonly number[]): ErrorRates {
  const g = Float64Array.from(genuine).sort();
  const im = Float64Array.from(impostor).sort();
  const thresholds = Array.from(new Set([...g, ...im, Infinity])).sort((a, b) => a - b);
  let eer = 1;
  let bestGap = Infinity;
  let fmr100 = 1;
  let fmr1000 = 1;
  let zeroFmr = 1;
  for (const t of thresholds) {
    const fnmr = lowerBound(g, t) / Math.max(1, g.length);
    const fmr = (im.length - lowerBound(im, t)) / Math.max(1, im.length);
    const hi = Math.max(fmr, fnmr);
    if (hi < bestGap) {
      bestGap = hi;
      eer = (fmr + fnmr) / 2;
    }
    if (fmr <= 0.01) fmr100 = Math.min(fmr100, fnmr);
    if (fmr <= 0.001) fmr1000 = Math.min(fmr1000, fnmr);
    if (fmr === 0) zeroFmr = Math.min(zeroFmr, fnmr);
  }
  return { eer, fmr100, fmr1000, zeroFmr };
}

function lowerBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

export interface SetResult {
  readonly name: string;
  readonly dpi: number;
  readonly images: number;
  readonly failuresToExtract: number;
  readonly refusedCaptures: number;
  readonly genuine: number[];
  readonly impostorFvc: number[];
  readonly impostorAll: number[];
  readonly extractMs: number[];
  /** CPU time of each extraction: on a shared, loaded machine wall time overstates the cost. */
  readonly extractCpuMs: number[];
  readonly compareUs: number[];
  /** Mean CPU time per timed comparison. */
  readonly compareCpuUsMean: number;
}

const WARM_UP_ROUNDS = 5;

export function runSet(dir: string, dpi: number): SetResult {
  const set = listSet(dir);
  const templates: Template[] = [];
  const extractMs: number[] = [];
  const extractCpuMs: number[] = [];
  let failures = 0;
  let refused = 0;
  // Warm-up, not timed: the first extractions of a process run in V8's interpreter and baseline
  // tiers and would otherwise inflate the first set's median and p95.
  if (set.length > 0) {
    const first = loadGrayImage(set[0].file, dpi);
    for (let k = 0; k < WARM_UP_ROUNDS; k++) {
      const warm = extract(first).template;
      compare(warm, warm);
    }
  }
  for (const item of set) {
    const image = loadGrayImage(item.file, dpi);
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    try {
      const e = extract(image);
      extractMs.push(performance.now() - t0);
      const cpu = process.cpuUsage(c0);
      extractCpuMs.push((cpu.user + cpu.system) / 1000);
      if (e.guidance) refused++;
      if (e.template.minutiae.length < 3) failures++;
      templates.push(e.template);
    } catch {
      // FVC rule: a failed enrolment is a template that matches nothing.
      failures++;
      templates.push({ width: image.width, height: image.height, minutiae: [] });
    }
  }
  const pairs = protocolPairs(set);
  const compareUs: number[] = [];
  const run = (list: [number, number][], timed: boolean): number[] =>
    list.map(([a, b]) => {
      const t0 = process.hrtime.bigint();
      const s = compare(templates[b], templates[a]);
      if (timed) compareUs.push(Number(process.hrtime.bigint() - t0) / 1000);
      return s;
    });
  const c0 = process.cpuUsage();
  const genuine = run(pairs.genuine, true);
  const impostorAll = run(pairs.impostorAll, true);
  const cpu = process.cpuUsage(c0);
  const compareCpuUsMean = (cpu.user + cpu.system) / Math.max(1, compareUs.length);
  const impostorFvc = run(pairs.impostorFvc, false);
  return {
    name: basename(dir.replace(/\/+$/, '')),
    dpi,
    images: set.length,
    failuresToExtract: failures,
    refusedCaptures: refused,
    genuine,
    impostorFvc,
    impostorAll,
    extractMs,
    extractCpuMs,
    compareUs,
    compareCpuUsMean,
  };
}

/** Score threshold at which the pooled impostor scores give at most `fmr` false matches. */
export function thresholdTable(impostor: readonly number[], fmrs: readonly number[]): { fmr: number; threshold: number; measuredFmr: number }[] {
  const s = [...impostor].sort((a, b) => b - a);
  return fmrs.map((fmr) => {
    const allowed = Math.floor(fmr * s.length);
    // Accept when score >= threshold: put the threshold just above the (allowed+1)-th highest impostor score.
    const threshold = allowed < s.length ? s[allowed] + 0.001 : 0;
    const measured = s.filter((v) => v >= threshold).length / s.length;
    return { fmr, threshold: Math.round(threshold * 1000) / 1000, measuredFmr: measured };
  });
}

/**
 * One row per set (in argument order): left, score histograms (green genuine, red impostor, on a
 * common 0..max score axis); right, the DET curve on the 2,880-pair set (x: FMR 1e-4..1 log,
 * dotted decades; y: FNMR 0..20%).
 */
function plot(results: readonly SetResult[], file: string): void {
  const rowH = 200;
  const width = 820;
  const png = new PNG({ width, height: rowH * results.length });
  png.data.fill(255);
  const put = (x: number, y: number, r: number, g: number, b: number) => {
    if (x < 0 || y < 0 || x >= width || y >= png.height) return;
    const i = (Math.round(y) * width + Math.round(x)) * 4;
    png.data[i] = r;
    png.data[i + 1] = g;
    png.data[i + 2] = b;
    png.data[i + 3] = 255;
  };
  results.forEach((res, row) => {
    const top = row * rowH;
    const maxScore = Math.max(1, ...res.genuine, ...res.impostorAll);
    const bins = 100;
    const hist = (values: number[]) => {
      const h = new Float64Array(bins);
      for (const v of values) h[Math.min(bins - 1, Math.floor((v / maxScore) * bins))] += 1 / values.length;
      return h;
    };
    const hg = hist(res.genuine);
    const hi = hist(res.impostorAll);
    const peak = Math.max(...hg, ...hi);
    for (let x = 0; x < 400; x++) put(x + 10, top + rowH - 10, 0, 0, 0);
    for (let b = 0; b < bins; b++) {
      for (let k = 0; k < 4; k++) {
        const x = 10 + b * 4 + k;
        for (let y = 0; y < (hg[b] / peak) * (rowH - 30); y++) put(x, top + rowH - 11 - y, 0, 160, 0);
        for (let y = 0; y < (hi[b] / peak) * (rowH - 30); y++) put(x, top + rowH - 11 - y, 220, 0, 0);
      }
    }
    // DET: x = log10 FMR from 1e-4 to 1 (dotted decades), y = FNMR 0..20%.
    const ox = 430;
    const w = 380;
    const h = rowH - 30;
    for (let x = 0; x < w; x++) put(ox + x, top + rowH - 10, 0, 0, 0);
    for (let y = 0; y < h; y++) put(ox, top + rowH - 10 - y, 0, 0, 0);
    for (let d = 1; d < 4; d++) for (let y = 0; y < h; y += 4) put(ox + (d * w) / 4, top + rowH - 10 - y, 150, 150, 150);
    const thresholds = Array.from(new Set([...res.genuine, ...res.impostorAll])).sort((a, b) => a - b);
    for (const t of thresholds) {
      const fmr = res.impostorAll.filter((v) => v >= t).length / res.impostorAll.length;
      const fnmr = res.genuine.filter((v) => v < t).length / res.genuine.length;
      const lx = Math.log10(Math.max(fmr, 1e-4)) + 4;
      const y = Math.min(1, fnmr / 0.2) * h;
      for (let k = -1; k <= 1; k++) put(ox + (lx / 4) * w + k, top + rowH - 10 - y, 0, 0, 200);
    }
  });
  writeFileSync(file, PNG.sync.write(png));
}

function pct(v: number): string {
  return `${(v * 100).toFixed(2)}%`;
}

function main(argv: string[]): void {
  let jsonOut: string | undefined;
  let plotOut: string | undefined;
  let dpiOverride: number | undefined;
  const dirs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--json') jsonOut = argv[++i];
    else if (argv[i] === '--plot') plotOut = argv[++i];
    else if (argv[i] === '--dpi') dpiOverride = Number(argv[++i]);
    else dirs.push(argv[i]);
  }
  if (dirs.length === 0 || (dpiOverride !== undefined && !(dpiOverride > 0))) {
    console.error('usage: npm run bench:matcher -- [--json OUT.json] [--plot OUT.png] [--dpi N] DIR...');
    process.exitCode = 2;
    return;
  }
  const results: SetResult[] = [];
  const rows: Record<string, unknown>[] = [];
  for (const dir of dirs) {
    const res = runSet(dir, dpiOverride ?? dpiForSet(dir));
    results.push(res);
    const ext = errorRates(res.genuine, res.impostorAll);
    const fvc = errorRates(res.genuine, res.impostorFvc);
    const row = {
      name: res.name,
      dpi: res.dpi,
      eer: ext.eer,
      fmr100: ext.fmr100,
      fmr1000: ext.fmr1000,
      zeroFmr: ext.zeroFmr,
      eerFvc45: fvc.eer,
      zeroFmrFvc45: fvc.zeroFmr,
      genuinePairs: res.genuine.length,
      impostorPairs: res.impostorAll.length,
      failuresToExtract: res.failuresToExtract,
      refusedCaptures: res.refusedCaptures,
      extractMsMedian: quantile(res.extractMs, 0.5),
      extractMsP95: quantile(res.extractMs, 0.95),
      extractCpuMsMedian: quantile(res.extractCpuMs, 0.5),
      compareUsMedian: quantile(res.compareUs, 0.5),
      compareCpuUsMean: res.compareCpuUsMean,
      maxImpostorScore: Math.max(...res.impostorAll),
    };
    rows.push(row);
    console.log(
      `${row.name} (${row.dpi} dpi): EER ${pct(ext.eer)} (FVC-45 ${pct(fvc.eer)}) FMR100 ${pct(ext.fmr100)} ` +
        `FMR1000 ${pct(ext.fmr1000)} ZeroFMR ${pct(ext.zeroFmr)} | FTE ${res.failuresToExtract}/${res.images} ` +
        `refused ${res.refusedCaptures} | extract median ${row.extractMsMedian.toFixed(1)} ms p95 ${row.extractMsP95.toFixed(1)} ms ` +
        `(CPU median ${row.extractCpuMsMedian.toFixed(1)} ms) | compare median ${row.compareUsMedian.toFixed(0)} us (CPU mean ${row.compareCpuUsMean.toFixed(0)} us)`,
    );
  }
  const pooled = results.flatMap((r) => r.impostorAll);
  const table = thresholdTable(pooled, [1e-2, 3e-3, 1e-3, 3e-4, 1e-4]);
  console.log(`pooled impostor pairs ${pooled.length}, max score ${Math.max(...pooled).toFixed(3)}`);
  for (const t of table) console.log(`  FMR ${t.fmr}: threshold ${t.threshold} (measured FMR ${t.measuredFmr.toExponential(2)})`);
  if (jsonOut) {
    const doc = { date: new Date().toISOString(), node: process.version, sets: rows, thresholds: table, pooledImpostorPairs: pooled.length };
    writeFileSync(jsonOut, JSON.stringify(doc, null, 2) + '\n');
    plot(results, plotOut ?? jsonOut.replace(/\.json$/i, '') + '.png');
  } else if (plotOut) {
    plot(results, plotOut);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
