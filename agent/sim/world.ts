import { createHash } from 'node:crypto';
import type { CardData, FingerPosition } from '../../drivers/card/types.ts';
import type { FingerImage } from '../../drivers/fingerprint/types.ts';
import { extract } from '../../matcher/extract.ts';
import { generateMasterPrint, renderBadFrame, renderImpression, type BadFrameKind, type MasterPrint } from '../../matcher/synth/index.ts';
import { encodeIso19794, isoFromTemplate } from '../../matcher/template/iso19794.ts';
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

  badFrame(kind: BadFrameKind, attempt: number, r?: VirtualResident): FingerImage {
    return renderBadFrame(kind, this.seed * 31 + attempt, r ? this.master(r.fingerSeeds.right_index) : undefined);
  }
}
