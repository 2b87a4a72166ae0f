import t from 'tap';
import { maskNik, validateNik } from '../../../drivers/card/nik.ts';

const codes = (issues: readonly { code: string }[]) => issues.map((i) => i.code);

t.test('validateNik', async (t) => {
  t.test('accepts a man born 12-07-1985 in Kota Denpasar and splits the parts', async (t) => {
    const r = validateNik('5171011207850002', { birthDate: '1985-07-12', sex: 'LAKI-LAKI' });
    t.equal(r.ok, true);
    t.same(r.errors, []);
    t.same(r.warnings, []);
    t.match(r.parts, { province: 'BALI', regency: 'KOTA DENPASAR', birthDay: 12, birthMonth: 7, birthYearTwoDigits: 85, sex: 'LAKI-LAKI', serial: '0002' });
  });

  t.test('reads day + 40 as a woman', async (t) => {
    const r = validateNik('3173044501900003', { birthDate: '1990-01-05', sex: 'PEREMPUAN' });
    t.equal(r.ok, true);
    t.match(r.parts, { birthDay: 5, sex: 'PEREMPUAN', regency: 'JAKARTA PUSAT' });
    t.same(r.warnings, []);
  });

  t.test('only warns when the NIK disagrees with the recorded sex or birth date', async (t) => {
    const r = validateNik('3173044501900003', { birthDate: '1990-01-06', sex: 'LAKI-LAKI' });
    t.equal(r.ok, true);
    t.same(codes(r.warnings).sort(), ['BIRTH_DATE_MISMATCH', 'SEX_MISMATCH']);
  });

  t.test('only warns on a calendar-impossible date (NIKs are never re-issued)', async (t) => {
    const r = validateNik('3173043102900003');
    t.equal(r.ok, true);
    t.same(codes(r.warnings), ['IMPOSSIBLE_DATE']);
  });

  t.test('rejects what cannot be a NIK', async (t) => {
    t.same(codes(validateNik('317304450190000').errors), ['NOT_16_DIGITS']);
    t.same(codes(validateNik('31730445019000a3').errors), ['NOT_16_DIGITS']);
    t.same(codes(validateNik('2073044501900003').errors), ['UNKNOWN_PROVINCE']);
    t.same(codes(validateNik('3199044501900003').errors), ['UNKNOWN_REGENCY']);
    t.same(codes(validateNik('3173004501900003').errors), ['ZERO_REGION']);
    t.same(codes(validateNik('3173043501900003').errors), ['BAD_BIRTH_DAY']);
    t.same(codes(validateNik('3173047501900003').errors), ['BAD_BIRTH_DAY']);
    t.same(codes(validateNik('3173040513900003').errors), ['BAD_BIRTH_MONTH']);
    t.same(codes(validateNik('3173040501900000').errors), ['ZERO_SERIAL']);
  });

  t.test('does not judge regencies of provinces without an embedded list', async (t) => {
    t.equal(validateNik('3299041207850002').ok, true);
  });

  t.test('knows the 2022 Papua provinces and keeps the old codes valid', async (t) => {
    t.match(validateNik('9471011207850002').parts, { province: 'PAPUA TENGAH' });
    t.match(validateNik('9171011207850002').parts, { province: 'PAPUA' });
  });
});

t.test('maskNik', async (t) => {
  t.test('keeps the first 6 and last 4 digits', async (t) => {
    t.equal(maskNik('3173044501900003'), '317304******0003');
  });
});
