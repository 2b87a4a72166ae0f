/**
 * The only shape of GPIO the panel logic sees. onoffAdapter.ts implements it on sysfs; tests
 * implement it in memory. Values are logical: for a button 1 means pressed (the adapter inverts
 * the active-low line), for an LED 1 means lit.
 */
export interface GpioLine {
  read(): 0 | 1;
  write(value: 0 | 1): void;
  /** Called on every edge the kernel reports, bounces included; the panel debounces. */
  watch(onEdge: () => void, onError: (err: Error) => void): void;
  close(): void;
}

export type LineMode = 'button' | 'led';

export type OpenLine = (globalNumber: number, mode: LineMode) => GpioLine;
