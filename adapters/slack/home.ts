import type { types } from '@slack/bolt';
import type { Reply } from '../../src/ports.js';
import { renderCard } from './block-kit.js';

/** The App Home tab: the core's home cards, rendered one after another within Slack's 100-block limit. */
export function homeView(reply: Reply): types.HomeView {
  const blocks: types.KnownBlock[] = [];
  for (const card of reply.cards ?? []) {
    const rendered = renderCard(card).blocks;
    if (blocks.length + rendered.length + 1 > 100) {
      blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: 'More tickets than fit here: use /ticket list.' }] });
      break;
    }
    if (blocks.length > 0) blocks.push({ type: 'divider' });
    blocks.push(...rendered);
  }
  return { type: 'home', blocks };
}
