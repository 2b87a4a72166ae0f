import { Type } from '@sinclair/typebox';
import { checkDriverConfig, driverConfigProblems, type DriverConfig } from '../configSchema.ts';
import type { Logger } from '../logger.ts';
import type { LineRef } from './chip.ts';
import { BUTTONS, LEDS, PanelError, type ButtonName, type LedName, type Panel } from './types.ts';

const LINE_HINT = "a line offset (whole number >= 0) on the panel's chip, or {chip, offset}";

/** A line as `{chip, offset}`, or a bare offset on the panel's default `chip`. */
const line = Type.Union(
  [
    Type.Integer({ minimum: 0 }),
    Type.Object({ chip: Type.String({ minLength: 1 }), offset: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }),
  ],
  { errorMessage: `must be ${LINE_HINT}` },
);

/** The panel's config, declared once per driver; the types below derive from it. */
export const PANEL_DRIVERS = {
  sim: Type.Object({ driver: Type.Literal('sim') }, { additionalProperties: false }),
  gpio: Type.Object(
    {
      driver: Type.Literal('gpio'),
      /** Default chip label for lines given as bare offsets, e.g. "pinctrl-bcm2711". */
      chip: Type.Optional(Type.String({ minLength: 1, errorMessage: 'must be a gpiochip label' })),
      // Written out (not built from BUTTONS/LEDS) so the derived type keeps its keys; `satisfies`
      // makes the compiler hold them to exactly the panel's button and LED names.
      buttons: Type.Object(
        { PANGGIL: line, SESUAI: line, SANGGAH: line, JARI_LAIN: line, BATAL: line } satisfies Record<ButtonName, typeof line>,
        { additionalProperties: false, errorMessage: `must map ${BUTTONS.join(', ')} to lines` },
      ),
      leds: Type.Object(
        { SIAP: line, SIBUK: line, TEMPELKAN_JARI: line, BERHASIL: line, GAGAL: line, GANGGUAN: line } satisfies Record<LedName, typeof line>,
        { additionalProperties: false, errorMessage: `must map ${LEDS.join(', ')} to lines` },
      ),
      debounceMs: Type.Integer({ minimum: 1, maximum: 200, errorMessage: '1-200 (20-50 suits tactile switches)' }),
      longPressMs: Type.Integer({ minimum: 300, maximum: 5000, errorMessage: '300-5000' }),
      /** Optional case-intrusion microswitch, held down by the closed lid (gpio.ts). */
      caseSwitch: Type.Optional(line),
      /** Only for tests and unusual mounts; defaults to /sys/class/gpio. */
      sysfsRoot: Type.Optional(Type.String({ errorMessage: 'must be a path' })),
    },
    { additionalProperties: false },
  ),
};

export type PanelConfig = DriverConfig<typeof PANEL_DRIVERS>;
export type LineRefConfig = Extract<PanelConfig, { driver: 'gpio' }>['buttons'][ButtonName];

/**
 * Every problem as "path: message": the schema's, then the rules across keys that it cannot say
 * (a bare offset needs the default chip, no line used twice, a long press outlasts the debounce).
 * The cross-key rules read the raw value, so they are listed alongside schema problems rather
 * than only once those are fixed.
 */
export function panelConfigProblems(raw: unknown, path = 'panel'): string[] {
  const problems = driverConfigProblems(PANEL_DRIVERS, raw, path);
  if (!isObject(raw) || raw.driver !== 'gpio') return problems;
  const chip = typeof raw.chip === 'string' && raw.chip !== '' ? raw.chip : null;
  const seen = new Map<string, string>();
  // Each line once, whether it is a button, an LED or the case switch.
  const claim = (r: unknown, at: string): void => {
    let id: string | null = null;
    if (isOffset(r)) {
      if (chip === null) problems.push(`${at}: a bare offset needs ${path}.chip`);
      else id = `${chip}:${r}`;
    } else if (isObject(r) && typeof r.chip === 'string' && r.chip !== '' && isOffset(r.offset)) {
      id = `${r.chip}:${r.offset}`;
    }
    if (id === null) return;
    const other = seen.get(id);
    if (other) problems.push(`${at}: line ${id} is already used by ${other}`);
    else seen.set(id, at);
  };
  for (const [group, names] of [['buttons', BUTTONS], ['leds', LEDS]] as const) {
    const map = raw[group];
    if (!isObject(map)) continue;
    for (const name of names) claim(map[name], `${path}.${group}.${name}`);
  }
  if (raw.caseSwitch !== undefined) claim(raw.caseSwitch, `${path}.caseSwitch`);
  const { debounceMs, longPressMs } = raw;
  if (isInt(debounceMs, 1, 200) && isInt(longPressMs, 300, 5000) && longPressMs < 4 * debounceMs) {
    problems.push(`${path}.longPressMs: must be at least 4x debounceMs (${4 * debounceMs})`);
  }
  return problems;
}

/** The validated config, or a PANEL_CONFIG error whose `detail.errors` lists every problem. */
export function parsePanelConfig(raw: unknown): PanelConfig {
  const problems = panelConfigProblems(raw);
  const { config } = checkDriverConfig(PANEL_DRIVERS, raw, 'panel');
  if (problems.length > 0 || !config) {
    throw new PanelError('PANEL_CONFIG', `invalid panel configuration: ${problems.join('; ')}`, { detail: { errors: problems } });
  }
  return config;
}

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
  const ref = (r: LineRefConfig): LineRef => {
    if (typeof r !== 'number') return r;
    // parsePanelConfig refuses a bare offset without panel.chip; this only narrows the type.
    if (cfg.chip === undefined) throw new PanelError('PANEL_CONFIG', 'invalid panel configuration: panel.chip: required for bare offsets');
    return { chip: cfg.chip, offset: r };
  };
  return new GpioPanel({
    buttons: Object.fromEntries(BUTTONS.map((b) => [b, ref(cfg.buttons[b])])) as Record<ButtonName, LineRef>,
    leds: Object.fromEntries(LEDS.map((l) => [l, ref(cfg.leds[l])])) as Record<LedName, LineRef>,
    debounceMs: cfg.debounceMs,
    longPressMs: cfg.longPressMs,
    sysfsRoot: cfg.sysfsRoot,
    caseSwitch: cfg.caseSwitch === undefined ? undefined : ref(cfg.caseSwitch),
    openLine: openOnoffLine,
    logger,
  });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isOffset(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

function isInt(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}
