import type { Db } from '../../store/connect.js';
import { deflectionOutcomes, deflectionsByDoc } from '../../store/deflections.js';
import { findArticles } from '../../store/kb.js';
import { findQuestionSummaries } from '../../store/peer.js';

/** One document's effectiveness in deflection offers: how often shown, how often it answered, how often a ticket was opened anyway. */
export interface DocEffectiveness {
  /** `article:12` / `question:3`. */
  doc: string;
  title: string;
  offers: number;
  helped: number;
  openedAnyway: number;
  /** Offers showing it that nobody has answered yet. */
  noAnswerYet: number;
}

/** Offers made before tickets in a period and what came of them. */
export interface DeflectionFigures {
  offers: number;
  helped: number;
  openedAnyway: number;
  noAnswerYet: number;
  /** helped / offers, as a percentage; null without offers. */
  ratePct: number | null;
  docs: DocEffectiveness[];
}

/** The deflection rate and per-document effectiveness for offers made in [from, to). */
export async function deflectionFigures(db: Db, from: number, to: number): Promise<DeflectionFigures> {
  const outcomes = await deflectionOutcomes(db, from, to);
  const helped = outcomes.helped ?? 0;
  const openedAnyway = outcomes.opened ?? 0;
  const noAnswerYet = outcomes.offered ?? 0;
  const offers = helped + openedAnyway + noAnswerYet;
  const byDoc = await deflectionsByDoc(db, from, to);
  const titles = await titlesOf(
    db,
    byDoc.map((d) => d.doc),
  );
  return {
    offers,
    helped,
    openedAnyway,
    noAnswerYet,
    ratePct: offers === 0 ? null : Math.round((helped / offers) * 1000) / 10,
    docs: byDoc.map((d) => ({
      doc: d.doc,
      title: titles.get(d.doc) ?? '(gone)',
      offers: d.offers,
      helped: d.helped,
      openedAnyway: d.opened,
      noAnswerYet: d.waiting,
    })),
  };
}

async function titlesOf(db: Db, docs: string[]): Promise<Map<string, string>> {
  const refs = (kind: string) => docs.filter((d) => d.startsWith(`${kind}:`)).map((d) => Number(d.slice(kind.length + 1)));
  const out = new Map<string, string>();
  const articles = refs('article');
  for (let i = 0; i < articles.length; i += 500) {
    for (const a of await findArticles(db, articles.slice(i, i + 500))) out.set(`article:${a.id}`, a.title);
  }
  const questions = refs('question');
  for (let i = 0; i < questions.length; i += 500) {
    const rows = await findQuestionSummaries(db, questions.slice(i, i + 500));
    for (const q of rows) out.set(`question:${q.number}`, q.title);
  }
  return out;
}

const DOC_COLUMNS: Array<[keyof DocEffectiveness, string]> = [
  ['doc', 'document'],
  ['title', 'title'],
  ['offers', 'offers'],
  ['helped', 'helped'],
  ['openedAnyway', 'opened anyway'],
  ['noAnswerYet', 'no answer yet'],
];

/** The deflection part of the report as table lines (after the SLA table). */
export function deflectionTable(f: DeflectionFigures): string[] {
  const head = `Deflection: ${f.offers} offer${f.offers === 1 ? '' : 's'}, ${f.helped} helped, ${f.openedAnyway} opened anyway, ${f.noAnswerYet} no answer yet; rate ${f.ratePct === null ? '-' : `${f.ratePct}%`} (helped / offers)`;
  if (f.docs.length === 0) return [head];
  const clipTitle = (t: string) => (t.length > 50 ? `${t.slice(0, 49)}…` : t);
  const table = [
    DOC_COLUMNS.map(([, h]) => h),
    ...f.docs.map((d) => DOC_COLUMNS.map(([k]) => (k === 'title' ? clipTitle(String(d[k])) : String(d[k])))),
  ];
  const widths = DOC_COLUMNS.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const lines = table.map((row) =>
    row
      .map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
  lines.splice(1, 0, widths.map((w) => '-'.repeat(w)).join('  '));
  return [head, 'Per document:', ...lines];
}

/**
 * The deflection part as CSV, a second table after a blank line: a totals row (`all`) then one row
 * per document, so one header serves both. `cell` writes one value: numbers bare, text quoted and
 * neutralised (titles are user text: report.ts csvCell), so values go to it as they are, not as strings.
 */
export function deflectionCsv(f: DeflectionFigures, cell: (v: string | number | null) => string): string[] {
  const header = 'document,title,offers,helped,opened anyway,no answer yet,helped %';
  const total = ['all', '', f.offers, f.helped, f.openedAnyway, f.noAnswerYet, f.ratePct].map(cell).join(',');
  const rows = f.docs.map((d) =>
    [d.doc, d.title, d.offers, d.helped, d.openedAnyway, d.noAnswerYet, d.offers === 0 ? null : Math.round((d.helped / d.offers) * 1000) / 10]
      .map(cell)
      .join(','),
  );
  return [header, total, ...rows];
}
