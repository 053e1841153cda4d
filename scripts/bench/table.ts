/** The one table `npm run bench` prints: figure, measured value, goal, anchor, ratio to the goal. */

export interface Row {
  figure: string;
  value: number;
  unit: 's' | 'ms' | 'x';
  /** The goal; every goal in the issue is an upper bound. */
  goal: number;
  anchor?: { label: string; value: number };
  detail?: string;
}

const fmt = (v: number, unit: Row['unit']) =>
  Number.isFinite(v) ? `${v.toFixed(unit === 's' ? 2 : 2)} ${unit === 'x' ? 'x' : unit}` : 'n/a';

export function formatTable(rows: Row[]): string {
  const lines = [
    ['figure', 'measured', 'goal', 'anchor', 'measured/goal', 'verdict', 'detail'],
    ...rows.map((r) => {
      const ratio = r.value / r.goal;
      return [
        r.figure,
        fmt(r.value, r.unit),
        `<= ${fmt(r.goal, r.unit)}`,
        r.anchor
          ? r.anchor.label.includes(' ms')
            ? r.anchor.label
            : `${r.anchor.label} ${fmt(r.anchor.value, r.unit)}`
          : '-',
        Number.isFinite(ratio) ? `${ratio.toFixed(2)}` : 'n/a',
        !Number.isFinite(ratio)
          ? 'not measured'
          : ratio <= 1
            ? 'met'
            : `missed by ${((ratio - 1) * 100).toFixed(0)}%`,
        r.detail ?? '',
      ];
    }),
  ];
  const widths = lines[0].map((_, c) => Math.max(...lines.map((l) => l[c].length)));
  const render = (l: string[]) => `| ${l.map((cell, c) => cell.padEnd(widths[c])).join(' | ')} |`;
  return [
    render(lines[0]),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...lines.slice(1).map(render),
  ].join('\n');
}
