import type { Biodata, CardData } from '../../drivers/card/types.ts';
import type { Ledger } from '../ledger/ledger.ts';
import type { CardCheck } from './states.ts';

/** Which resident the card in the reader belongs to, against the one that was called. */
export function checkCard(ledger: Ledger, residentId: number, card: CardData): CardCheck {
  const expected = ledger.residentById(residentId);
  const owner = ledger.residentByNik(card.biodata.nik);
  if (!owner) return 'not_on_roster';
  if (owner.id !== expected.id || owner.cardUid !== card.cardUid) return 'wrong_card';
  const state = ledger.itemState('ektp', expected.cardUid);
  if (state === 'issued') return 'already_issued';
  return 'ok';
}

/** Fields compared in a dispute: the static and dynamic elements printed on the card. */
const COMPARED: readonly (keyof Biodata)[] = [
  'nik',
  'name',
  'birthPlace',
  'birthDate',
  'sex',
  'bloodType',
  'address',
  'rtRw',
  'kelDesa',
  'kecamatan',
  'religion',
  'maritalStatus',
  'occupation',
  'citizenship',
];

const normalise = (v: unknown) => String(v ?? '').trim().replace(/\s+/g, ' ').toUpperCase();

/**
 * Chip data against the signed validation document. Returns the names of the differing fields
 * (never their values: they are personal data and this goes to the log).
 */
export function compareWithValidation(chip: Biodata, validationJson: string): string[] {
  const doc = JSON.parse(validationJson) as Biodata;
  return COMPARED.filter((k) => normalise(chip[k]) !== normalise(doc[k]));
}
