/**
 * Matcher benchmark (not a test): FVC protocol on folders of `<finger>_<impression>.png|tif`.
 *
 *   npm run bench:matcher -- [--gallery-iso ISO_ROOT] [--json OUT.json] [--plot OUT.png] [--dpi N]
 *                            [--probe-scale S [--probe-scale-declared]] DIR...
 *
 * Per set of F fingers x 8 impressions: genuine pairs (each impression vs every later impression
 * of the same finger; template = earlier, probe = later; 280 on an FVC B set), the FVC impostor
 * pairs (first impressions; 45) and the extended impostor pairs (every impression vs every
 * impression of every other finger, each pair once; 2,880, or 133,120 on 65 fingers). Rates in
 * OUT.json are fractions on the extended set; fnmrAtThreshold / fmrAtThreshold are read at the
 * configured FMR 1e-4 threshold (threshold.ts). A capture the quality gate refuses scores 0 as a
 * probe (the counter asks for a retake) and is counted in refusedCaptures. Each image is extracted
 * once as a live probe (extractProbe: template + alternates, timed as the verification-time
 * extraction); its template is the native gallery (as enrolment would write it), and a pair's
 * score is verifyScore(probe, gallery), as at the counter.
 *
 * --gallery-iso: the same pairs with the gallery (template) read from
 * `ISO_ROOT/<set>/<finger>_<impression>.ist`, an ISO/IEC 19794-2 record written by another
 * extractor (what an e-KTP chip holds), and the probe our extraction: the "interop" block.
 * A missing record is a failure to enrol (galleryMissing; it matches nothing).
 *
 * --probe-scale S: every probe image is resampled by S (resampleImage) before extraction, with
 * its declared dpi unchanged: what a sensor delivers whose true resolution differs from the one it
 * declares (optics, platen pressure), i.e. enrolled on one sensor and verified on another. The
 * galleries stay as they were (native: `extract` of the original image; foreign: the ISO record).
 * With --probe-scale-declared the declared dpi is multiplied by S too (a sensor at another,
 * correctly declared resolution: scaleImage should undo the scaling).
 *
 * Scores are kept as histograms of 0.001-wide bins (threshold.ts's precision), so memory is
 * bounded whatever the number of pairs. Resolution: `--dpi N` for every DIR, else the known table
 * below by folder name, else 500 (PNG and the FVC TIFFs carry no usable dpi). The pooled impostor
 * scores give the threshold <-> FMR table for threshold.ts, with the counts each row rests on.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { PNG } from 'pngjs';
import { extract, extractProbe } from '../matcher/extract.ts';
import { verifyScore } from '../matcher/compare.ts';
import { MATCHER_VERSION, thresholdForFmr } from '../matcher/threshold.ts';
import { decodeIso19794, pickView, templateFromIso } from '../matcher/template/iso19794.ts';
import type { GrayImage, ProbeExtraction, Template } from '../matcher/types.ts';

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

/**
 * Resamples a gray image by `factor` (width and height x factor, rounded), keeping `dpi`: a
 * separable triangle (bilinear) filter whose support widens by 1 / factor when shrinking, so a
 * reduction averages every source pixel it covers instead of skipping some (the "bilinear" of
 * Pillow's resize; plain 2-tap bilinear aliases ridges at factors below 1). Pixel centres map
 * onto pixel centres; the frame's edge pixels extend outwards.
 */
export function resampleImage(image: GrayImage, factor: number): GrayImage {
  if (!(factor > 0)) throw new RangeError(`resample factor must be > 0, got ${factor}`);
  const width = Math.max(1, Math.round(image.width * factor));
  const height = Math.max(1, Math.round(image.height * factor));
  const horizontal = resampleTaps(image.width, width, factor);
  const vertical = resampleTaps(image.height, height, factor);
  const rows = new Float32Array(width * image.height);
  for (let y = 0; y < image.height; y++) {
    const src = y * image.width;
    for (let x = 0; x < width; x++) {
      let v = 0;
      for (let k = horizontal.start[x]; k < horizontal.start[x + 1]; k++) v += image.pixels[src + horizontal.index[k]] * horizontal.weight[k];
      rows[y * width + x] = v;
    }
  }
  const pixels = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = 0;
      for (let k = vertical.start[y]; k < vertical.start[y + 1]; k++) v += rows[vertical.index[k] * width + x] * vertical.weight[k];
      pixels[y * width + x] = Math.min(255, Math.max(0, Math.round(v)));
    }
  }
  return { width, height, dpi: image.dpi, pixels };
}

/** Source taps and normalised triangle weights of every output sample along one axis. */
function resampleTaps(from: number, to: number, factor: number): { start: Int32Array; index: Int32Array; weight: Float64Array } {
  const support = Math.max(1, 1 / factor);
  const start = new Int32Array(to + 1);
  const index: number[] = [];
  const weight: number[] = [];
  for (let o = 0; o < to; o++) {
    const centre = (o + 0.5) / factor - 0.5;
    const lo = Math.ceil(centre - support);
    const hi = Math.floor(centre + support);
    let total = 0;
    const first = index.length;
    for (let i = lo; i <= hi; i++) {
      const w = 1 - Math.abs(i - centre) / support;
      if (w <= 0) continue;
      index.push(Math.min(from - 1, Math.max(0, i)));
      weight.push(w);
      total += w;
    }
    for (let k = first; k < index.length; k++) weight[k] /= total;
    start[o + 1] = index.length;
  }
  return { start, index: Int32Array.from(index), weight: Float64Array.from(weight) };
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

/**
 * Visits the FVC protocol's index pairs [template, probe] over a sorted impression list without
 * building lists (133,120 impostor pairs on a 520-image set; bounded memory for any size).
 */
export function forEachPair(
  set: readonly Impression[],
  visit: (template: number, probe: number, kind: 'genuine' | 'impostor', fvc45: boolean) => void,
): void {
  for (let a = 0; a < set.length; a++) {
    for (let b = a + 1; b < set.length; b++) {
      if (set[a].finger === set[b].finger) visit(a, b, 'genuine', false);
      else visit(a, b, 'impostor', set[a].impression === 1 && set[b].impression === 1);
    }
  }
}

/** The same pairs as lists (tests and small sets). */
export function protocolPairs(set: readonly Impression[]): PairLists {
  const genuine: [number, number][] = [];
  const impostorFvc: [number, number][] = [];
  const impostorAll: [number, number][] = [];
  forEachPair(set, (a, b, kind, fvc45) => {
    if (kind === 'genuine') genuine.push([a, b]);
    else {
      impostorAll.push([a, b]);
      if (fvc45) impostorFvc.push([a, b]);
    }
  });
  return { genuine, impostorFvc, impostorAll };
}

/**
 * Counts of values in fixed-width bins from 0 (values past the top land in the last bin): a
 * score distribution in bounded memory whatever the number of pairs. Score bins are 0.001 wide,
 * the precision threshold.ts keeps, so rates read off it are exact at every bin edge.
 */
export class Histogram {
  readonly bins: Uint32Array;
  count = 0;
  constructor(readonly step: number, size: number) {
    this.bins = new Uint32Array(size);
  }
  static scores(): Histogram {
    return new Histogram(SCORE_STEP, Math.round(100 / SCORE_STEP) + 2);
  }
  static of(values: Iterable<number>, h = Histogram.scores()): Histogram {
    for (const v of values) h.add(v);
    return h;
  }
  binOf(v: number): number {
    // The epsilon keeps a value written as k * step (a threshold) in bin k despite float rounding.
    const i = Math.floor(v / this.step + 1e-6);
    return i < 0 ? 0 : i >= this.bins.length ? this.bins.length - 1 : i;
  }
  add(v: number): void {
    this.bins[this.binOf(v)]++;
    this.count++;
  }
  merge(other: Histogram): this {
    for (let i = 0; i < this.bins.length; i++) this.bins[i] += other.bins[i];
    this.count += other.count;
    return this;
  }
  /** Values in bins at or above the bin of `v` (i.e. >= v when v is a bin edge). */
  atLeast(v: number): number {
    let n = 0;
    for (let i = this.binOf(v); i < this.bins.length; i++) n += this.bins[i];
    return n;
  }
  /** Lower edge of the bin holding the q-quantile. */
  quantile(q: number): number {
    if (this.count === 0) return NaN;
    const target = Math.min(this.count - 1, Math.floor(q * this.count));
    let seen = 0;
    for (let i = 0; i < this.bins.length; i++) {
      seen += this.bins[i];
      if (seen > target) return i * this.step;
    }
    return NaN;
  }
  /** Lower edge of the highest non-empty bin. */
  max(): number {
    for (let i = this.bins.length - 1; i >= 0; i--) if (this.bins[i]) return i * this.step;
    return NaN;
  }
}

const SCORE_STEP = 0.001;

export interface ErrorRates {
  readonly eer: number;
  readonly fmr100: number;
  readonly fmr1000: number;
  readonly zeroFmr: number;
}

/** FVC indicators; a pair is accepted when score >= threshold. Arrays or score histograms. */
export function errorRates(genuine: readonly number[] | Histogram, impostor: readonly number[] | Histogram): ErrorRates {
  const g = genuine instanceof Histogram ? genuine : Histogram.of(genuine);
  const im = impostor instanceof Histogram ? impostor : Histogram.of(impostor);
  const G = Math.max(1, g.count);
  const I = Math.max(1, im.count);
  let eer = 1;
  let bestGap = Infinity;
  let fmr100 = 1;
  let fmr1000 = 1;
  let zeroFmr = 1;
  // Threshold at each bin's lower edge, then above everything: FNMR = genuine below, FMR = impostors at or above.
  let genuineBelow = 0;
  let impostorAtOrAbove = im.count;
  for (let i = 0; i <= g.bins.length; i++) {
    const fnmr = genuineBelow / G;
    const fmr = impostorAtOrAbove / I;
    const hi = Math.max(fmr, fnmr);
    if (hi < bestGap) {
      bestGap = hi;
      eer = (fmr + fnmr) / 2;
    }
    if (fmr <= 0.01) fmr100 = Math.min(fmr100, fnmr);
    if (fmr <= 0.001) fmr1000 = Math.min(fmr1000, fnmr);
    if (fmr === 0) zeroFmr = Math.min(zeroFmr, fnmr);
    if (i < g.bins.length) {
      genuineBelow += g.bins[i];
      impostorAtOrAbove -= im.bins[i];
    }
  }
  return { eer, fmr100, fmr1000, zeroFmr };
}

export interface ThresholdRow {
  readonly fmr: number;
  readonly threshold: number;
  readonly impostorPairs: number;
  readonly falseMatches: number;
  readonly measuredFmr: number;
}

/**
 * Lowest score threshold (a bin edge) at which the impostor scores give at most `fmr` false
 * matches (score >= threshold), with the counts it rests on.
 */
export function thresholdTable(impostor: readonly number[] | Histogram, fmrs: readonly number[]): ThresholdRow[] {
  const h = impostor instanceof Histogram ? impostor : Histogram.of(impostor);
  return fmrs.map((fmr) => {
    const allowed = Math.floor(fmr * h.count);
    let above = 0;
    let bin = h.bins.length;
    // Walk down while the next bin still keeps the false matches within the allowance.
    while (bin > 0 && above + h.bins[bin - 1] <= allowed) above += h.bins[--bin];
    const threshold = Math.round(bin * h.step * 1000) / 1000;
    return { fmr, threshold, impostorPairs: h.count, falseMatches: above, measuredFmr: above / Math.max(1, h.count) };
  });
}

/** A named pair and its score, kept for the worst few of each kind (evidence for misses). */
export interface NamedScore {
  readonly template: string;
  readonly probe: string;
  readonly score: number;
}

/** The k lowest (or highest) scores seen, in bounded memory. */
class Extremes {
  readonly items: NamedScore[] = [];
  constructor(private readonly k: number, private readonly highest: boolean) {}
  offer(template: string, probe: string, score: number): void {
    const worse = (a: number, b: number) => (this.highest ? a > b : a < b);
    if (this.items.length === this.k && !worse(score, this.items[this.items.length - 1].score)) return;
    this.items.push({ template, probe, score });
    this.items.sort((a, b) => (this.highest ? b.score - a.score : a.score - b.score));
    if (this.items.length > this.k) this.items.pop();
  }
}

/** Score distributions of one gallery kind (native or foreign) against our probes. */
export interface ScoreSet {
  readonly genuine: Histogram;
  readonly impostorFvc: Histogram;
  readonly impostorAll: Histogram;
  /** Exact counts at the configured threshold (score >= threshold accepts). */
  genuineRejected: number;
  impostorAccepted: number;
  readonly lowestGenuine: NamedScore[];
  readonly highestImpostor: NamedScore[];
}

function scoreSet(): ScoreSet & { low: Extremes; high: Extremes } {
  const low = new Extremes(12, false);
  const high = new Extremes(12, true);
  return {
    genuine: Histogram.scores(),
    impostorFvc: Histogram.scores(),
    impostorAll: Histogram.scores(),
    genuineRejected: 0,
    impostorAccepted: 0,
    lowestGenuine: low.items,
    highestImpostor: high.items,
    low,
    high,
  };
}

export interface SetResult {
  readonly name: string;
  readonly dpi: number;
  readonly images: number;
  readonly failuresToExtract: number;
  /** Captures the quality gate refused: as probes they score 0 (the counter asks for a retake). */
  readonly refusedCaptures: number;
  readonly threshold: number;
  readonly native: ScoreSet;
  /** Foreign gallery (ISO records under --gallery-iso) vs our probes; absent without one. */
  readonly interop?: ScoreSet & { readonly galleryMissing: number };
  /** Wall ms per extraction, 0.1 ms bins. */
  readonly extractMs: Histogram;
  /** CPU ms per extraction: on a shared, loaded machine wall time overstates the cost. */
  readonly extractCpuMs: Histogram;
  /** Wall us per timed verification score (native genuine + extended impostor), 1 us bins. */
  readonly compareUs: Histogram;
  /** Mean CPU time per template comparison (a verification score is 1 + alternates of them). */
  readonly compareCpuUsMean: number;
  /** Mean CPU time per verification score (verifyScore). */
  readonly verifyCompareCpuUsMean: number;
}

const WARM_UP_ROUNDS = 5;

export interface RunOptions {
  /** Folder holding `<name>.ist` ISO/IEC 19794-2 records of this set's images (foreign gallery). */
  readonly galleryIso?: string;
  /** Score threshold for fnmrAtThreshold / fmrAtThreshold; default thresholdForFmr(1e-4). */
  readonly threshold?: number;
  /**
   * Probe images resampled by this factor (default 1: as captured); galleries unchanged. The
   * declared dpi stays, unless `probeScaleDeclared` multiplies it by the factor too.
   */
  readonly probeScale?: number;
  readonly probeScaleDeclared?: boolean;
}

export function runSet(dir: string, dpi: number, opts: RunOptions = {}): SetResult {
  const set = listSet(dir);
  const threshold = opts.threshold ?? thresholdForFmr(CONFIGURED_FMR);
  const probes: ProbeExtraction[] = [];
  const templates: Template[] = [];
  const refused: boolean[] = [];
  const extractMs = new Histogram(0.1, 100_000);
  const extractCpuMs = new Histogram(0.1, 100_000);
  let failures = 0;
  // Warm-up, not timed: the first extractions of a process run in V8's interpreter and baseline
  // tiers and would otherwise inflate the first set's median and p95.
  if (set.length > 0) {
    const first = loadGrayImage(set[0].file, dpi);
    for (let k = 0; k < WARM_UP_ROUNDS; k++) {
      const warm = extractProbe(first);
      verifyScore(warm, warm.template);
    }
  }
  const probeScale = opts.probeScale ?? 1;
  for (const item of set) {
    const image = loadGrayImage(item.file, dpi);
    const probeImage =
      probeScale === 1 ? image : { ...resampleImage(image, probeScale), dpi: opts.probeScaleDeclared ? dpi * probeScale : dpi };
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    try {
      const e = extractProbe(probeImage);
      extractMs.add(performance.now() - t0);
      const cpu = process.cpuUsage(c0);
      extractCpuMs.add((cpu.user + cpu.system) / 1000);
      // Enrolment saw the image as captured: with a scaled probe the native gallery is extracted
      // from the original (a failure there is a failure to enrol, as below).
      const enrolled = probeScale === 1 ? e.template : extract(image).template;
      refused.push(e.guidance !== null);
      if (enrolled.minutiae.length < 3) failures++;
      templates.push(enrolled);
      probes.push(e);
    } catch {
      // FVC rule: a failed enrolment is a template that matches nothing.
      failures++;
      refused.push(false);
      const none = { width: image.width, height: image.height, minutiae: [] };
      templates.push(none);
      probes.push({ template: none, quality: 0, guidance: null, alternates: [] });
    }
  }
  const names = set.map((i) => `${i.finger}_${i.impression}`);
  const gallery = opts.galleryIso === undefined ? undefined : loadGallery(opts.galleryIso, names);
  const native = scoreSet();
  const interop = gallery ? scoreSet() : undefined;
  const compareUs = new Histogram(1, 100_000);
  let cpuUs = 0;
  let comparisons = 0;
  const score = (galleryTemplate: Template, probe: number, timed: boolean): number => {
    // The counter refuses such a capture and asks for a retake: as a probe it is a non-match.
    if (refused[probe]) return 0;
    if (!timed) return verifyScore(probes[probe], galleryTemplate);
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    const s = verifyScore(probes[probe], galleryTemplate);
    compareUs.add(Number(process.hrtime.bigint() - t0) / 1000);
    const cpu = process.cpuUsage(c0);
    cpuUs += cpu.user + cpu.system;
    comparisons += 1 + probes[probe].alternates.length;
    return s;
  };
  const record = (into: ReturnType<typeof scoreSet>, a: number, b: number, kind: 'genuine' | 'impostor', fvc45: boolean, s: number) => {
    if (kind === 'genuine') {
      into.genuine.add(s);
      if (s < threshold) into.genuineRejected++;
      into.low.offer(names[a], names[b], s);
    } else {
      into.impostorAll.add(s);
      if (fvc45) into.impostorFvc.add(s);
      if (s >= threshold) into.impostorAccepted++;
      into.high.offer(names[a], names[b], s);
    }
  };
  forEachPair(set, (a, b, kind, fvc45) => {
    record(native, a, b, kind, fvc45, score(templates[a], b, true));
    if (gallery && interop) record(interop, a, b, kind, fvc45, score(gallery.templates[a], b, false));
  });
  const strip = (s: ReturnType<typeof scoreSet>): ScoreSet => {
    const { low: _low, high: _high, ...rest } = s;
    return rest;
  };
  return {
    name: basename(dir.replace(/\/+$/, '')),
    dpi,
    images: set.length,
    failuresToExtract: failures,
    refusedCaptures: refused.filter(Boolean).length,
    threshold,
    native: strip(native),
    interop: interop && gallery ? { ...strip(interop), galleryMissing: gallery.missing } : undefined,
    extractMs,
    extractCpuMs,
    compareUs,
    compareCpuUsMean: cpuUs / Math.max(1, comparisons),
    verifyCompareCpuUsMean: cpuUs / Math.max(1, compareUs.count),
  };
}

/**
 * Foreign gallery: `<dir>/<name>.ist` per image, the view pickView chooses, in the 500-dpi frame
 * of the rescaled image (templateFromIso scales by the record's own px/cm). A missing or
 * undecodable record is a failure to enrol: an empty template that matches nothing.
 */
function loadGallery(dir: string, names: readonly string[]): { templates: Template[]; missing: number } {
  let missing = 0;
  const templates = names.map((name) => {
    const file = join(dir, `${name}.ist`);
    if (!existsSync(file)) {
      missing++;
      return { width: 1, height: 1, minutiae: [] };
    }
    const record = decodeIso19794(new Uint8Array(readFileSync(file)));
    return templateFromIso(record, pickView(record));
  });
  return { templates, missing };
}

/**
 * One row per set (in argument order): left, score histograms (green genuine, red impostor, on a
 * common 0..max score axis); right, the DET curve on the extended impostor set (x: FMR 1e-4..1
 * log, dotted decades; y: FNMR 0..20%), native in blue and foreign gallery in orange.
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
    const maxScore = Math.max(1, res.native.genuine.max(), res.native.impostorAll.max());
    const bins = 100;
    const hist = (h: Histogram) => {
      const out = new Float64Array(bins);
      h.bins.forEach((n, i) => {
        if (n) out[Math.min(bins - 1, Math.floor(((i * h.step) / maxScore) * bins))] += n / Math.max(1, h.count);
      });
      return out;
    };
    const hg = hist(res.native.genuine);
    const hi = hist(res.native.impostorAll);
    const peak = Math.max(...hg, ...hi);
    for (let x = 0; x < 400; x++) put(x + 10, top + rowH - 10, 0, 0, 0);
    for (let b = 0; b < bins; b++) {
      for (let k = 0; k < 4; k++) {
        const x = 10 + b * 4 + k;
        for (let y = 0; y < (hg[b] / peak) * (rowH - 30); y++) put(x, top + rowH - 11 - y, 0, 160, 0);
        for (let y = 0; y < (hi[b] / peak) * (rowH - 30); y++) put(x, top + rowH - 11 - y, 220, 0, 0);
      }
    }
    const ox = 430;
    const w = 380;
    const h = rowH - 30;
    for (let x = 0; x < w; x++) put(ox + x, top + rowH - 10, 0, 0, 0);
    for (let y = 0; y < h; y++) put(ox, top + rowH - 10 - y, 0, 0, 0);
    for (let d = 1; d < 4; d++) for (let y = 0; y < h; y += 4) put(ox + (d * w) / 4, top + rowH - 10 - y, 150, 150, 150);
    const det = (s: ScoreSet, r: number, g: number, b: number) => {
      let genuineBelow = 0;
      let impostorAbove = s.impostorAll.count;
      for (let i = 0; i < s.genuine.bins.length; i++) {
        if (s.genuine.bins[i] || s.impostorAll.bins[i]) {
          const fmr = impostorAbove / Math.max(1, s.impostorAll.count);
          const fnmr = genuineBelow / Math.max(1, s.genuine.count);
          const lx = Math.log10(Math.max(fmr, 1e-4)) + 4;
          const y = Math.min(1, fnmr / 0.2) * h;
          for (let k = -1; k <= 1; k++) put(ox + (lx / 4) * w + k, top + rowH - 10 - y, r, g, b);
        }
        genuineBelow += s.genuine.bins[i];
        impostorAbove -= s.impostorAll.bins[i];
      }
    };
    if (res.interop) det(res.interop, 230, 130, 0);
    det(res.native, 0, 0, 200);
  });
  writeFileSync(file, PNG.sync.write(png));
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}

function pct(v: number): string {
  return `${(v * 100).toFixed(2)}%`;
}

/** FMR the counter is configured for; fnmrAtThreshold / fmrAtThreshold are read at its threshold. */
const CONFIGURED_FMR = 1e-4;
const TABLE_FMRS = [1e-2, 3e-3, 1e-3, 3e-4, 1e-4];

function rates(s: ScoreSet, threshold: number) {
  const ext = errorRates(s.genuine, s.impostorAll);
  return {
    eer: ext.eer,
    fmr100: ext.fmr100,
    fmr1000: ext.fmr1000,
    zeroFmr: ext.zeroFmr,
    eerFvc45: errorRates(s.genuine, s.impostorFvc).eer,
    fnmrAtThreshold: s.genuineRejected / Math.max(1, s.genuine.count),
    fmrAtThreshold: s.impostorAccepted / Math.max(1, s.impostorAll.count),
    threshold,
    genuinePairs: s.genuine.count,
    impostorPairs: s.impostorAll.count,
    falseMatchesAtThreshold: s.impostorAccepted,
    maxImpostorScore: round1(s.impostorAll.max() * 100) / 100,
    lowestGenuine: s.lowestGenuine,
    highestImpostor: s.highestImpostor,
  };
}

export interface BenchArgs {
  readonly dirs: string[];
  readonly jsonOut?: string;
  readonly plotOut?: string;
  readonly dpiOverride?: number;
  readonly galleryIso?: string;
  readonly probeScale: number;
  readonly probeScaleDeclared: boolean;
}

export const USAGE =
  'usage: npm run bench:matcher -- [--gallery-iso ISO_ROOT] [--json OUT.json] [--plot OUT.png] [--dpi N] ' +
  '[--probe-scale S [--probe-scale-declared]] DIR...';

/** Command line -> options, or null when it is not usable (the caller prints USAGE). */
export function parseBenchArgs(argv: readonly string[]): BenchArgs | null {
  let jsonOut: string | undefined;
  let plotOut: string | undefined;
  let dpiOverride: number | undefined;
  let galleryIso: string | undefined;
  let probeScale = 1;
  let probeScaleDeclared = false;
  const dirs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--json') jsonOut = argv[++i];
    else if (argv[i] === '--plot') plotOut = argv[++i];
    else if (argv[i] === '--dpi') dpiOverride = Number(argv[++i]);
    else if (argv[i] === '--gallery-iso') galleryIso = argv[++i];
    else if (argv[i] === '--probe-scale') probeScale = Number(argv[++i]);
    else if (argv[i] === '--probe-scale-declared') probeScaleDeclared = true;
    else dirs.push(argv[i]);
  }
  if (dirs.length === 0 || (dpiOverride !== undefined && !(dpiOverride > 0)) || galleryIso === '') return null;
  // Outside 0.5..2 the probe is no longer a fingerprint at any sensor's resolution.
  if (!(probeScale >= 0.5 && probeScale <= 2)) return null;
  return { dirs, jsonOut, plotOut, dpiOverride, galleryIso, probeScale, probeScaleDeclared };
}

function main(argv: string[]): void {
  const args = parseBenchArgs(argv);
  if (!args) {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  const { dirs, jsonOut, plotOut, dpiOverride, galleryIso, probeScale, probeScaleDeclared } = args;
  const threshold = thresholdForFmr(CONFIGURED_FMR);
  const results: SetResult[] = [];
  const rows: Record<string, unknown>[] = [];
  const pooledNative = Histogram.scores();
  const pooledInterop = Histogram.scores();
  console.log(`matcher ${MATCHER_VERSION}, configured FMR ${CONFIGURED_FMR}: threshold ${threshold}`);
  if (probeScale !== 1) console.log(`probe images resampled x${probeScale}, declared dpi ${probeScaleDeclared ? `x${probeScale}` : 'unchanged'}`);
  for (const dir of dirs) {
    const name = basename(dir.replace(/\/+$/, ''));
    const res = runSet(dir, dpiOverride ?? dpiForSet(dir), {
      galleryIso: galleryIso && join(galleryIso, name),
      threshold,
      probeScale,
      probeScaleDeclared,
    });
    results.push(res);
    pooledNative.merge(res.native.impostorAll);
    if (res.interop) pooledInterop.merge(res.interop.impostorAll);
    const native = rates(res.native, threshold);
    const interop = res.interop ? { ...rates(res.interop, threshold), galleryMissing: res.interop.galleryMissing } : undefined;
    const row = {
      name: res.name,
      dpi: res.dpi,
      ...native,
      failuresToExtract: res.failuresToExtract,
      refusedCaptures: res.refusedCaptures,
      extractMsMedian: round1(res.extractMs.quantile(0.5)),
      extractMsP95: round1(res.extractMs.quantile(0.95)),
      extractCpuMsMedian: round1(res.extractCpuMs.quantile(0.5)),
      compareUsMedian: res.compareUs.quantile(0.5),
      compareCpuUsMean: round1(res.compareCpuUsMean),
      verifyCompareCpuUsMean: round1(res.verifyCompareCpuUsMean),
      ...(interop ? { interop } : {}),
    };
    rows.push(row);
    const line = (label: string, r: ReturnType<typeof rates>) =>
      `  ${label}: EER ${pct(r.eer)} (FVC-45 ${pct(r.eerFvc45)}) FMR100 ${pct(r.fmr100)} FMR1000 ${pct(r.fmr1000)} ` +
      `ZeroFMR ${pct(r.zeroFmr)} | at threshold: FNMR ${pct(r.fnmrAtThreshold)} FMR ${r.fmrAtThreshold.toExponential(2)} ` +
      `(${r.falseMatchesAtThreshold}/${r.impostorPairs})`;
    console.log(
      `${row.name} (${row.dpi} dpi, ${res.images} images): FTE ${res.failuresToExtract} refused ${res.refusedCaptures} | ` +
        `probe extract median ${row.extractMsMedian.toFixed(1)} ms p95 ${row.extractMsP95.toFixed(1)} ms (CPU median ${row.extractCpuMsMedian.toFixed(1)} ms) | ` +
        `verify score median ${row.compareUsMedian.toFixed(0)} us (CPU mean ${row.verifyCompareCpuUsMean.toFixed(0)} us, ` +
        `${row.compareCpuUsMean.toFixed(0)} us per template comparison)`,
    );
    console.log(line('native ', native));
    if (interop) console.log(line('interop', interop) + ` | gallery missing ${interop.galleryMissing}`);
  }
  const nativeTable = thresholdTable(pooledNative, TABLE_FMRS);
  const interopTable = galleryIso ? thresholdTable(pooledInterop, TABLE_FMRS) : undefined;
  // The default must hold on both kinds of gallery: take the stricter threshold per row.
  const table = nativeTable.map((n, k) => {
    const f = interopTable?.[k];
    const thr = f ? Math.max(n.threshold, f.threshold) : n.threshold;
    const count = (h: Histogram) => h.atLeast(thr);
    return {
      fmr: n.fmr,
      threshold: thr,
      native: { impostorPairs: pooledNative.count, falseMatches: count(pooledNative) },
      ...(f ? { interop: { impostorPairs: pooledInterop.count, falseMatches: count(pooledInterop) } } : {}),
    };
  });
  console.log(`pooled impostor pairs: native ${pooledNative.count}${galleryIso ? `, foreign gallery ${pooledInterop.count}` : ''}`);
  for (const r of table) {
    console.log(
      `  FMR ${r.fmr}: threshold ${r.threshold} (native ${r.native.falseMatches}/${r.native.impostorPairs}` +
        `${r.interop ? `, foreign ${r.interop.falseMatches}/${r.interop.impostorPairs}` : ''} false matches)`,
    );
  }
  // What the next threshold.ts would give: FNMR per set at the calibrated FMR 1e-4 threshold.
  const calibrated = table.find((r) => r.fmr === CONFIGURED_FMR)?.threshold ?? threshold;
  const below = (h: Histogram) => (h.count - h.atLeast(calibrated)) / Math.max(1, h.count);
  const atCalibrated = results.map((r) => ({
    name: r.name,
    native: below(r.native.genuine),
    ...(r.interop ? { interop: below(r.interop.genuine) } : {}),
  }));
  console.log(`FNMR at the calibrated FMR ${CONFIGURED_FMR} threshold ${calibrated}: ` +
    atCalibrated.map((r) => `${r.name} ${pct(r.native)}${r.interop !== undefined ? ` / interop ${pct(r.interop)}` : ''}`).join(', '));
  if (jsonOut) {
    const cpus = os.cpus();
    const doc = {
      date: new Date().toISOString(),
      matcherVersion: MATCHER_VERSION,
      machine: { cpu: cpus[0]?.model, cores: cpus.length, node: process.version, loadAverage: os.loadavg() },
      configuredFmr: CONFIGURED_FMR,
      threshold,
      galleryIso: galleryIso ?? null,
      probeScale,
      probeScaleDeclared,
      sets: rows,
      thresholds: table,
      calibratedThreshold: calibrated,
      fnmrAtCalibratedThreshold: atCalibrated,
      pooledImpostorPairs: { native: pooledNative.count, interop: pooledInterop.count },
    };
    writeFileSync(jsonOut, JSON.stringify(doc, null, 2) + '\n');
    plot(results, plotOut ?? jsonOut.replace(/\.json$/i, '') + '.png');
  } else if (plotOut) {
    plot(results, plotOut);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
