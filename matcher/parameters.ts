/**
 * Algorithm tuning constants (SourceAFIS `Parameters` style). These are properties of the
 * algorithm, not user settings: changing one changes the score distribution, so the
 * threshold table in threshold.ts must be re-measured (npm run bench:matcher).
 * Distances are in pixels at 500 dpi.
 */

/** Resolution every image is rescaled to before extraction. */
export const TARGET_DPI = 500;
/** Larger scaled images are cropped around their centre: no sensor is bigger than ~2 inches. */
export const MAX_SCALED_SIDE = 1024;
/** Smaller images cannot hold a usable print: they are reported as NO_FINGER. */
export const MIN_SCALED_SIDE = 48;

/** Side of the square block for orientation, segmentation and frequency fields. */
export const BLOCK = 8;
/** Block radius of the box window summing gradient moments (3x3 blocks = 24 px). */
export const ORIENTATION_WINDOW_BLOCKS = 1;
/** Passes of 3x3 block smoothing applied to the doubled-angle orientation vectors. */
export const ORIENTATION_SMOOTHING_PASSES = 2;

/** Block contrast (gray-level standard deviation) below this fraction of the image's 90th percentile is background. */
export const SEGMENT_RELATIVE_CONTRAST = 0.35;
/** Absolute contrast floor (gray levels std) for foreground. */
export const SEGMENT_MIN_CONTRAST = 6;
/** Blocks whose orientation coherence is below this are background unless strongly contrasted. */
export const SEGMENT_MIN_COHERENCE = 0.2;
/**
 * Hysteresis: background blocks touching the foreground join it when their contrast reaches
 * this fraction of the 90th percentile and their orientation coherence this value.
 */
export const SEGMENT_GROW_RELATIVE_CONTRAST = 0.25;
export const SEGMENT_GROW_COHERENCE = 0.5;
/**
 * Minutiae near the mask edge (stages/removeBorderMinutiae.ts, topMinutiae.ts). The contextual
 * filter stops at the mask, so every ridge ends there: within half a ridge period of the edge
 * nearly every minutia is such a cut (1-5% have a FingerJet minutia within 10 px and 30 deg on
 * the FVC2002 sets) and is removed. Further in, the share that is real rises over two blocks
 * (endings on db1/db2/db4: 15-25% at 4-8 px, 56-63% at 8-12 px, 81-89% at 12-16 px, 89-94%
 * beyond; db3, where fewer agree anywhere: 5%, 20%, 36%, 62-81%), so the ISO quality ramps
 * linearly from 0 at the cut distance to full at the trusted distance.
 */
export const BORDER_CUT_DISTANCE = 4;
export const BORDER_TRUSTED_DISTANCE = 16;

/** Ridge period bounds (pixels at 500 dpi); a typical adult print has 8-11. */
export const MIN_RIDGE_PERIOD = 5;
export const MAX_RIDGE_PERIOD = 15;
/** Fallback period when a print gives no usable frequency estimate. */
export const DEFAULT_RIDGE_PERIOD = 9;
/** Window for the oriented ridge-frequency signature: length across ridges and width along them. */
export const FREQUENCY_WINDOW_ACROSS = 32;
export const FREQUENCY_WINDOW_ALONG = 16;
/** Block radius over which per-block period estimates are averaged. */
export const FREQUENCY_SMOOTHING_BLOCKS = 2;

/** Orientation quantization of the contextual filter bank. */
export const FILTER_ORIENTATIONS = 16;
/** Half length and sigma of the smoothing along ridges. */
export const ALONG_RIDGE_HALF = 7;
export const ALONG_RIDGE_SIGMA = 4;
/**
 * Along-ridge sigmas of a live probe's alternate extractions (extract.ts extractProbe), one step
 * shorter and one step longer than ALONG_RIDGE_SIGMA. The shorter smoothing keeps more of the
 * small dry-ridge breaks another extractor reports and our filter closes, the longer one bridges
 * more pores and creases; alone each helps some sets and hurts others (matcher/EXPERIMENTS.md,
 * "Probe-side ensemble" and "Speed and the three-sigma probe"), so the probe is scored with all
 * three and verifyScore takes the mean.
 */
export const PROBE_ALTERNATE_ALONG_RIDGE_SIGMAS: readonly number[] = [3, 5];
/** Sigma of the across-ridge Gabor envelope, as a fraction of the ridge period. */
export const ACROSS_RIDGE_SIGMA_FACTOR = 0.45;

/**
 * Skeleton trace length (px, about two ridge periods) over which a minutia's direction is taken:
 * the chord from an ending to the ridge 20 px up, the bisector of a bifurcation's two branches
 * 20 px out. The chord's pixel quantization (+-1 px) costs +-6 deg over 10 px and +-3 deg over
 * 20 px, while ridge curvature bends a longer chord away from the tangent (40 px was worse
 * again). Against FingerJet FX OSE's records of the same images (nearest minutia within 10 px,
 * FVC2002 + UareU) the median difference fell from 6.3-7.1 deg to 3.9-4.5 deg (10 px, fork
 * direction blended with the reversed stem) and 87-92% instead of 84-90% agree within 30 deg
 * (matcher/EXPERIMENTS.md, "Minutia direction").
 */
export const DIRECTION_TRACE = 20;
/**
 * Ridge-likeness of a minutia's neighbourhood (stages/topMinutiae.ts): RMS of the enhanced image
 * over the RMS gray-level deviation in a 17 x 17 px square (radius 8, about two ridge periods),
 * full at 0.5 (the FVC2002 median is 0.34-0.46). It replaces the absolute block contrast (full at
 * 30 gray levels) in the minutia's clarity, and the coherence term goes under a square root: at
 * the same coherence a minutia in a faint block is nearly as often one FingerJet FX OSE also
 * records as one in a dark block (FVC2002 pooled, coherence 0.4-0.6, block contrast 0-10 / 10-15
 * / 15-20 / 20-30 / 30+: 59 / 64 / 70 / 78 / 86%, where contrast / 30 weighed 0.17 / 0.42 / 0.58 /
 * 0.83 / 1), while at the same quality the ratio separates them (db3 quality 60-79: 47% at ratio
 * 0.2-0.3, 89% at 0.4-0.5; db1 quality 80+: 80% at 0.3-0.4, 95% at 0.5-0.6). Measured in
 * matcher/EXPERIMENTS.md, "Session 6: faint ridges".
 */
export const RIDGE_LIKENESS_RADIUS = 8;
export const RIDGE_LIKENESS_FULL = 0.5;
/** Ridges shorter than this between two minutiae are spurs, bridges, holes or short ridges. */
export const SHORT_RIDGE = 7;
/**
 * Quality factor of a minutia at either end of such a short ridge (stages/topMinutiae.ts): kept,
 * as about half as likely to be real. On the FVC2002 sets 36-51% of them have a FingerJet
 * minutia within 10 px and 30 deg, against 85-90% of the minutiae no filter flags (db3: 25-36%
 * against 72%); broken ridges and clusters stay removed.
 */
export const ARTEFACT_QUALITY_FACTOR = 0.5;
/** Two endings facing each other closer than this are one broken ridge. */
export const BROKEN_RIDGE_GAP = 16;
/** Facing tolerance for broken ridges (radians away from exactly opposite directions). */
export const BROKEN_RIDGE_ANGLE = Math.PI / 5;
/** Minutiae with at least CLUSTER_NEIGHBOURS others within CLUSTER_RADIUS are noise. */
export const CLUSTER_RADIUS = 10;
export const CLUSTER_NEIGHBOURS = 2;
/**
 * ISO placement (stages/placeMinutiae.ts): a quarter of the typical ridge period (0.45 mm, 9 px
 * at 500 dpi) between a skeleton's ending or junction and the valley or ridge fork ISO names.
 */
export const ISO_PLACEMENT_SHIFT = 2;
/** Most minutiae kept per template (best quality first). */
export const MAX_MINUTIAE = 80;

/** Image quality model (0..100). */
export const QUALITY_GOOD_AREA = 40_000;
export const QUALITY_MIN_MINUTIAE = 12;
/** Capture refusal thresholds. */
export const GUIDANCE_MIN_FOREGROUND_PIXELS = 12_000;
export const GUIDANCE_MIN_FOREGROUND_FRACTION = 0.04;
export const GUIDANCE_MIN_QUALITY = 20;
/** Less foreground than this (about 30x30 px) is no finger at all. */
export const GUIDANCE_NO_FINGER_PIXELS = 1_000;
/** Mean foreground gray below DARK_MEAN with block contrast below DARK_CONTRAST: wet or pressed too hard. */
export const GUIDANCE_DARK_MEAN = 70;
export const GUIDANCE_DARK_CONTRAST = 17;
/**
 * ...and flooded (sweat or a heavy press filled the valleys): block contrast below this share of
 * the print's depth below the bare platen. For a square ridge/valley wave the valleys then rise
 * less than a fifth of the way from the ridges back to the platen. Synthetic too_dark frames
 * measure 0.067-0.079, wet synthetic prints >= 0.17, every FVC2002 and neurotech-uareu print
 * >= 0.23 (darkness alone refused two readable db3 prints: EXPERIMENTS.md, Session 6).
 */
export const GUIDANCE_FLOODED_MODULATION = 0.125;
/**
 * Share of the frame's blocks outside the mask needed to read the bare platen's gray level (their
 * median). With less in view (a finger filling the sensor; some FVC2002 db2 prints cover 95%) a
 * dark platen and a flooded finger cannot be told apart, and a dark, flat print counts as flooded.
 */
export const GUIDANCE_MIN_BARE_FRACTION = 0.1;
/** Block contrast below LIGHT_CONTRAST: too light (mean gray above LIGHT_MEAN) or smeared. */
export const GUIDANCE_LIGHT_CONTRAST = 12;
export const GUIDANCE_LIGHT_MEAN = 150;
export const GUIDANCE_OFF_CENTRE = 0.3;

/** Comparator. */
/** Edges between minutiae shorter or longer than this are not used as pairing roots. */
export const EDGE_MIN_LENGTH = 14;
export const EDGE_MAX_LENGTH = 100;
/** Edge hashing bins: length step (px) and angle step (radians). */
export const EDGE_LENGTH_STEP = 6;
export const EDGE_ANGLE_STEP = Math.PI / 12;
/** Tolerances for two edges to be considered the same shape. */
export const EDGE_LENGTH_TOLERANCE = 6;
export const EDGE_ANGLE_TOLERANCE = Math.PI / 12;
/** Most root edge pairs tried in global consolidation. */
export const MAX_ROOTS = 8;
/**
 * The strongest roots are consolidated even when an earlier consolidation confirmed both their
 * pairings (the others are skipped as reproductions). Under distortion two neighbouring roots of
 * one cluster end at different alignments, each fitting best around itself (FVC2002 db1 110_1 vs
 * 110_7, FingerJet gallery: the first root scores 11.2, the second, confirmed by the first, 19.1).
 */
export const ALWAYS_CONSOLIDATED_ROOTS = 2;
/** Pairing tolerance after alignment: base distance plus growth with distance from the root (elastic distortion). */
export const PAIR_DISTANCE_BASE = 12;
export const PAIR_DISTANCE_SLOPE = 0.08;
export const PAIR_DISTANCE_MAX = 26;
export const PAIR_ANGLE_TOLERANCE = Math.PI / 6;
/**
 * Local consistency of a pairing: two pairs agree when the edge between their minutiae has the
 * same length (base + slope x length, px) and the same angles to both minutiae's directions in
 * both prints. Only edges shorter than the radius are checked (distortion accumulates with
 * distance). A pair's weight scales with its agreeing neighbours up to CONSISTENCY_SUPPORT.
 * The angle tolerance covers two extractors, not only ours: FingerJet's and our directions for
 * the same minutia of the same image (within 10 px and 30 deg) differ by 3.5-4.1 deg median and
 * 13-15 deg at the 90th percentile (6 and 17 deg before DIRECTION_TRACE's 20 px chords), and
 * each check adds two such errors per print. 15 deg pays only with those directions: with the
 * 10 px ones interop FNMR rose on every set but db1 (matcher/EXPERIMENTS.md, "Minutia direction").
 */
export const CONSISTENCY_LENGTH_BASE = 4;
export const CONSISTENCY_LENGTH_SLOPE = 0.06;
export const CONSISTENCY_ANGLE = Math.PI / 12;
export const CONSISTENCY_RADIUS = 120;
export const CONSISTENCY_SUPPORT = 5;
/**
 * Weight of a pair whose minutia types differ. Pressure turns endings into bifurcations and back,
 * so a type change is allowed, but agreeing types are better evidence.
 */
export const TYPE_MISMATCH_WEIGHT = 0.6;
/**
 * Least reliability weight of a minutia with a reported ISO quality (comparator/searchTemplate.ts
 * reliabilityOf: (quality / 100)^2): even a quality-1 minutia keeps a twentieth of a vote.
 */
export const MIN_MINUTIA_RELIABILITY = 0.05;
/**
 * Overlap fall-off (comparator/consolidate.ts): a minutia counts towards the other print's
 * overlap fully inside that print's minutiae bounding box and linearly less with its distance
 * from the box, nothing from OVERLAP_RAMP px on. Along each side of the box that adds as much as
 * the hard 16 px margin used until 1.6.0, without its step (a minutia 15 px out counted fully,
 * one 17 px out not at all, so a pixel of alignment could move the count and the score).
 */
export const OVERLAP_RAMP = 32;
/**
 * Reliability by local configuration (comparator/localConfiguration.ts), for every template alike.
 * Share of a template's minutiae with a counterpart in the other extractor's record of the same
 * image (one-to-one, 10 px, 30 deg), relative to isolated minutiae (nearest other > 16 px) of the
 * same quality, by distance to the nearest other minutia, FVC2002 db1-db4: FingerJet FX OSE's
 * 0.43-0.57 within 4 px, 0.59-0.73 at 4-7, 0.83-0.87 at 7-10, 0.89-0.96 at 10-13, 0.95-1.00 at
 * 13-16 px; ours 0.38-0.66, 0.54-0.80, 0.69-0.76, 0.78-0.87, 0.82-0.94. A linear ramp from 0.5
 * within 4 px to 1 at 16 px lies between the two. Facing endings (a broken ridge) up to 12 px
 * apart, against minutiae of the same quality and crowding: FingerJet's 0.54/0.63/1.32/0.41, ours
 * 0.76/0.72/1.28/0.79 (db1/db2/db3/db4; too few of ours, our extractor removes them up to 16 px).
 * Clusters (>= 2 others within 10 px) and an opposite-direction neighbour within 8 px add nothing
 * once the nearest distance is counted (0.80-1.17 and 0.78-1.51).
 */
export const CROWDED_DISTANCE = 4;
export const UNCROWDED_DISTANCE = 16;
export const CROWDED_RELIABILITY = 0.5;
export const FACING_ENDING_GAP = 12;
export const FACING_ENDING_RELIABILITY = 0.5;
