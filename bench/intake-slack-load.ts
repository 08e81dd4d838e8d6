/**
 * The other side of the intake bench, in its own process (Slack is another machine in real life):
 * the fake Slack Web API, and a load generator sending signed `/ticket new` slash commands at a
 * fixed rate. Talks to the parent over IPC.
 */
import { performance } from 'node:perf_hooks';
import { startFakeSlack } from '../test/fakes/slack-api/index.js';
import { BUSY_REPLY, QUEUED_REPLY } from '../src/intake-port.js';

type FromParent = { type: 'load'; url: string; rate: number; seconds: number; tag?: string } | { type: 'cards'; channel: string } | { type: 'stop' };

const slack = await startFakeSlack({ botToken: 'xoxb-bench', signingSecret: 'bench-secret', users: [{ id: 'U0EMP', name: 'erin' }] });
process.send!({ type: 'ready', apiUrl: slack.apiUrl });

process.on('message', async (msg: FromParent) => {
  if (msg.type === 'cards') {
    process.send!({
      type: 'cards',
      count: slack.web.calls('chat.postMessage').filter((c) => c.args.channel === msg.channel && c.status === 200).length,
    });
  } else if (msg.type === 'stop') {
    await slack.stop();
    process.exit(0);
  } else if (msg.type === 'load') {
    const sender = slack.sender(msg.url);
    const total = msg.rate * msg.seconds;
    const acks: number[] = [];
    let failures = 0;
    let refused = 0;
    let queued = 0;
    const tag = msg.tag ?? 'bench';
    const inflight: Array<Promise<void>> = [];
    const start = performance.now();
    for (let i = 0; i < total; i++) {
      const wait = start + (i * 1000) / msg.rate - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const t0 = performance.now();
      inflight.push(
        sender
          .slashCommand({
            command: '/ticket',
            text: `new Printer ${tag} ${i} on fire --urgency high`,
            user_id: 'U0EMP',
            channel_id: 'C0RANDOM',
            trigger_id: `${tag}.${i}`,
          })
          .then(
            (r) => {
              if (r.status !== 200) return void failures++;
              acks.push(performance.now() - t0);
              const text = (r.json as { text?: string } | undefined)?.text;
              if (text === BUSY_REPLY) refused++;
              else if (text === QUEUED_REPLY) queued++;
            },
            () => void failures++,
          ),
      );
    }
    const sendSeconds = (performance.now() - start) / 1000;
    await Promise.all(inflight);
    process.send!({ type: 'done', acks, failures, refused, queued, sendSeconds });
  }
});
