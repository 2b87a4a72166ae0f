import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PanelError } from './types.ts';

/** A GPIO line named the way the hardware is: controller label and line offset on it. */
export interface LineRef {
  /** gpiochip label, e.g. "pinctrl-bcm2711" (Pi 4), "pinctrl-rp1" (Pi 5), "pinctrl-bcm2835" (Pi 3). */
  readonly chip: string;
  /** Line offset on that chip; on a Pi this is the BCM GPIO number. */
  readonly offset: number;
}

export interface ChipInfo {
  readonly name: string;
  readonly label: string;
  readonly base: number;
  readonly ngpio: number;
}

export const SYSFS_GPIO = '/sys/class/gpio';

/**
 * Kernels from 6.6 on Raspberry Pi OS number sysfs GPIOs from a dynamic chip base (512 and up),
 * so "GPIO 17" is no longer sysfs number 17. We read each gpiochipN's label, base and ngpio and
 * compute base + offset, so the config names the line the way the wiring does.
 */
export async function listChips(root = SYSFS_GPIO): Promise<ChipInfo[]> {
  let entries: string[];
  try {
    entries = await readdir(root);
  } catch (err) {
    throw gpioUnavailable(root, err);
  }
  const chips: ChipInfo[] = [];
  for (const name of entries.filter((e) => /^gpiochip\d+$/.test(e)).sort()) {
    const dir = join(root, name);
    try {
      const [label, base, ngpio] = await Promise.all(['label', 'base', 'ngpio'].map((f) => readFile(join(dir, f), 'utf8')));
      chips.push({ name, label: label.trim(), base: toInt(base, dir), ngpio: toInt(ngpio, dir) });
    } catch (err) {
      if (err instanceof PanelError) throw err;
      throw new PanelError('GPIO_IO', `cannot read ${dir}: ${(err as Error).message}`, { cause: err });
    }
  }
  return chips;
}

export function resolveLine(chips: readonly ChipInfo[], ref: LineRef): number {
  const chip = chips.find((c) => c.label === ref.chip);
  if (!chip) {
    throw new PanelError(
      'GPIO_LINE_NOT_FOUND',
      `no GPIO chip labelled "${ref.chip}"; this board has: ${chips.map((c) => `${c.label} (${c.name})`).join(', ') || 'none'}`,
      { detail: { chip: ref.chip, available: chips.map((c) => c.label) } },
    );
  }
  if (!Number.isInteger(ref.offset) || ref.offset < 0 || ref.offset >= chip.ngpio) {
    throw new PanelError('GPIO_LINE_NOT_FOUND', `line ${ref.offset} is outside ${ref.chip} (0..${chip.ngpio - 1})`, {
      detail: { chip: ref.chip, offset: ref.offset, ngpio: chip.ngpio },
    });
  }
  return chip.base + ref.offset;
}

export async function checkSysfs(root = SYSFS_GPIO): Promise<void> {
  try {
    await stat(join(root, 'export'));
  } catch (err) {
    throw gpioUnavailable(root, err);
  }
}

/**
 * onoff speaks only sysfs GPIO. Without it we stop with instructions instead of switching to the
 * character device: that needs GPIO_V2 ioctls, which Node cannot issue without a native addon we
 * do not ship, and a quietly different backend is the kind of fallback the project forbids.
 */
function gpioUnavailable(root: string, cause: unknown): PanelError {
  return new PanelError(
    'GPIO_UNAVAILABLE',
    `sysfs GPIO (${root}) is not available. The panel driver needs a kernel with CONFIG_GPIO_SYSFS=y ` +
      '(Raspberry Pi OS kernels have it) and the agent user in group gpio. Check `ls /sys/class/gpio`; ' +
      'on a kernel without it, install one that has it, or set devices.panel.driver to "sim" for a bench test.',
    { cause, detail: { root } },
  );
}

function toInt(text: string, dir: string): number {
  const n = Number(text.trim());
  if (!Number.isInteger(n) || n < 0) throw new PanelError('GPIO_IO', `bad number "${text.trim()}" in ${dir}`);
  return n;
}
