/**
 * The Files view's station drop-down (src/components/RecordingsList.tsx): a recording can be
 * placed at a receiver of the model's network or at any station of the operator's list. Two
 * files of the same name are told apart.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { RecordingsList } from '../../src/components/RecordingsList';
import { CONSTELLATION, recording } from './fixtures';

describe("the Files view's station drop-down", () => {
  const stations = [
    { id: 'HB9ODP', lat: 46.5, lon: 8.8, name: 'Biasca' },
    { id: 'genova', lat: 40.0, lon: 9.0 },
  ];
  const html = (list: typeof stations) =>
    renderToStaticMarkup(
      createElement(RecordingsList, {
        recordings: [recording('1', 'mystery.sigmf-data')],
        receivers: CONSTELLATION.receivers,
        stations: list,
        placements: { '1': null },
        errors: [],
      }),
    );

  it("offers the model's receivers and the station list's stations, each list under its name", () => {
    const markup = html(stations);
    const options = [...markup.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].map(
      (m) => [m[1], m[2]],
    );
    expect(options).toEqual([
      ['', 'auto: no match'],
      ['aquila-giaveno', 'Aquila di Giaveno'],
      ['milano-baggio', 'Milano-Baggio'],
      ['genova', 'Genova'],
      // The list's own "genova" stands elsewhere: another value, so both can be chosen.
      ['station-list:HB9ODP', 'Biasca (HB9ODP)'],
      ['station-list:genova', 'genova'],
    ]);
    expect(markup).toContain('<optgroup label="Model&#x27;s network">');
    expect(markup).toContain('<optgroup label="Station list">');
  });

  it('shows no empty group when the station list is empty', () => {
    expect(html([])).not.toContain('Station list');
  });
});

describe('two files of the same name in the Files view', () => {
  it('are numbered, and each says which file on disk it is', () => {
    const saved = Date.parse('2026-01-01T12:00:00Z');
    const markup = renderToStaticMarkup(
      createElement(RecordingsList, {
        recordings: [
          { ...recording('1', 'recording.sigmf-data'), file: { sizeBytes: 3 << 20 } },
          {
            ...recording('2', 'recording.sigmf-data'),
            file: { sizeBytes: 2048, lastModifiedMs: saved },
            copy: 2,
          },
        ],
        receivers: CONSTELLATION.receivers,
        stations: [],
        placements: {},
        errors: [],
      }),
    );
    const names = [...markup.matchAll(/<span class="file-name"([^>]*)>([^<]*)<\/span>/g)].map(
      (m) => [m[1], m[2]],
    );
    expect(names).toEqual([
      [' title="3.0 MiB"', 'recording.sigmf-data'],
      [' title="2 KiB, modified 2026-01-01 12:00:00 UTC"', 'recording.sigmf-data (2)'],
    ]);
    expect(markup).toContain('Receiver of recording.sigmf-data (2)');
  });
});
