import type { LedName, LedPattern } from '../../drivers/panel/types.ts';
import { LEDS } from '../../drivers/panel/types.ts';
import type { TxStateName } from './states.ts';

/** The steady LED picture of each state (operator guide: docs/operator-guide.md). */
const STATE_LEDS: Record<TxStateName, Partial<Record<LedName, LedPattern>>> = {
  IDLE: { SIAP: 'on' },
  CALLED: { SIBUK: 'slow' },
  READING_CARD: { SIBUK: 'on' },
  DATA_CHECK: { SIBUK: 'pulse' },
  DISPUTE_REVIEW: { SIBUK: 'on' },
  VERIFY_FINGER: { SIBUK: 'on', TEMPELKAN_JARI: 'on' },
  HANDOVER: { BERHASIL: 'on' },
  RETURN_DOCS: { GAGAL: 'on' },
  // Not a verdict: no BERHASIL/GAGAL light; GANGGUAN says a device or the chip data is at fault.
  UNVERIFIED: { SIBUK: 'pulse', GANGGUAN: 'on' },
};

export function ledsFor(state: TxStateName): Record<LedName, LedPattern> {
  const picture = STATE_LEDS[state];
  return Object.fromEntries(LEDS.map((led) => [led, picture[led] ?? 'off'])) as Record<LedName, LedPattern>;
}
