import type { Biodata } from '../../drivers/card/types.ts';
import type { SlipDocument } from '../../drivers/printer/types.ts';
import type { Config } from '../config/types.ts';
import type { Resident } from '../ledger/types.ts';
import { dataCheckSlip, queueTicket, receiptSlip, resultSlip, type SlipSite, type ZoneLabel } from '../slips/index.ts';
import type { ReasonCode } from '../events.ts';

const ZONES: Record<Config['site']['timezone'], ZoneLabel> = {
  'Asia/Jakarta': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Jayapura': 'WIT',
};

export function slipSite(config: Config): SlipSite {
  return {
    office: config.site.dinas,
    region: config.site.region,
    site: config.site.office,
    counter: config.counter.label,
    zone: ZONES[config.site.timezone],
  };
}

/** Builds the slips of a transaction from ledger facts and (for the data check) chip biodata. */
export class SlipBuilder {
  private readonly site: SlipSite;
  constructor(private readonly config: Config) {
    this.site = slipSite(config);
  }

  get columns(): number {
    return this.config.devices.printer.columns;
  }

  queueTicket(queueNumber: string, at: string, waitingAhead: number): SlipDocument {
    return queueTicket({ site: this.site, queueNumber, at, waitingAhead }, this.columns);
  }

  dataCheck(queueNumber: string, at: string, chip: Biodata, txId: string): SlipDocument {
    return dataCheckSlip({ site: this.site, queueNumber, at, person: chip, txId }, this.columns);
  }

  result(
    r: { queueNumber: string; at: string; resident: Resident; txId: string },
    verdict: { outcome: 'berhasil' | 'gagal' | 'tertunda'; reason: ReasonCode | null },
  ): SlipDocument {
    return resultSlip(
      {
        site: this.site,
        at: r.at,
        queueNumber: r.queueNumber,
        person: { nik: r.resident.nik, name: r.resident.name },
        letterNo: r.resident.letterNo,
        result: verdict.outcome,
        documents: this.config.verification.unverifiedDocuments,
        operator: this.config.counter.operatorId,
        txId: r.txId,
        reason: verdict.reason,
        disputed: verdict.reason === 'data_disputed',
      },
      this.columns,
    );
  }

  receipt(r: { queueNumber: string; at: string; resident: Resident; txId: string }, disputed: boolean, copy: 'penerima' | 'petugas'): SlipDocument {
    return receiptSlip(
      {
        site: this.site,
        at: r.at,
        queueNumber: r.queueNumber,
        person: { nik: r.resident.nik, name: r.resident.name },
        letterNo: r.resident.letterNo,
        operator: this.config.counter.operatorId,
        txId: r.txId,
        disputed,
        copy,
      },
      this.columns,
    );
  }
}
