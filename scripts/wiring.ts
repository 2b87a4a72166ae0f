// Generates docs/wiring.svg and the wiring tables of docs/reference-build.md from
// systemd/config.reference.json (see scripts/wiring/referenceBuild.ts).
//
//   npm run wiring              write both files
//   npm run wiring -- --check   exit 1 if either is out of date (the test suite runs the same check)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { referenceWiring, ROOT } from './wiring/referenceBuild.ts';
import { wiringSvg } from './wiring/svg.ts';
import { spliceGenerated, wiringTables } from './wiring/tables.ts';

export const SVG_PATH = 'docs/wiring.svg';
export const DOC_PATH = 'docs/reference-build.md';

/** What both files should contain now: path → expected text. */
export function renderWiring(root = ROOT): Map<string, string> {
  const w = referenceWiring();
  const doc = readFileSync(join(root, DOC_PATH), 'utf8');
  return new Map([
    [SVG_PATH, wiringSvg(w)],
    [DOC_PATH, spliceGenerated(doc, wiringTables(w))],
  ]);
}

/** Paths whose content differs from what the generator produces. */
export function staleFiles(root = ROOT): string[] {
  const stale: string[] = [];
  for (const [path, want] of renderWiring(root)) {
    let have = '';
    try {
      have = readFileSync(join(root, path), 'utf8');
    } catch {
      // a missing file is stale
    }
    if (have !== want) stale.push(path);
  }
  return stale;
}

function main(argv: string[]): number {
  if (argv.includes('--check')) {
    const stale = staleFiles();
    if (stale.length === 0) {
      console.log('wiring: docs/wiring.svg and docs/reference-build.md are up to date');
      return 0;
    }
    console.error(`wiring: out of date, run npm run wiring: ${stale.join(', ')}`);
    return 1;
  }
  for (const [path, text] of renderWiring()) writeFileSync(join(ROOT, path), text);
  console.log(`wiring: wrote ${SVG_PATH} and the tables in ${DOC_PATH}`);
  return 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main(process.argv.slice(2));
