/**
 * The fake Slack Web API of the Slack intake benches, in a process of its own (Slack is another
 * machine in real life), so the cards tierdesk posts cost neither tierdesk nor the load generator
 * event-loop time. It also writes the slash commands' bodies (it issues their response_urls, which
 * tierdesk answers queued requests through). Talks to the parent over IPC.
 */
import { startFakeSlack } from '../test/fakes/slack-api/index.js';
import { slashCommandFields } from '../test/fakes/slack-api/payloads.js';

type FromParent = { type: 'bodies'; count: number; tag: string } | { type: 'cards'; channel: string } | { type: 'stop' };

const slack = await startFakeSlack({ botToken: 'xoxb-bench', signingSecret: 'bench-secret', users: [{ id: 'U0EMP', name: 'erin' }] });
const web = slack.web;
process.send!({ type: 'ready', apiUrl: slack.apiUrl });

process.on('message', async (msg: FromParent) => {
  if (msg.type === 'bodies') {
    // Form-encoded as Slack sends them, unsigned: the generator signs them with the second it sends them in.
    const bodies: string[] = [];
    for (let i = 0; i < msg.count; i++) {
      const fields = slashCommandFields(web, {
        command: '/ticket',
        text: `new Printer ${msg.tag} ${i} on fire --urgency high`,
        user_id: 'U0EMP',
        channel_id: 'C0RANDOM',
        trigger_id: `${msg.tag}.${i}`,
      });
      bodies.push(new URLSearchParams(fields).toString());
    }
    process.send!({ type: 'bodies', bodies });
  } else if (msg.type === 'cards') {
    const count = web.calls('chat.postMessage').filter((c) => c.args.channel === msg.channel && c.status === 200).length;
    process.send!({ type: 'cards', count });
  } else if (msg.type === 'stop') {
    await slack.stop();
    process.exit(0);
  }
});
