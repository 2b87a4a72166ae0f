import { createHash } from 'node:crypto';
import type { CardData, FingerPosition } from '../../drivers/card/types.ts';
import type { FingerImage } from '../../drivers/fingerprint/types.ts';
import { verifyScore } from '../../matcher/compare.ts';
import { extract, extractProbe } from '../../matcher/extract.ts';
import type { Template } from '../../matcher/index.ts';
import { thresholdForFmr } from '../../matcher/threshold.ts';
import { generateMasterPrint, renderBadFrame, renderImpression, type BadFrameKind, type MasterPrint } from '../../matcher/synth/index.ts';
import { decodeIso19794, encodeIso19794, isoFromTemplate, templateFromIso } from '../../matcher/template/iso19794.ts';
import type { VirtualResident } from './residents.ts';

/** Pseudo-random bytes from a label (SHA-256 in counter mode). */
export function standInBytes(label: string, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let block = 0, at = 0; at < length; block++) {
    const digest = createHash('sha256').update(`${label}#${block}`).digest();
    out.set(digest.subarray(0, Math.min(digest.length, length - at)), at);
    at += digest.length;
  }
  return out;
}

/** ISO/IEC 19794-2 finger position codes. */
const ISO_FINGER: Record<FingerPosition, number> = { right_index: 2, left_index: 7 };

/**
 * The physical side of the simulated counter: each virtual resident's fingers (synthetic master
 * prints), the e-KTP chip made at enrolment (templates extracted by the project's own matcher
 * from an enrolment impression, as an AFIS enrolment would), and live captures at the counter.
 * Nothing here is decided by name: a genuine capture is a new impression of the same master, an
 * impostor capture is an impression of somebody else's finger, and the matcher judges both.
 */
export class VirtualWorld {
  private readonly masters = new Map<number, MasterPrint>();

  constructor(private readonly seed: number) {}

  private master(fingerSeed: number): MasterPrint {
    let m = this.masters.get(fingerSeed);
    if (!m) {
      m = generateMasterPrint(fingerSeed);
      this.masters.set(fingerSeed, m);
    }
    return m;
  }

  /** The chip of this resident's e-KTP; `chipBiodata` lets a scenario print a card that differs from the enrolment record. */
  makeCard(r: VirtualResident, opts: { chipBiodata?: CardData['biodata']; fingers?: readonly FingerPosition[] } = {}): CardData {
    const positions = opts.fingers ?? (['right_index', 'left_index'] as const);
    const fingers = positions.map((position) => {
      const image = renderImpression(this.master(r.fingerSeeds[position]), this.seed * 7 + 1, { dx: 0, dy: 0, rotationDeg: 0, contact: 1 });
      const { template } = extract(image);
      const iso = isoFromTemplate(template, { fingerPosition: ISO_FINGER[position], quality: 80 });
      return { position, template: encodeIso19794(iso) };
    });
    return {
      cardUid: r.cardUid,
      biodata: opts.chipBiodata ?? r.biodata,
      // Stand-ins for the JPEG photo and signature image, deterministic so tests can search
      // every output file for them.
      photo: standInBytes(`photo:${r.cardUid}`, 3000),
      signature: standInBytes(`signature:${r.cardUid}`, 800),
      fingers,
      signatureValid: true,
    };
  }

  /** A fresh impression of the resident's own finger, as the sensor would deliver it. */
  genuine(r: VirtualResident, finger: FingerPosition, attempt: number): FingerImage {
    return renderImpression(this.master(r.fingerSeeds[finger]), this.seed * 1000 + attempt * 13 + 5);
  }

  /** Somebody else's finger on the sensor. */
  impostor(other: VirtualResident, finger: FingerPosition, attempt: number): FingerImage {
    return this.genuine(other, finger, attempt + 500);
  }

  /**
   * Somebody else's finger, as a scripted "does not match" scenario needs it: an impression of
   * `other`'s finger that scores (as the verifier scores a live capture: `extractProbe` + `verifyScore`) below the FMR `fmr` threshold against `victim`'s chip record of
   * that finger. Two synthetic fingers share more flow than two real ones, so about 1% of
   * synthetic impostor pairs score above the 1e-4 threshold (matcher/README.md), against 1e-4 for
   * real prints; a scripted day that needs GAGAL draws the next impression, then the stranger's
   * other finger, rather than turn a GAGAL scenario into BERHASIL by that artefact. The
   * interactive console keeps `impostor`, where a false match is the matcher's honest answer.
   */
  impostorFor(victim: VirtualResident, other: VirtualResident, finger: FingerPosition, attempt: number, fmr = 1e-4): FingerImage {
    const gallery = this.chipTemplate(victim, finger);
    const threshold = thresholdForFmr(fmr);
    const other2: FingerPosition = finger === 'right_index' ? 'left_index' : 'right_index';
    for (const [f, k] of [[finger, 0], [finger, 1], [finger, 2], [other2, 0], [other2, 1]] as const) {
      const image = this.genuine(other, f, attempt + 500 + k * 7919);
      // Scored exactly as agent/matching/worker.ts scores a live capture.
      const probe = extractProbe(image);
      if (probe.guidance || verifyScore(probe, gallery) < threshold) return image;
    }
    throw new Error(`sim: every impression of the stranger's fingers matches resident ${victim.cardUid}'s ${finger}`);
  }

  private readonly chipTemplates = new Map<string, Template>();

  /** The template the verifier reads from `r`'s chip for `finger` (encoded and decoded as on the card). */
  private chipTemplate(r: VirtualResident, finger: FingerPosition): Template {
    const key = `${r.cardUid}:${finger}`;
    let t = this.chipTemplates.get(key);
    if (!t) {
      const record = decodeIso19794(this.makeCard(r, { fingers: [finger] }).fingers[0].template);
      t = templateFromIso(record, 0);
      this.chipTemplates.set(key, t);
    }
    return t;
  }

  badFrame(kind: BadFrameKind, attempt: number, r?: VirtualResident): FingerImage {
    return renderBadFrame(kind, this.seed * 31 + attempt, r ? this.master(r.fingerSeeds.right_index) : undefined);
  }
}
