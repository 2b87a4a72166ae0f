import type { CounterView, FleetAlert } from './fleet.ts';

/** Plain-text table for a terminal; also used in tests, so no colours or cursor codes here. */

function ago(ms: number, now: number): string {
  if (ms <= 0) return '-';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  return `${Math.round(s / 3600)}h`;
}

const cell = (v: unknown) => (v === null || v === undefined ? '-' : String(v));

export function renderTable(views: readonly CounterView[], alerts: readonly FleetAlert[], now: number, maxRows = Infinity): string {
  const flagged = new Set(alerts.map((a) => `${a.site}/${a.device}`));
  const ordered = [...views].sort(
    (a, b) => Number(flagged.has(`${b.site}/${b.device}`)) - Number(flagged.has(`${a.site}/${a.device}`)),
  );
  const header = ['COUNTER', 'STATE', 'SEEN', 'READER', 'SAM', 'SENSOR', 'PAPER', 'QUEUE', 'BERHASIL', 'GAGAL', 'OUTBOX'];
  const rows = ordered.slice(0, maxRows).map((v) => [
    `${v.site}/${v.device}`,
    v.state,
    ago(v.lastSeen, now),
    cell(v.health?.reader?.status),
    cell(v.health?.sam),
    cell(v.health?.sensor?.status),
    cell(v.health?.printer?.paper),
    cell(v.metrics?.queueWaiting),
    cell(v.metrics?.berhasil),
    cell(v.metrics?.gagal),
    cell(v.health?.outbox?.depth),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const online = views.filter((v) => v.state === 'ready' || v.state === 'alert').length;
  const lost = views.filter((v) => v.state === 'lost').length;
  const out = [
    `${views.length} counters: ${online} online, ${lost} lost, ${alerts.length} alert(s)   ${new Date(now).toISOString()}`,
    '',
    line(header),
    ...rows.map(line),
  ];
  if (ordered.length > rows.length) out.push(`… ${ordered.length - rows.length} more (use --site or --json)`);
  if (alerts.length > 0) {
    out.push('', 'ALERTS');
    for (const a of alerts.slice(0, 50)) out.push(`  ${a.code.padEnd(14)} ${a.site}/${a.device}: ${a.message}`);
    if (alerts.length > 50) out.push(`  … ${alerts.length - 50} more`);
  }
  return out.join('\n') + '\n';
}

/** The `--json` snapshot: stable keys for scripts. */
export function snapshot(views: readonly CounterView[], alerts: readonly FleetAlert[], now: number): unknown {
  return {
    generatedAt: new Date(now).toISOString(),
    counters: views.map((v) => ({
      site: v.site,
      device: v.device,
      state: v.state,
      bootId: v.bootId,
      lastSeen: v.lastSeen > 0 ? new Date(v.lastSeen).toISOString() : null,
      alerts: v.statusAlerts,
      health: v.health
        ? {
            reader: v.health.reader?.status,
            sam: v.health.sam,
            sensor: v.health.sensor?.status,
            printer: v.health.printer,
            clockSynced: v.health.clockSynced,
            diskFreePct: v.health.diskFreePct,
            broker: v.health.broker,
            outbox: v.health.outbox,
          }
        : null,
      today: v.metrics
        ? {
            queueWaiting: v.metrics.queueWaiting,
            served: v.metrics.served,
            berhasil: v.metrics.berhasil,
            gagal: v.metrics.gagal,
            disputed: v.metrics.disputed,
            avgServiceSeconds: v.metrics.avgServiceSeconds,
          }
        : null,
      swVersion: v.info?.swVersion ?? null,
      matcher: v.info?.matcher ?? null,
    })),
    alerts,
  };
}
