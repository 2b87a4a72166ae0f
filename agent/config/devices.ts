import { validateCardReaderConfig } from '../../drivers/card/factory.ts';
import { validateFingerprintConfig } from '../../drivers/fingerprint/factory.ts';
import { validateDisplayConfig } from '../../drivers/display/factory.ts';
import { parsePanelConfig } from '../../drivers/panel/factory.ts';
import { validatePrinterConfig } from '../../drivers/printer/factory.ts';
import { numberFormatProblems } from '../ledger/batchNumber.ts';
import { resolveMqttConfig } from '../status/config.ts';
import type { MqttConfig } from '../status/types.ts';

/** Runs a validator that throws, turning its error (with `detail.errors` when it lists them) into lines. */
function problemsOf(check: () => unknown): string[] {
  try {
    check();
    return [];
  } catch (err) {
    const listed = (err as { detail?: { errors?: unknown } }).detail?.errors;
    return Array.isArray(listed) ? listed.map(String) : [(err as Error).message];
  }
}

/**
 * Each device section is validated by its own driver package (the schema only knows `driver`),
 * and the MQTT section by the status module, so the rules live next to the code that uses them.
 * Every problem is returned, prefixed with its path in the config file.
 */
export function deviceConfigProblems(raw: { devices: Record<string, unknown>; mqtt: unknown; beritaAcara?: unknown }): string[] {
  const d = raw.devices;
  const lines = [
    ...validateCardReaderConfig(d.cardReader, 'cardReader'),
    ...validateFingerprintConfig(d.fingerprint, 'fingerprint'),
    ...problemsOf(() => parsePanelConfig(d.panel)),
    ...validatePrinterConfig(d.printer, 'printer'),
    ...validateDisplayConfig(d.display, 'display'),
  ].map((l) => (l.startsWith('devices.') ? l : `devices.${l}`));
  if (raw.mqtt) lines.push(...resolveMqttConfig(raw.mqtt as MqttConfig, 'mqtt').errors);
  const ba = raw.beritaAcara as { numberFormat?: unknown } | undefined;
  if (ba) lines.push(...numberFormatProblems(ba.numberFormat).map((m) => `beritaAcara.numberFormat: ${m}`));
  return lines;
}
