import t from 'tap';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chimeWav } from '../../../agent/hall/chime.ts';
import { ALL_CLIPS, missingClips, readClip, renderClips } from '../../../agent/hall/clips.ts';
import { readWav, trimSilence, wav } from '../../../agent/hall/wav.ts';

t.test('renderClips makes every clip with espeak-ng (Indonesian voice), trimmed, plus the chime', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ektp-clips-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  t.same(missingClips(dir).length, ALL_CLIPS.length);
  const manifest = await renderClips(dir);
  t.match(manifest.engine, /eSpeak NG/);
  t.same(missingClips(dir), []);
  t.notOk(readdirSync(dir).some((f) => f.endsWith('.tmp') || f.endsWith('.raw')), 'no temporary files left');
  for (const name of ['dua', 'belas', 'nomor-antrean', 'silakan-ke-loket', 'huruf-a']) {
    const { samples, rate } = readWav(readFileSync(join(dir, `${name}.wav`)));
    t.equal(rate, 22050, `${name} rate`);
    t.ok(samples.length > rate * 0.15 && samples.length < rate * 2.5, `${name}: ${(samples.length / rate).toFixed(2)} s`);
  }
  t.equal(readClip(dir, '../etc/passwd'), null, 'only clip names reach the disk');
  t.ok(readClip(dir, 'chime'));
});

t.test('renderClips without espeak-ng says so with a code', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ektp-clips-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  await t.rejects(renderClips(dir, '/nonexistent/espeak-ng'), { code: 'HALL_TTS_FAILED' });
});

t.test('wav and trimSilence', async (t) => {
  const chime = readWav(chimeWav());
  t.equal(chime.rate, 22050);
  t.ok(chime.samples.some((s) => Math.abs(s) > 10_000), 'the chime is audible');
  const padded = new Int16Array(22050);
  for (let i = 11000; i < 11100; i++) padded[i] = i % 2 ? 5000 : -5000;
  const trimmed = readWav(trimSilence(wav(padded, 22050)));
  t.ok(trimmed.samples.length < 3000 && trimmed.samples.length >= 100, `${trimmed.samples.length} samples kept`);
  t.same(readWav(trimSilence(wav(new Int16Array(100), 22050))).samples.length, 100, 'all silence is left alone');
  t.throws(() => readWav(Buffer.from('not a wav at all, really not')), TypeError);
});
