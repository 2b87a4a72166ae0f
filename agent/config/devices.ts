import { validateCardReaderConfig } from '../../drivers/card/factory.ts';
import { validateFingerprintConfig } from '../../drivers/fingerprint/factory.ts';
import { validateDisplayConfig } from '../../drivers/display/factory.ts';
import { panelConfigProblems } from '../../drivers/panel/factory.ts';
import { validatePrinterConfig } from '../../drivers/printer/factory.ts';
import { validateKeypadConfig } from '../../drivers/keypad/factory.ts';
import { validateScannerConfig } from '../../drivers/scanner/factory.ts';
import { numberFormatProblems } from '../ledger/batchNumber.ts';
import { mqttConfigProblems } from '../status/config.ts';
import { officeConfigProblems } from '../office/config.ts';

/**
 * Each device section is validated by its own driver package (the schema only knows `driver`),
 * the MQTT section by the status module and the office section by the office module, so the rules live next to the code that uses them.
 * Every problem is returned, prefixed with its path in the config file.
 */
export function deviceConfigProblems(raw: Readonly<Record<string, unknown>>): string[] {
  const d = raw.devices;
  const lines = isObject(d)
    ? [
        ...validateCardReaderConfig(d.cardReader, 'devices.cardReader'),
        ...validateFingerprintConfig(d.fingerprint, 'devices.fingerprint'),
        ...panelConfigProblems(d.panel, 'devices.panel'),
        ...validatePrinterConfig(d.printer, 'devices.printer'),
        ...validateDisplayConfig(d.display, 'devices.display'),
        ...validateScannerConfig(d.scanner, 'devices.scanner'),
        ...validateKeypadConfig(d.keypad, 'devices.keypad'),
      ]
    : [];
  if (raw.mqtt !== null && raw.mqtt !== undefined) lines.push(...mqttConfigProblems(raw.mqtt, 'mqtt'));
  if (raw.office !== null && raw.office !== undefined) lines.push(...officeConfigProblems(raw.office, 'office'));
  const ba = raw.beritaAcara;
  if (isObject(ba)) lines.push(...numberFormatProblems(ba.numberFormat).map((m) => `beritaAcara.numberFormat: ${m}`));
  return lines;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
