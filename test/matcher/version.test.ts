import t from 'tap';
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { MATCHER_DIGEST, MATCHER_VERSION, SCORED_FILES } from '../../matcher/version.ts';

const MATCHER = fileURLToPath(new URL('../../matcher/', import.meta.url));

/** Same recipe as matcher/version.ts documents. */
function digest(files: readonly string[]): string {
  const h = createHash('sha256');
  for (const f of files) h.update(`${f}\n`).update(readFileSync(join(MATCHER, f), 'utf8').replace(/\r\n/g, '\n'));
  return h.digest('hex');
}

t.test('MATCHER_VERSION is tied to the code and parameters that decide a score', async (t) => {
  const actual = digest(SCORED_FILES);
  t.equal(
    MATCHER_DIGEST,
    actual,
    'a scoring file changed: re-measure the threshold table (npm run bench:matcher, threshold.ts), ' +
      `bump the version and set MATCHER_DIGEST = '${actual}' in matcher/version.ts`,
  );
  t.ok(MATCHER_VERSION.endsWith(MATCHER_DIGEST.slice(0, 12)), `version ${MATCHER_VERSION} carries the digest`);
});

t.test('every engine file is digested (none forgotten when a stage is added)', async (t) => {
  const engine = ['', 'primitives/', 'stages/', 'comparator/', 'template/'].flatMap((dir) =>
    readdirSync(join(MATCHER, dir)).filter((f) => f.endsWith('.ts')).map((f) => dir + f));
  // Not scoring: the public re-exports, this version file and synthetic prints.
  const exempt = new Set(['index.ts', 'version.ts']);
  const missing = engine.filter((f) => !exempt.has(f) && !SCORED_FILES.includes(f));
  t.same(missing, [], 'files missing from SCORED_FILES');
});
