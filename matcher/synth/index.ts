/**
 * Synthetic fingerprint generator (SFinGe-style): deterministic master fingers and realistic
 * captures of them, for the sensor simulator, tests and benchmarks. Runs without any fixture
 * images. See README.md in this folder for the model and its limits.
 */
export { generateMasterPrint } from './master.ts';
export { renderImpression } from './impression.ts';
export { renderBadFrame } from './badFrame.ts';
export type { BadFrameKind, ImpressionOptions, MasterPrint, PatternClass, Point } from './types.ts';
