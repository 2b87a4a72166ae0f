/**
 * Public face of the matcher (SourceAFIS-style: everything else is engine). Pure code: no I/O,
 * nothing from agent/ or drivers/.
 */
export { extract, extractProbe } from './extract.ts';
export { compare, verifyScore } from './compare.ts';
export { thresholdForFmr, MATCHER_VERSION } from './threshold.ts';
export type { CaptureGuidance, Extraction, GrayImage, Minutia, MinutiaType, ProbeExtraction, Template, TemplateErrorCode, Trace } from './types.ts';
export { TemplateError } from './types.ts';
export * from './template/iso19794.ts';
export * from './synth/index.ts';
