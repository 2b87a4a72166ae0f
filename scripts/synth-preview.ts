/**
 * Writes PNG previews of synthetic masters, impressions and bad frames so a person can judge
 * whether they look like fingerprints, plus one contact sheet with all of them.
 * Usage: npm run synth:preview -- --out DIR [--seeds 1,2,3]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PNG } from 'pngjs';
import type { GrayImage } from '../matcher/types.ts';
import { generateMasterPrint, renderBadFrame, renderImpression, type BadFrameKind } from '../matcher/synth/index.ts';

const BAD_KINDS: readonly BadFrameKind[] = ['blank', 'too_light', 'too_dark', 'smudged', 'partial'];

function toPng(image: GrayImage): Buffer {
  const png = new PNG({ width: image.width, height: image.height, colorType: 0, inputColorType: 0, bitDepth: 8 });
  png.data = Buffer.from(image.pixels);
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0 });
}

/** Rows of images side by side with a gray gutter. */
function sheet(rows: GrayImage[][]): GrayImage {
  const gap = 6;
  const cellW = Math.max(...rows.flat().map((i) => i.width));
  const cellH = Math.max(...rows.flat().map((i) => i.height));
  const cols = Math.max(...rows.map((r) => r.length));
  const width = cols * (cellW + gap) + gap;
  const height = rows.length * (cellH + gap) + gap;
  const pixels = new Uint8Array(width * height).fill(128);
  rows.forEach((row, r) => row.forEach((img, c) => {
    for (let y = 0; y < img.height; y++) {
      const at = (gap + r * (cellH + gap) + y) * width + gap + c * (cellW + gap);
      pixels.set(img.pixels.subarray(y * img.width, (y + 1) * img.width), at);
    }
  }));
  return { width, height, dpi: 500, pixels };
}

const { values } = parseArgs({
  options: { out: { type: 'string' }, seeds: { type: 'string', default: '1,2,3,4' } },
});
if (!values.out) {
  console.error('usage: synth-preview --out DIR [--seeds 1,2,3]');
  process.exit(2);
}
const out = values.out;
mkdirSync(out, { recursive: true });
const rows: GrayImage[][] = [];
for (const seed of values.seeds.split(',').map(Number)) {
  let started = performance.now();
  const master = generateMasterPrint(seed);
  const masterMs = performance.now() - started;
  started = performance.now();
  const impressions = [1, 2, 3].map((i) => renderImpression(master, i));
  const impressionMs = (performance.now() - started) / impressions.length;
  writeFileSync(join(out, `master-${seed}-${master.pattern}.png`), toPng(master.image));
  impressions.forEach((img, i) => writeFileSync(join(out, `impression-${seed}-${i + 1}.png`), toPng(img)));
  rows.push([master.image, ...impressions]);
  console.log(`seed ${seed}: ${master.pattern}, master ${masterMs.toFixed(0)} ms, impression ${impressionMs.toFixed(0)} ms`);
}
const bad = BAD_KINDS.map((kind) => renderBadFrame(kind, 1));
BAD_KINDS.forEach((kind, i) => writeFileSync(join(out, `bad-${kind}.png`), toPng(bad[i])));
rows.push(bad);
writeFileSync(join(out, 'sheet.png'), toPng(sheet(rows)));
console.log(`wrote ${out}/sheet.png`);
