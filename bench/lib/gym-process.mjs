// The local gym server in a process of its own for the fan-out benchmark (so that its memory is
// its own), driven over IPC by bench/gateway.mjs: `act` checks a member in and answers with the
// wall-clock time just before the broadcast, `rss` with the process's resident memory.
import { Gym } from '../../demo/server/gym.js';
import { startGymServer } from '../../demo/server/gym-server.js';

const members = Array.from({ length: 100 }, (_, i) => ({
  id: `20000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
  full_name: `Member ${i + 1}`,
  email: null,
  membership_type: 'standard',
}));
const server = await startGymServer({ gym: new Gym({ members }) });
let next = 0;

process.on('message', async (/** @type {any} */ message) => {
  switch (message.type) {
    case 'act': {
      const memberId = /** @type {{ id: string }} */ (members[next++ % members.length]).id;
      const at = performance.timeOrigin + performance.now();
      const result = server.act('check_in', { memberId, location: message.location });
      process.send?.({ type: 'acted', at, ok: result.ok });
      break;
    }
    case 'rss':
      process.send?.({ type: 'rss', rss: process.memoryUsage().rss });
      break;
    case 'close':
      await server.close();
      process.exit(0);
  }
});
process.send?.({ type: 'ready', socketUrl: server.socketUrl, token: await server.tokens.issue('1') });
