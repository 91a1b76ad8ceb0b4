import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cellProblem, cleanMapping, codeValuesSeen, mapRows, sourceOf } from './mapping.ts';

// The wizard's preview shows rows as the import will read them (analytics.import.ts): these are
// the import's rules for names, empty cells and codes, checked here on hand-written rows.
describe('the wizard mapping preview', () => {
  const header = ['ID', 'channel_system', 'SEL', 'ASSIGN', 'FRAUD'];
  const m = {
    columns: { declaration_id: 'ID', channel_final: 'SEL', assignment: 'ASSIGN', offence: 'FRAUD' },
    codes: { channel: { R: 'red', V: 'green' }, offence: { Y: '1', N: '0' } },
  };

  it('reads a column from its mapped header, else from the header of its name', () => {
    assert.equal(sourceOf('declaration_id', header, m), 'ID');
    assert.equal(sourceOf('channel_system', header, m), 'channel_system');
    assert.equal(sourceOf('officer_id', header, m), undefined);
    assert.equal(
      sourceOf('declaration_id', header, { columns: { declaration_id: 'GONE' }, codes: {} }),
      undefined,
    );
    // A column cleared in the form is read by its name, as the import does.
    assert.equal(
      sourceOf('channel_system', header, { columns: { channel_system: '' }, codes: {} }),
      'channel_system',
    );
  });

  it('maps rows: trimmed, empty as unknown, codes translated, channels lower-cased', () => {
    const targets = [
      'declaration_id',
      'channel_system',
      'channel_final',
      'assignment',
      'offence',
      'officer_id',
    ];
    const rows = mapRows(
      [
        [' 7 ', 'GREEN', 'R', 'Manual', 'Y'],
        ['8', '  ', 'X', null, 'maybe'],
      ],
      header,
      targets,
      m,
    );
    assert.deepEqual(rows, [
      ['7', 'green', 'red', 'manual', '1', null],
      ['8', null, 'x', null, 'maybe', null],
    ]);
    // Without offence codes the value is kept as it is (the import lower-cases it only with codes).
    assert.deepEqual(mapRows([['1', 'red', 'V', 'rule', 'Y']], header, ['offence'], { ...m, codes: {} }), [
      ['Y'],
    ]);
  });

  it('marks what the import would refuse at a glance, and lists the code values seen', () => {
    assert.equal(cellProblem('officer_id', null, true), 'missing');
    assert.equal(cellProblem('importer_id', null, false), null);
    assert.equal(cellProblem('channel_final', 'x', false), 'code');
    assert.equal(cellProblem('channel_final', 'red', false), null);
    assert.equal(cellProblem('offence', '2', false), 'code');
    assert.equal(cellProblem('hs6', 'anything', false), null);
    const values = { channel_system: ['green', 'R'], SEL: ['R', 'V'], ID: ['1'] };
    assert.deepEqual(codeValuesSeen('channel', header, values, m), ['R', 'V', 'green']);
    assert.deepEqual(codeValuesSeen('assignment', header, values, m), []);
  });

  it('sends only the columns given a header and the codes that translate something', () => {
    assert.deepEqual(
      cleanMapping({
        columns: { declaration_id: 'ID', officer_id: '' },
        codes: { channel: { R: 'red', green: 'green', X: '' }, assignment: { A: '' } },
      }),
      { columns: { declaration_id: 'ID' }, codes: { channel: { R: 'red' } } },
    );
  });
});
