import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { publishedCounts, publishedMedian, publishedTotal, statisticsTable } from './statistics.ts';

describe('published statistics', () => {
  it('counts: suppressed ones become null, the next smallest too when one alone is hidden; 0 stays 0', () => {
    const g = (key: string, n: number) => ({ key, label: key.toUpperCase(), n });
    assert.deepEqual(publishedCounts([g('a', 9), g('b', 6), g('c', 2), g('d', 0)], 5), [
      { key: 'a', label: 'A', n: 9 },
      { key: 'b', label: 'B', n: null },
      { key: 'c', label: 'C', n: null },
      { key: 'd', label: 'D', n: 0 },
    ]);
  });

  it('a total under k is null; a median needs k values and is rounded to one decimal', () => {
    assert.equal(publishedTotal(4, 5), null);
    assert.equal(publishedTotal(5, 5), 5);
    assert.equal(publishedMedian([1, 2, 3, 4], 5), null);
    assert.equal(publishedMedian([9, 1, 3, 7, 5], 5), 5);
    assert.equal(publishedMedian([1, 2, 3, 4, 5, 6.15], 5), 3.5);
    assert.equal(publishedMedian([0.11, 0.12, 0.13, 0.14, 0.16, 0.2], 5), 0.1);
  });

  it('a table: each list of counts under its dimension, then the single figures with an empty value', async () => {
    const csv = await statisticsTable({
      format: 'csv',
      rtl: false,
      sheetName: 'Stats',
      headers: { dimension: 'Dimension', value: 'Value', count: 'Count' },
      counts: [
        [
          'Status',
          [
            { label: 'New', n: 7 },
            { label: 'Closed', n: null },
          ],
        ],
      ],
      figures: [['Median days', 2.5]],
    });
    assert.deepEqual(
      csv
        .toString('utf8')
        .replace(/^\uFEFF/, '')
        .trim()
        .split(/\r?\n/),
      ['Dimension,Value,Count', 'Status,New,7', 'Status,Closed,', "Median days,',2.5"], // '' is written as ' (told apart from a missing count: tables.ts)
    );
  });
});
