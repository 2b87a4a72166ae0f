import type { Logger } from '../logger.ts';
import type { LineRef } from './chip.ts';
import { BUTTONS, LEDS, PanelError, type ButtonName, type LedName, type Panel } from './types.ts';

/** A line as `{chip, offset}`, or a bare offset on the panel's default `chip`. */
export type LineRefConfig = LineRef | number;

export type PanelConfig =
  | { readonly driver: 'sim' }
  | {
      readonly driver: 'gpio';
      /** Default chip label for lines given as bare offsets, e.g. "pinctrl-bcm2711". */
      readonly chip?: string;
      readonly buttons: Readonly<Record<ButtonName, LineRefConfig>>;
      readonly leds: Readonly<Record<LedName, LineRefConfig>>;
      readonly debounceMs: number;
      readonly longPressMs: number;
      /** Only for tests and unusual mounts; defaults to /sys/class/gpio. */
      readonly sysfsRoot?: string;
    };

/**
 * Builds the configured panel, importing only the chosen implementation (onoff loads only for
 * gpio). An unknown driver or a bad line map is a PANEL_CONFIG error listing every problem:
 * never a quiet switch to the simulator, which would leave a counter with dead buttons.
 */
export async function createPanel(config: unknown, logger: Logger): Promise<Panel> {
  const cfg = parsePanelConfig(config);
  if (cfg.driver === 'sim') {
    const { SimPanel } = await import('./sim.ts');
    return new SimPanel();
  }
  const [{ GpioPanel }, { openOnoffLine }] = await Promise.all([import('./gpio.ts'), import('./onoffAdapter.ts')]);
  const ref = (r: LineRefConfig): LineRef => (typeof r === 'number' ? { chip: cfg.chip as string, offset: r } : r);
  return new GpioPanel({
    buttons: Object.fromEntries(BUTTONS.map((b) => [b, ref(cfg.buttons[b])])) as Record<ButtonName, LineRef>,
    leds: Object.fromEntries(LEDS.map((l) => [l, ref(cfg.leds[l])])) as Record<LedName, LineRef>,
    debounceMs: cfg.debounceMs,
    longPressMs: cfg.longPressMs,
    sysfsRoot: cfg.sysfsRoot,
    openLine: openOnoffLine,
    logger,
  });
}

export function parsePanelConfig(config: unknown): PanelConfig {
  const errors: string[] = [];
  const c = isObject(config) ? config : {};
  if (c.driver === 'sim') return { driver: 'sim' };
  if (c.driver !== 'gpio') {
    throw new PanelError('PANEL_CONFIG', `invalid panel configuration: panel.driver: unknown "${String(c.driver)}" (sim or gpio)`, {
      detail: { errors: ['panel.driver'] },
    });
  }
  if (c.chip !== undefined && (typeof c.chip !== 'string' || c.chip === '')) errors.push('panel.chip: must be a gpiochip label');
  const seen = new Map<string, string>();
  const checkLines = (group: 'buttons' | 'leds', names: readonly string[]) => {
    const map = isObject(c[group]) ? c[group] : null;
    if (!map) return errors.push(`panel.${group}: must map ${names.join(', ')} to lines`);
    for (const key of Object.keys(map)) if (!names.includes(key)) errors.push(`panel.${group}.${key}: unknown (${names.join(', ')})`);
    for (const name of names) {
      const r = map[name];
      const path = `panel.${group}.${name}`;
      let id: string | null = null;
      if (typeof r === 'number') {
        if (!Number.isInteger(r) || r < 0) errors.push(`${path}: line offset must be a whole number >= 0`);
        else if (typeof c.chip !== 'string') errors.push(`${path}: a bare offset needs panel.chip`);
        else id = `${c.chip}:${r}`;
      } else if (isObject(r) && typeof r.chip === 'string' && r.chip !== '' && Number.isInteger(r.offset) && (r.offset as number) >= 0) {
        id = `${r.chip}:${r.offset as number}`;
      } else errors.push(`${path}: missing or not {chip, offset}`);
      if (id) {
        const other = seen.get(id);
        if (other) errors.push(`${path}: line ${id} is already used by ${other}`);
        seen.set(id, path);
      }
    }
  };
  checkLines('buttons', BUTTONS);
  checkLines('leds', LEDS);
  const debounce = c.debounceMs;
  const long = c.longPressMs;
  if (!isInt(debounce, 1, 200)) errors.push('panel.debounceMs: 1-200 (20-50 suits tactile switches)');
  if (!isInt(long, 300, 5000)) errors.push('panel.longPressMs: 300-5000');
  else if (isInt(debounce, 1, 200) && (long as number) < 4 * (debounce as number)) errors.push('panel.longPressMs: must be at least 4x debounceMs');
  if (c.sysfsRoot !== undefined && typeof c.sysfsRoot !== 'string') errors.push('panel.sysfsRoot: must be a path');
  if (errors.length > 0) {
    throw new PanelError('PANEL_CONFIG', `invalid panel configuration: ${errors.join('; ')}`, { detail: { errors } });
  }
  return c as unknown as PanelConfig;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isInt(v: unknown, min: number, max: number): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}
