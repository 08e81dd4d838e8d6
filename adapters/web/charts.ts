/**
 * Inline SVG charts, drawn here: a few bars and lines need no charting library, and ours emit no
 * script or inline style (the CSP allows neither). Readable without colour: each series has its own
 * pattern (bars) or dash and marker (lines), every bar and point carries its number as text and a
 * <title>, and the chart has a <title> and <desc>. The page puts a table of the same numbers beside it.
 */
import { html, type Html } from './html.js';

/** Series look: a colour with at least 3:1 contrast on white, and a pattern / dash / marker of its own. */
const LOOKS = [
  { colour: '#0a58ca', dash: '', marker: 'circle' },
  { colour: '#9a3412', dash: '6 4', marker: 'square' },
  { colour: '#116329', dash: '2 3', marker: 'triangle' },
] as const;

const INK = '#1b1f23';
const MUTED = '#57606a';

export interface BarChart {
  /** Unique on the page: the ids of the title, description and patterns derive from it. */
  id: string;
  title: string;
  desc: string;
  /** Written after each number: '%', ' min', '/5', or ''. */
  unit: string;
  series: string[];
  rows: Array<{ label: string; values: Array<number | null> }>;
  /** The scale's end; by default the largest value. */
  max?: number;
}

export interface LineChart {
  id: string;
  title: string;
  desc: string;
  unit: string;
  /** The x axis: one label per point (weeks). */
  labels: string[];
  series: Array<{ name: string; values: Array<number | null> }>;
  max: number;
}

const fmt = (n: number) => String(Math.round(n * 10) / 10);

function patterns(id: string, count: number): Html {
  const defs = LOOKS.slice(0, count).map((look, i) => {
    const fill =
      i === 0
        ? html`<rect width="6" height="6" fill="${look.colour}" />`
        : i === 1
          ? html`<rect width="6" height="6" fill="#fff" /><path d="M-1,1 l2,-2 M0,6 l6,-6 M5,7 l2,-2" stroke="${look.colour}" stroke-width="2" />`
          : html`<rect width="6" height="6" fill="#fff" /><circle cx="3" cy="3" r="1.6" fill="${look.colour}" />`;
    return html`<pattern id="${id}-p${i}" width="6" height="6" patternUnits="userSpaceOnUse">${fill}</pattern>`;
  });
  return html`<defs>${defs}</defs>`;
}

function legend(id: string, names: string[], kind: 'bar' | 'line'): Html {
  return html`${names.map((name, i) => {
    const x = 150 + i * 170;
    const look = LOOKS[i % LOOKS.length]!;
    const swatch =
      kind === 'bar'
        ? html`<rect x="${x}" y="6" width="18" height="12" fill="url(#${id}-p${i})" stroke="${look.colour}" />`
        : html`<line x1="${x}" y1="12" x2="${x + 18}" y2="12" stroke="${look.colour}" stroke-width="2" stroke-dasharray="${look.dash}" />${marker(
              look.marker,
              x + 9,
              12,
              look.colour,
            )}`;
    return html`${swatch}<text x="${x + 24}" y="16" font-size="12" fill="${INK}">${name}</text>`;
  })}`;
}

function marker(shape: string, x: number, y: number, colour: string): Html {
  if (shape === 'square') return html`<rect x="${x - 3.5}" y="${y - 3.5}" width="7" height="7" fill="${colour}" />`;
  if (shape === 'triangle') return html`<path d="M${x},${y - 4.5} L${x + 4.5},${y + 3.5} L${x - 4.5},${y + 3.5} Z" fill="${colour}" />`;
  return html`<circle cx="${x}" cy="${y}" r="3.5" fill="${colour}" />`;
}

function frame(c: { id: string; title: string; desc: string }, height: number, body: Html): Html {
  return html`<svg class="chart" viewBox="0 0 640 ${height}" role="img" aria-labelledby="${c.id}-t ${c.id}-d" data-chart="${c.id}">
    <title id="${c.id}-t">${c.title}</title>
    <desc id="${c.id}-d">${c.desc}</desc>
    ${body}
  </svg>`;
}

/** Horizontal bars, grouped by row, one bar per series; its number written at its end. */
export function barChart(c: BarChart): Html {
  const barH = 14;
  const groupH = c.series.length * (barH + 2) + 12;
  const top = 30;
  const height = top + Math.max(1, c.rows.length) * groupH + 6;
  const max = c.max ?? Math.max(1, ...c.rows.flatMap((r) => r.values.map((v) => v ?? 0)));
  const width = 400;
  const rows = c.rows.map((r, ri) => {
    const y0 = top + ri * groupH;
    const bars = r.values.map((v, si) => {
      const y = y0 + si * (barH + 2);
      const look = LOOKS[si % LOOKS.length]!;
      const w = v === null ? 0 : Math.max(v > 0 ? 1 : 0, (v / max) * width);
      const said = v === null ? 'no data' : `${fmt(v)}${c.unit}`;
      return html`<g class="bar" data-row="${r.label}" data-series="${c.series[si]}" data-value="${v === null ? '' : fmt(v)}">
        <title>${r.label} · ${c.series[si]}: ${said}</title>
        <rect x="150" y="${y}" width="${fmt(w)}" height="${barH}" fill="url(#${c.id}-p${si})" stroke="${look.colour}" />
        <text x="${fmt(156 + w)}" y="${y + barH - 3}" font-size="11" fill="${INK}">${said}</text>
      </g>`;
    });
    return html`<text x="144" y="${y0 + (c.series.length * (barH + 2)) / 2 + 4}" font-size="12" text-anchor="end" fill="${INK}">${clip(r.label)}</text
      >${bars}`;
  });
  const empty = c.rows.length === 0 ? html`<text x="150" y="${top + 14}" font-size="12" fill="${MUTED}">No data in this period.</text>` : '';
  return frame(c, height, html`${patterns(c.id, c.series.length)}${legend(c.id, c.series, 'bar')}${rows}${empty}`);
}

/** Lines over the weeks, one per series, each with its own dash and marker and its name at its end. */
export function lineChart(c: LineChart): Html {
  const left = 44;
  const right = 560;
  const top = 34;
  const bottom = 214;
  const n = c.labels.length;
  const x = (i: number) => (n <= 1 ? (left + right) / 2 : left + (i * (right - left)) / (n - 1));
  const y = (v: number) => bottom - (Math.min(v, c.max) / c.max) * (bottom - top);
  const grid = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const v = c.max * f;
    return html`<line x1="${left}" y1="${fmt(y(v))}" x2="${right}" y2="${fmt(y(v))}" stroke="#d0d7de" /><text
        x="${left - 6}"
        y="${fmt(y(v) + 4)}"
        font-size="11"
        text-anchor="end"
        fill="${MUTED}"
        >${fmt(v)}${c.unit}</text
      >`;
  });
  const step = Math.ceil(n / 9);
  const xs = c.labels.map((l, i) =>
    i % step === 0 || i === n - 1
      ? html`<text x="${fmt(x(i))}" y="${bottom + 16}" font-size="11" text-anchor="middle" fill="${MUTED}">${l}</text>`
      : '',
  );
  const lines = c.series.map((s, si) => {
    const look = LOOKS[si % LOOKS.length]!;
    let d = '';
    s.values.forEach((v, i) => {
      if (v === null) return;
      d += `${d === '' || s.values[i - 1] === null ? 'M' : 'L'}${fmt(x(i))},${fmt(y(v))} `;
    });
    const points = s.values.map((v, i) =>
      v === null
        ? ''
        : html`<g class="point" data-series="${s.name}" data-label="${c.labels[i]}" data-value="${fmt(v)}">
            <title>${c.labels[i]} · ${s.name}: ${fmt(v)}${c.unit}</title>
            ${marker(look.marker, x(i), y(v), look.colour)}
            ${n <= 12 ? html`<text x="${fmt(x(i))}" y="${fmt(y(v) - 8 - si * 11)}" font-size="10" text-anchor="middle" fill="${INK}">${fmt(v)}</text>` : ''}
          </g>`,
    );
    const last = s.values.reduce<number>((at, v, i) => (v === null ? at : i), -1);
    const end =
      last < 0
        ? ''
        : html`<text x="${fmt(x(last) + 8)}" y="${fmt(y(s.values[last]!) + 4 + si * 12)}" font-size="11" fill="${INK}">${clip(s.name, 14)}</text>`;
    return html`<path d="${d.trim()}" fill="none" stroke="${look.colour}" stroke-width="2" stroke-dasharray="${look.dash}" />${points}${end}`;
  });
  return frame(
    c,
    bottom + 26,
    html`${legend(
      c.id,
      c.series.map((s) => s.name),
      'line',
    )}${grid}${xs}${lines}`,
  );
}

function clip(text: string, max = 22): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
