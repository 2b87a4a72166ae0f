import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import type { Config, OfficeConfig } from '../config/types.ts';
import { OfficeError } from '../office/errors.ts';
import { openLeases, readPresence, releaseLease, type Lease, type PresenceView } from '../office/leases.ts';
import { settleConflict, type ConflictTruth } from '../office/settle.ts';
import { openLedger, tool } from './openLedger.ts';

const USAGE = `usage: ektp-agent office leases [--config FILE] [--json]
       ektp-agent office release --ticket NOMOR [--day YYYY-MM-DD] --confirm-retrieved [--config FILE]
       ektp-agent office settle --conflict ID --true desk|counter --note "apa yang terjadi" [--config FILE]`;

/** The link states of the retained presence, as the support officer reads them. */
const LINK_TEXT: Record<string, string> = {
  online: 'terhubung',
  offline: 'mati (dihentikan dengan benar)',
  lost: 'TERPUTUS',
};

function linkText(view: PresenceView, counter: string, time: (iso: string) => string): string {
  if (!view.reachable) return 'tidak diketahui (server antrean tidak terjangkau)';
  const p = view.boxes.get(counter);
  if (!p) return 'tidak diketahui (belum pernah terhubung)';
  const text = LINK_TEXT[p.state] ?? p.state;
  return p.state === 'online' ? text : `${text} sejak ${time(p.ts)}`;
}

function officeOf(config: Config): Config & { readonly office: OfficeConfig } {
  if (!config.office || config.role !== 'intake' || config.office.authority !== config.counter.id) {
    throw new OfficeError('OFFICE_NOT_AUTHORITY', `kotak ini (${config.counter.id}) bukan meja pendaftaran yang memegang antrean kantor; jalankan di ${config.office?.authority ?? 'meja pendaftaran'}`);
  }
  return config as Config & { readonly office: OfficeConfig };
}

/**
 * `ektp-agent office leases|release|settle`, on the intake desk that keeps the office queue: the
 * tickets leased to counters with each counter's link state (retained presence on the office
 * broker), the supervised way out for a counter that died for good with a ticket leased, and a
 * supervisor's settlement of a close reported for a released lease (`report office` CONFLICT).
 * Text for the support officer in Bahasa Indonesia.
 */
export async function main(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      config: { type: 'string' },
      json: { type: 'boolean' },
      ticket: { type: 'string' },
      day: { type: 'string' },
      'confirm-retrieved': { type: 'boolean' },
      conflict: { type: 'string' },
      true: { type: 'string' },
      note: { type: 'string' },
      'timeout-ms': { type: 'string', default: '3000' },
    },
  });
  if (sub !== 'leases' && sub !== 'release' && sub !== 'settle') {
    console.error(USAGE);
    return 2;
  }
  if (sub === 'release' && !values.ticket) {
    console.error(USAGE);
    return 2;
  }
  if (sub === 'settle' && (!values.conflict || !/^\d{1,9}$/.test(values.conflict) || (values.true !== 'desk' && values.true !== 'counter') || !values.note)) {
    console.error(`${USAGE}\n--true desk: pelepasan nomor berlaku (KTP-el dan surat memang diambil kembali); --true counter: laporan loket yang benar. (OFFICE_SETTLE_USAGE)`);
    return 2;
  }
  const timeoutMs = Number(values['timeout-ms']);
  return tool(async () => {
    const { config, ledger, db, close } = openLedger(values.config, sub === 'leases' ? 'read' : 'write');
    try {
      const office = officeOf(config);
      const time = (iso: string) =>
        new Intl.DateTimeFormat('id-ID', { timeZone: config.site.timezone, day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
      if (sub === 'leases') {
        const leases = openLeases(db);
        const view = await readPresence(office, timeoutMs);
        if (values.json) {
          const link = (c: string) => (view.reachable ? (view.boxes.get(c)?.state ?? 'unknown') : 'unknown');
          console.log(JSON.stringify({ broker: view.reachable ? 'reachable' : view.why, leases: leases.map((l) => ({ ...l, counterLink: link(l.counter) })) }, null, 2));
          return 0;
        }
        if (!view.reachable) console.log(`Server antrean tidak terjangkau (${view.why}); keadaan loket tidak diketahui.`);
        if (leases.length === 0) {
          console.log('Tidak ada nomor antrean yang sedang dipegang loket.');
          return 0;
        }
        console.log(`Nomor antrean yang sedang dipegang loket (${config.counter.id}):`);
        for (const l of leases) console.log(`  ${l.number}  di ${l.counter}  sejak ${time(l.since)}  ${l.counter}: ${linkText(view, l.counter, time)}`);
        console.log(
          'Loket yang TERPUTUS mungkin masih melayani tanpa jaringan: periksa ke loket itu. Lepaskan nomor hanya bila loket rusak dan\n' +
            'KTP-el serta surat panggilan sudah diambil dari loket itu: ektp-agent office release --ticket NOMOR --confirm-retrieved',
        );
        return 0;
      }
      if (sub === 'settle') {
        const s = settleConflict({ db, ledger, device: config.counter.id, now: () => new Date() }, Number(values.conflict), values.true as ConflictTruth, values.note!, userInfo().username);
        console.log(
          s.truth === 'desk'
            ? `Konflik #${s.id} (${s.counter}, nomor ${s.ticket}) diselesaikan: pelepasan nomor berlaku, laporan ${s.reported} dari ${s.counter} tidak diterapkan. Tercatat di log audit.`
            : `Konflik #${s.id} (${s.counter}, nomor ${s.ticket}) diselesaikan: laporan ${s.reported} dari ${s.counter} diterapkan di meja ini. Tercatat di log audit.`,
        );
        return 0;
      }
      const day = values.day ?? ledger.day();
      const ticket = values.ticket!;
      const lease: Lease | undefined = openLeases(db).find((l) => l.day === day && l.number === ticket);
      if (lease && !values['confirm-retrieved']) {
        console.error(
          `Ambil dulu KTP-el dan surat panggilan nomor ${ticket} dari ${lease.counter}, lalu ulangi dengan --confirm-retrieved. Tidak ada yang dicatat. (OFFICE_CONFIRM_REQUIRED)`,
        );
        return 2;
      }
      if (lease) {
        const view = await readPresence(office, timeoutMs);
        if (view.reachable && view.boxes.get(lease.counter)?.state === 'online') {
          throw new OfficeError(
            'OFFICE_COUNTER_ONLINE',
            `${lease.counter} masih terhubung ke server antrean: selesaikan atau batalkan nomor ${ticket} di loket itu. Tidak ada yang dicatat`,
            { detail: { counter: lease.counter } },
          );
        }
        if (!view.reachable) console.log(`Server antrean tidak terjangkau (${view.why}); keadaan ${lease.counter} tidak dapat diperiksa.`);
      }
      const released = releaseLease({ db, ledger, device: config.counter.id, now: () => new Date() }, { day, number: ticket }, userInfo().username);
      console.log(
        `Nomor ${released.number} kembali ke kepala antrean. KTP-el dan surat panggilan tercatat kembali di ${config.counter.id} (diambil dari ${released.counter}). Tercatat di log audit.`,
      );
      return 0;
    } finally {
      close();
    }
  });
}
