import type { Biodata } from '../../drivers/card/types.ts';
import type { ReasonCode } from '../events.ts';

/**
 * Plain inputs for every slip. Callers pass NIK raw; the layouts mask it with `maskNik` so no
 * layout can print a full NIK by accident (UU 27/2022; slips leave the desk). Times are ISO 8601
 * instants; each slip prints them in the site's zone (WIB/WITA/WIT) without reading the host's TZ.
 */
export type ZoneLabel = 'WIB' | 'WITA' | 'WIT';

export interface SlipSite {
  /** "DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL". */
  readonly office: string;
  /** "KABUPATEN SLEMAN". */
  readonly region: string;
  /** Service point, e.g. "KANTOR KECAMATAN DEPOK". */
  readonly site: string;
  /** "LOKET 2". */
  readonly counter: string;
  readonly zone: ZoneLabel;
}

/** The card fields shown on the data-check slip; a card driver's `Biodata` fits as is. */
export type SlipPerson = Pick<
  Biodata,
  | 'nik'
  | 'name'
  | 'birthPlace'
  | 'birthDate'
  | 'sex'
  | 'bloodType'
  | 'address'
  | 'rtRw'
  | 'kelDesa'
  | 'kecamatan'
  | 'religion'
  | 'maritalStatus'
  | 'occupation'
  | 'citizenship'
  | 'validUntil'
>;

export interface PersonRef {
  readonly nik: string;
  readonly name: string;
}

export interface QueueTicketData {
  readonly site: SlipSite;
  readonly queueNumber: string;
  readonly at: string;
  /** People waiting before this ticket, when known. */
  readonly waitingAhead?: number;
}

export interface DataCheckData {
  readonly site: SlipSite;
  readonly queueNumber: string;
  readonly at: string;
  readonly person: SlipPerson;
  readonly txId: string;
}

export interface ResultSlipData {
  readonly site: SlipSite;
  readonly at: string;
  readonly queueNumber: string;
  readonly person: PersonRef;
  /** Number of the summons letter (from the roster), so the slip is stapled to the right one (SOP step 8). */
  readonly letterNo: string;
  /** tertunda: "belum dapat diverifikasi", a device or the chip data failed; not a verdict. */
  readonly result: 'berhasil' | 'gagal' | 'tertunda';
  /** For tertunda: whether the old KTP and letter go back now or stay held at the desk. */
  readonly documents?: 'return' | 'hold';
  readonly operator: string;
  readonly txId: string;
  /** Why it failed (gagal) or what happened (data_disputed on a berhasil). */
  readonly reason: ReasonCode | null;
  /** The resident disputed the card data; the card matched the enrolment record. */
  readonly disputed: boolean;
}

export interface ReceiptData {
  readonly site: SlipSite;
  readonly at: string;
  readonly queueNumber: string;
  readonly person: PersonRef;
  readonly letterNo: string;
  readonly operator: string;
  readonly txId: string;
  readonly disputed: boolean;
  /** Extra note printed under "Catatan". */
  readonly note?: string;
  /** Which copy this is; resident and staff copies print separately (domain brief §5). */
  readonly copy: 'penerima' | 'petugas';
}

export interface BeritaAcaraParty {
  readonly name: string;
  readonly position: string;
  /** NIP of a civil servant, when the party has one. */
  readonly nip?: string;
}

export interface BeritaAcaraData {
  /** pemusnahan: e-KTP returned for destruction (SE 470.13/11176/SJ); ktp_lama: old KTPs handed to the Dinas. */
  readonly type: 'pemusnahan' | 'ktp_lama';
  readonly number: string;
  readonly at: string;
  readonly site: SlipSite;
  readonly pihakPertama: BeritaAcaraParty;
  readonly pihakKedua: BeritaAcaraParty;
  readonly items: ReadonlyArray<{ readonly nik: string; readonly name: string; readonly reason: string }>;
  /** The ledger's chain head when printed: an anchor outside the box (agent/ledger/audit.ts). */
  readonly ledgerSeal?: LedgerSeal;
}

export interface LedgerSeal {
  readonly id: number;
  readonly hash: string;
}

export interface DailyReportData {
  readonly site: SlipSite;
  readonly at: string;
  /** The service day, YYYY-MM-DD in the site's zone. */
  readonly date: string;
  readonly operator: string;
  /** `notServed`: still waiting at close-day, their documents returned or kept (`documentsAtClose`). */
  readonly queue: { readonly issued: number; readonly served: number; readonly noShow: number; readonly cancelled: number; readonly notServed?: number };
  readonly documentsAtClose?: 'returned' | 'kept' | null;
  readonly results: {
    readonly berhasil: number;
    readonly gagal: number;
    /** Of berhasil: disputed, and the card matched the dokumen pengesahan. */
    readonly disputedDataCorrect: number;
    /** Of gagal: the card differs from the dokumen pengesahan. */
    readonly dataMismatch: number;
    /** Of gagal: the card is rusak (misprint, damage, unreadable chip). */
    readonly rusak: number;
    /** Belum dapat diverifikasi (tertunda): no verdict; the e-KTP stays in the office. Absent on older data. */
    readonly unverified?: number;
  };
  readonly cards: {
    readonly opening: number;
    readonly received: number;
    readonly handedOver: number;
    readonly returnedForDestruction: number;
    /**
     * Net e-KTPs moved to another box of the office (the desk's leases to counters, a counter's
     * handing back): out of this store, neither handed over nor missing. Absent on older data.
     */
    readonly sentOut?: number;
    /** Physically counted at closing; null when not counted yet. */
    readonly closingCounted: number | null;
  };
  /** `awaitingReturn`: ticket numbers whose old KTP the desk still owes back (absent on a counter's older data). */
  readonly oldKtp: { readonly received: number; readonly returned: number; readonly handedToDinas: number; readonly awaitingReturn?: readonly string[] };
  readonly reprints: number;
  /** The ledger's chain head at printing: an anchor outside the box (agent/ledger/audit.ts). */
  readonly ledgerSeal?: LedgerSeal;
  /** Residents to be invited for data correction (SOP step 17); NIK raw here, masked on paper. */
  readonly correction: ReadonlyArray<{
    readonly name: string | null;
    readonly nik: string | null;
    readonly letterNo: string;
    readonly reason: 'data_mismatch' | 'data_disputed';
  }>;
}
