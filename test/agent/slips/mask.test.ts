import t from 'tap';
import { maskNik } from '../../../agent/slips/mask.ts';

t.test('maskNik', async (t) => {
  t.test('keeps the first 6 and last 4 digits and stars the birth date', async (t) => {
    t.equal(maskNik('3404041708859001'), '340404******9001');
  });
  t.test('ignores separators a clerk may have typed', async (t) => {
    t.equal(maskNik('3404.0417 0885-9001'), '340404******9001');
  });
  t.test('stars a malformed value in full instead of leaking part of it', async (t) => {
    t.equal(maskNik('34040417'), '****************');
    t.equal(maskNik('3404041708859001999'), '*******************');
    t.equal(maskNik('34040417088590AB'), '****************');
  });
});
