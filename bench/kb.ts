import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase, type Db } from '../src/store/connect.js';
import { migrateToLatest } from '../src/store/migrate.js';
import { searchIndexFor } from '../src/store/search-index.js';
import { seededRandom } from '../test/support/seeded-random.js';

type Emit = (name: string, value: number, unit: string) => void;

const ARTICLES = Number(process.env.TIERDESK_BENCH_KB_ARTICLES ?? 100_000);
const QUERIES = 2_000;
const BATCH = 1_000;
const LIMIT = 5;

/**
 * kb.*: search latency over 100,000 generated articles in a SQLite file. Each article has a subject
 * (2–6 words from a Zipf-distributed vocabulary of IT-support words and a long tail of product names,
 * hostnames and error codes), a title of 4–12 words (half of them the subject) and a body of 80–400
 * words (a fifth the subject, the rest everyday help-article words, Zipf-distributed too), indexed
 * through SearchIndex.put in transactions of 1,000. Then 2,000 queries of 2–6 words as people type
 * them (a subject mixed with everyday words; 15% with FTS syntax characters, some quoted or with a
 * trailing star), each asking for the best 5 with snippets, as /kb search and deflection do.
 * `search_*` run after 200 warm-up queries (the index caches how many documents have each word);
 * `search_cold_p95_ms` is 500 other queries on a fresh connection, as after a restart.
 * TIERDESK_BENCH_KB_ARTICLES changes the size; TIERDESK_BENCH_KB_SLOWEST=1 lists the slowest queries.
 */
export async function run(emit: Emit): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tierdesk-bench-kb-'));
  const db = openDatabase(join(dir, 'bench.db'));
  try {
    await migrateToLatest(db);
    const index = searchIndexFor(db);
    const rand = seededRandom(7);
    const c = corpus(rand);

    const t0 = performance.now();
    for (let start = 0; start < ARTICLES; start += BATCH) {
      await db.transaction().execute(async (trx) => {
        for (let ref = start + 1; ref <= Math.min(start + BATCH, ARTICLES); ref++) {
          const subject = topic(rand, c);
          await index.put(trx, { kind: 'article', ref, title: title(rand, c, subject), body: body(rand, c, subject) });
        }
      });
    }
    const buildSeconds = (performance.now() - t0) / 1000;

    const queries = Array.from({ length: QUERIES + 200 }, () => query(rand, c));
    // Warm up the JIT and the page cache on queries that are not measured.
    for (const q of queries.slice(QUERIES)) await index.search(db, q, LIMIT);
    const latencies = new Float64Array(QUERIES);
    let found = 0;
    for (let i = 0; i < QUERIES; i++) {
      const q0 = performance.now();
      const hits = await index.search(db, queries[i]!, LIMIT);
      latencies[i] = performance.now() - q0;
      if (hits.length > 0) found++;
    }
    latencies.sort();
    emit('kb.search_p95_ms', round(latencies[Math.floor(QUERIES * 0.95)]!, 3), 'ms');
    emit('kb.search_p50_ms', round(latencies[Math.floor(QUERIES * 0.5)]!, 3), 'ms');
    emit('kb.search_max_ms', round(latencies[QUERIES - 1]!, 3), 'ms');
    emit('kb.search_found_ratio', round(found / QUERIES, 3), 'ratio');

    // After a restart: a fresh connection, nothing cached, queries not seen before.
    const fresh = openDatabase(join(dir, 'bench.db'));
    try {
      const cold = searchIndexFor(fresh);
      const coldQueries = Array.from({ length: 500 }, () => query(rand, c));
      const coldLatencies = new Float64Array(coldQueries.length);
      for (let i = 0; i < coldQueries.length; i++) {
        const q0 = performance.now();
        await cold.search(fresh, coldQueries[i]!, LIMIT);
        coldLatencies[i] = performance.now() - q0;
      }
      coldLatencies.sort();
      emit('kb.search_cold_p95_ms', round(coldLatencies[Math.floor(coldLatencies.length * 0.95)]!, 3), 'ms');
    } finally {
      await fresh.destroy();
    }
    emit('kb.build_s', round(buildSeconds, 1), 's');
    emit('kb.build_articles', ARTICLES, 'articles');
    if (process.env.TIERDESK_BENCH_KB_SLOWEST) await slowest(db, index, queries.slice(0, QUERIES));
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Diagnostics: the slowest queries, to stderr. */
async function slowest(db: Db, index: ReturnType<typeof searchIndexFor>, queries: string[]): Promise<void> {
  const timed: Array<[number, string]> = [];
  for (const q of queries) {
    const t = performance.now();
    await index.search(db, q, LIMIT);
    timed.push([performance.now() - t, q]);
  }
  timed.sort((a, b) => b[0] - a[0]);
  for (const [ms, q] of timed.slice(0, 15)) process.stderr.write(`${ms.toFixed(2)} ms  ${q}\n`);
}

// The everyday words of help articles, roughly by frequency: every article is made mostly of them.
const BACKGROUND = (
  'the to and a you your of is in if on for it this that with be or are can not then click select from as will ' +
  'by open user error check settings make sure try again step need when see should account use new button menu ' +
  'window page screen name enter type option field save close restart sign in out issue problem help please ' +
  'following first next after before also may might which following working does do not still get see below above'
).split(' ');

// What articles are about, the popular subjects first; the long tail (product names, hostnames,
// error codes) is generated.
const SUBJECTS = (
  'password outlook vpn printer wifi email teams laptop login reset mfa onedrive sharepoint excel word ' +
  'network zoom slack calendar mailbox license install update windows mac iphone android browser chrome ' +
  'firefox edge certificate dns proxy firewall bluetooth headset microphone camera audio driver firmware bios ' +
  'bitlocker recovery key tpm domain directory ldap sso saml okta azure aws kubernetes docker container ' +
  'cluster database sql report dashboard export import csv pdf attachment inbox spam phishing virus malware ' +
  'antivirus quarantine encryption backup restore sync storage quota memory cpu crash freeze timeout ' +
  'keyboard mouse monitor display battery power boot startup shutdown session token expired locked unlock ' +
  'permission group policy admin shortcut terminal powershell script git github repository branch merge ' +
  'deploy release version upgrade patch java python node npm cache cookies profile desktop taskbar dock ' +
  'finder explorer share drive folder file server access remote desktop citrix ssh putty ethernet router switch'
).split(' ');

interface Corpus {
  background: string[];
  subjects: string[];
  pickBackground: Pick;
  pickSubject: Pick;
}

function corpus(rand: () => number): Corpus {
  const subjects = [...new Set(SUBJECTS)];
  const seen = new Set(subjects);
  const syllables = 'ka ro mi tek sys net lo vi ra zen dor pix qua fle tor bri sa mon el ux ar ion ex la tri'.split(' ');
  while (subjects.length < 20_000) {
    const r = rand();
    let w: string;
    if (r < 0.1)
      w = `0x${Math.floor(rand() * 0xffffffff)
        .toString(16)
        .padStart(8, '0')}`;
    else if (r < 0.2) w = `kb${100000 + Math.floor(rand() * 900000)}`;
    else {
      w = '';
      const n = 2 + Math.floor(rand() * 3);
      for (let i = 0; i < n; i++) w += syllables[Math.floor(rand() * syllables.length)]!;
    }
    if (!seen.has(w)) {
      seen.add(w);
      subjects.push(w);
    }
  }
  const background = [...new Set(BACKGROUND)];
  return { background, subjects, pickBackground: zipf(background.length, 1.0), pickSubject: zipf(subjects.length, 1.0) };
}

/** A sampler of ranks 0..n-1 with P(rank k) ∝ 1 / (k + 1)^s. */
function zipf(n: number, s: number): Pick {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) cdf[k] = sum += 1 / (k + 1) ** s;
  return (rand) => {
    const x = rand() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

type Pick = (rand: () => number) => number;

/** An article's subject: 2–6 subject words (popular ones more often), each article's own mix. */
function topic(rand: () => number, c: Corpus): string[] {
  const n = 2 + Math.floor(rand() * 5);
  return Array.from({ length: n }, () => c.subjects[c.pickSubject(rand)]!);
}

function capital(w: string): string {
  return w.charAt(0).toUpperCase() + w.slice(1);
}

/** 4–12 words, half of them the article's subject. */
function title(rand: () => number, c: Corpus, subject: string[]): string {
  const n = 4 + Math.floor(rand() * 9);
  const w = Array.from({ length: n }, () => (rand() < 0.5 ? subject[Math.floor(rand() * subject.length)]! : c.background[c.pickBackground(rand)]!));
  w[0] = capital(w[0]!);
  return w.join(' ');
}

/** 80–400 words in sentences: mostly everyday words, a fifth the subject, a few other subjects. */
function body(rand: () => number, c: Corpus, subject: string[]): string {
  const n = 80 + Math.floor(rand() * 321);
  const out: string[] = [];
  let sentence = 0;
  for (let i = 0; i < n; i++) {
    const r = rand();
    let w =
      r < 0.2 ? subject[Math.floor(rand() * subject.length)]! : r < 0.23 ? c.subjects[c.pickSubject(rand)]! : c.background[c.pickBackground(rand)]!;
    if (sentence === 0) w = capital(w);
    sentence++;
    if (sentence > 6 && rand() < 0.15) {
      w += rand() < 0.2 ? ':\n\n' : '.';
      sentence = 0;
    }
    out.push(w);
  }
  return `${out.join(' ')}.`;
}

const SYNTAX = ['"', '*', 'AND', 'OR', 'NOT', 'NEAR(', '-', 'C++', 'title:', '^', '(', ')', ':'];

/**
 * A query as people type it: 2–6 words about some subject (most often a popular one), mixed with
 * everyday words; some with FTS syntax characters, quoted or with a trailing star.
 */
function query(rand: () => number, c: Corpus): string {
  const subject = topic(rand, c);
  const n = 2 + Math.floor(rand() * 5);
  const w = Array.from({ length: n }, (_, i) => (i < subject.length && rand() < 0.75 ? subject[i]! : c.background[c.pickBackground(rand)]!));
  if (rand() < 0.15) {
    const s = SYNTAX[Math.floor(rand() * SYNTAX.length)]!;
    w.splice(Math.floor(rand() * (w.length + 1)), 0, s);
  }
  if (rand() < 0.05) return `"${w.join(' ')}"`;
  if (rand() < 0.05) return `${w.join(' ')}*`;
  return w.join(' ');
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
