import { z } from 'zod';
import type { TenantTx } from '../../platform/db/tenant.ts';
import { type Locale, t } from '../../platform/i18n/i18n.ts';
import {
  publishedCounts,
  publishedMedian,
  publishedTotal,
  statisticsTable,
} from '../../platform/statistics.ts';
import { type Field, pickText } from './reports.contract.ts';
import * as q from './reports.queries.ts';
import { reports } from './reports.schema.ts';
import { CLOSE_REASONS, REPORT_STATUSES } from './reports.vocab.ts';

// Report statistics for managers and donors without decryption (issue 4): only the clear
// workflow metadata and the `statistical` answers (option ids, office ids, months) are read,
// never the encrypted answers. Purged tombstones are counted. Counts under MIN_CELL are
// suppressed with the complementary rule (platform/statistics.ts, as cases' statistics).

/** Counts under this are not shown (statistics and exports). */
export const MIN_CELL = 5;
const NONE = '_none';

/** A count, or null when under MIN_CELL (suppressed). */
export const StatCount = z.object({ key: z.string(), label: z.string(), n: z.number().int().nullable() });
export const StatField = z.object({ id: z.string(), label: z.string(), groups: z.array(StatCount) });
export const ReportStatistics = z.object({
  minCell: z.number().int(),
  total: z.number().int().nullable(),
  byChannel: z.array(StatCount),
  byStatus: z.array(StatCount),
  byCloseReason: z.array(StatCount),
  byMonth: z.array(StatCount),
  /** One per statistical field of the channels (by field id), its options counted. */
  fields: z.array(StatField),
  acknowledged: z.number().int().nullable(),
  closed: z.number().int().nullable(),
  /** Median days from receipt to acknowledgement / closure; null under MIN_CELL reports. */
  medianDaysToAcknowledge: z.number().nullable(),
  medianDaysToClose: z.number().nullable(),
});
export type ReportStatistics = z.infer<typeof ReportStatistics>;
export const StatisticsExportQuery = z.object({ format: z.enum(['xlsx', 'csv']) }).strict();

const suppress = (groups: { key: string; label: string; n: number }[]) => publishedCounts(groups, MIN_CELL);

const days = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 86_400_000;

export class ReportStatisticsService {
  async statistics(tx: TenantTx, locale: Locale): Promise<ReportStatistics> {
    // The clear columns only: `answers` (ciphertext) is never selected.
    const rows = await tx
      .select({
        channelId: reports.channelId,
        status: reports.status,
        closeReason: reports.closeReason,
        statistical: reports.statistical,
        receivedAt: reports.receivedAt,
        acknowledgedAt: reports.acknowledgedAt,
        closedAt: reports.closedAt,
      })
      .from(reports);
    const channels = await q.channels(tx);
    const units = await q.directory.units(tx);
    const unitName = new Map(units.map((u) => [u.id, u.name]));
    const count = (keys: readonly string[], keyOf: (r: (typeof rows)[number]) => string | null) =>
      keys.map((key) => ({ key, n: rows.filter((r) => keyOf(r) === key).length }));
    const labelled = (list: { key: string; n: number }[], label: (k: string) => string) =>
      suppress(list.map((g) => ({ ...g, label: label(g.key) })));

    const byChannel = labelled(
      count(
        channels.map((c) => c.id),
        (r) => r.channelId,
      ),
      (k) => {
        const c = channels.find((x) => x.id === k)!;
        return pickText(c.name, locale, c.languages) || c.slug;
      },
    );
    const byStatus = labelled(
      count(REPORT_STATUSES, (r) => r.status),
      (k) => t(locale, `reports.stats.statuses.${k}`),
    );
    const closedRows = rows.filter((r) => r.status === 'closed');
    const byCloseReason = suppress(
      CLOSE_REASONS.map((key) => ({
        key,
        label: t(locale, `reports.stats.reasons.${key}`),
        n: closedRows.filter((r) => r.closeReason === key).length,
      })),
    );
    const month = (d: Date) => d.toISOString().slice(0, 7);
    const months = [...new Set(rows.map((r) => month(r.receivedAt)))].sort();
    const byMonth = labelled(
      count(months, (r) => month(r.receivedAt)),
      (k) => k,
    );

    // Statistical fields by id across channels; labels from the first channel that has them.
    const fields = new Map<
      string,
      { field: Field; langs: readonly string[]; options: Map<string, string> }
    >();
    for (const c of channels)
      for (const f of c.questionnaire as Field[]) {
        if (!f.statistical) continue;
        const entry = fields.get(f.id) ?? { field: f, langs: c.languages, options: new Map() };
        for (const o of f.options ?? [])
          if (!entry.options.has(o.id)) entry.options.set(o.id, pickText(o.label, locale, c.languages));
        fields.set(f.id, entry);
      }
    const noAnswer = t(locale, 'reports.stats.noAnswer');
    const statFields = [...fields.values()].map(({ field: f, langs, options }) => {
      const values = rows.map((r) => r.statistical[f.id]);
      let groups: { key: string; label: string; n: number }[];
      // Options since removed from the questionnaire still count, under their id.
      const seen = (list: unknown[]) => list.filter((v): v is string => typeof v === 'string');
      if (f.type === 'multiple') {
        // A report may pick several options: each option is counted on its own.
        const keys = new Set([
          ...options.keys(),
          ...seen(values.flatMap((v) => (Array.isArray(v) ? v : []))),
        ]);
        groups = [...keys].map((key) => ({
          key,
          label: options.get(key) ?? key,
          n: values.filter((v) => Array.isArray(v) && v.includes(key)).length,
        }));
      } else {
        const keys =
          f.type === 'date'
            ? [...new Set(seen(values))].sort()
            : [...new Set([...options.keys(), ...seen(values)])];
        const label = (k: string) =>
          f.type === 'office'
            ? (unitName.get(k) ?? t(locale, 'reports.stats.unknownOffice'))
            : f.type === 'date'
              ? k
              : (options.get(k) ?? k);
        groups = [
          ...keys.map((key) => ({ key, label: label(key), n: values.filter((v) => v === key).length })),
          { key: NONE, label: noAnswer, n: values.filter((v) => v === undefined || v === null).length },
        ];
      }
      return { id: f.id, label: pickText(f.label, locale, langs), groups: suppress(groups) };
    });

    const acked = rows.filter((r) => r.acknowledgedAt);
    const closed = rows.filter((r) => r.closedAt);
    return {
      minCell: MIN_CELL,
      total: publishedTotal(rows.length, MIN_CELL),
      byChannel,
      byStatus,
      byCloseReason,
      byMonth,
      fields: statFields,
      acknowledged: publishedTotal(acked.length, MIN_CELL),
      closed: publishedTotal(closed.length, MIN_CELL),
      medianDaysToAcknowledge: publishedMedian(
        acked.map((r) => days(r.receivedAt, r.acknowledgedAt!)),
        MIN_CELL,
      ),
      medianDaysToClose: publishedMedian(
        closed.map((r) => days(r.receivedAt, r.closedAt!)),
        MIN_CELL,
      ),
    };
  }

  /** The same figures (the same suppression) as an XLSX or CSV table in the caller's language. */
  async export(tx: TenantTx, format: 'xlsx' | 'csv', locale: Locale) {
    const s = await this.statistics(tx, locale);
    const tr = (k: string) => t(locale, `reports.stats.${k}`);
    return statisticsTable({
      format,
      rtl: locale === 'ar',
      sheetName: tr('sheet'),
      headers: { dimension: tr('dimension'), value: tr('value'), count: tr('count') },
      counts: [
        [tr('channel'), s.byChannel],
        [tr('status'), s.byStatus],
        [tr('closeReason'), s.byCloseReason],
        [tr('month'), s.byMonth],
        ...s.fields.map((f) => [f.label, f.groups] as const),
      ],
      figures: [
        [tr('total'), s.total],
        [tr('acknowledged'), s.acknowledged],
        [tr('closed'), s.closed],
        [tr('medianAck'), s.medianDaysToAcknowledge],
        [tr('medianClose'), s.medianDaysToClose],
      ],
    });
  }
}
