import { afterEach, describe, expect, it } from 'vitest';
import { metricsText, observeIntakeAck } from '../../src/core/metrics.js';
import { createTestDesk, type TestDesk } from '../support/desk.js';

let desk: TestDesk;
afterEach(async () => desk.close());

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text format, strictly: every line a comment or `name{labels} value`; anything else fails. */
function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.]+(?:e[+-]?\d+)?|NaN|[+-]Inf)$/i.exec(line);
    if (!m) throw new Error(`not a sample line: ${JSON.stringify(line)}`);
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1]!, l[2]!]));
    samples.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return samples;
}

const value = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);

describe('/metrics', () => {
  it('counts are running totals by tier, priority and platform, kept with the events', async () => {
    desk = await createTestDesk();
    for (let i = 1; i <= 12; i++) await desk.say('requester', `/ticket new Printer ${i} on fire --urgency ${i % 3 === 0 ? 'high' : 'low'}`);
    await desk.say('agent1', '/ticket resolve 1 replaced the toner');
    await desk.say('agent1', '/ticket escalate 2 needs a specialist --to L2');

    const samples = parse(await metricsText(desk.desk.core));

    expect(value(samples, 'tierdesk_tickets_opened_total')).toBe(12);
    expect(value(samples, 'tierdesk_tickets_opened_total', { tier: 'L1', priority: 'P2', platform: 'console' })).toBe(4);
    expect(value(samples, 'tierdesk_tickets_resolved_total', { tier: 'L1', platform: 'console' })).toBe(1);
    expect(value(samples, 'tierdesk_tickets_open')).toBe(11);
    expect(value(samples, 'tierdesk_tickets_open', { tier: 'L2' })).toBe(1);
    expect(samples.find((s) => s.name === 'tierdesk_outbox_backlog')).toBeDefined();
    // Node's process metrics come along.
    expect(samples.some((s) => s.name === 'tierdesk_process_cpu_seconds_total')).toBe(true);
  });

  it('SLA warnings and breaches are counted as they happen; an open ticket past a warning is at risk', async () => {
    desk = await createTestDesk();
    await desk.say('requester', '/ticket new Server room flooding --urgency high --impact high');
    const before = parse(await metricsText(desk.desk.core));
    expect(value(before, 'tierdesk_sla_at_risk')).toBe(0);

    await desk.advance(12 * 60_000); // past 75 % of a 15-minute first response
    const warned = parse(await metricsText(desk.desk.core));
    expect(value(warned, 'tierdesk_sla_warnings_total', { priority: 'P1' })).toBeGreaterThanOrEqual(1);
    expect(value(warned, 'tierdesk_sla_at_risk', { tier: 'L1', priority: 'P1' })).toBe(1);

    await desk.advance(10 * 60_000);
    const breached = parse(await metricsText(desk.desk.core));
    expect(value(breached, 'tierdesk_sla_breaches_total', { priority: 'P1' })).toBeGreaterThanOrEqual(1);
    expect(value(breached, 'tierdesk_sla_at_risk')).toBe(0);
  });

  it('delivery latency and intake acknowledgement are histograms with running counts and sums', async () => {
    desk = await createTestDesk();
    const count = async (name: string, platform: string) => value(parse(await metricsText(desk.desk.core)), name, { platform });
    const deliveredBefore = await count('tierdesk_delivery_latency_seconds_count', 'console');
    await desk.say('requester', '/ticket new Printer on fire');
    expect(await count('tierdesk_delivery_latency_seconds_count', 'console')).toBeGreaterThan(deliveredBefore);

    const acksBefore = await count('tierdesk_intake_ack_seconds_count', 'slack');
    observeIntakeAck('slack', 0.2);
    observeIntakeAck('slack', 0.4);
    const samples = parse(await metricsText(desk.desk.core));
    expect(value(samples, 'tierdesk_intake_ack_seconds_count', { platform: 'slack' })).toBe(acksBefore + 2);
    expect(value(samples, 'tierdesk_intake_ack_seconds_bucket', { platform: 'slack', le: '+Inf' })).toBe(acksBefore + 2);
    expect(value(samples, 'tierdesk_intake_ack_seconds_sum', { platform: 'slack' })).toBeGreaterThanOrEqual(0.6 - 1e-9);
  });
});
