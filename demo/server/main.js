#!/usr/bin/env node
// `npm start`: the local gym server with its demo pages, on PORT, 8080, or the next free port.
import { demoGateway, GATEWAY_PREFIX } from './demo-gateway.js';
import { Gym, gymTimeZone } from './gym.js';
import { startGymServer } from './gym-server.js';
import { seedMorning, startSimulation } from './simulator.js';

const port = Number(process.env.PORT) || 8080;
const eventsPerMinute = Number(process.env.GYM_EVENTS_PER_MINUTE ?? 12);
const accessLifetimeSeconds = Number(process.env.GYM_TOKEN_LIFETIME ?? 300);
/** @type {string} */
let timeZone;
try {
  timeZone = gymTimeZone(process.env.GYM_TIME_ZONE, 'GYM_TIME_ZONE');
} catch (error) {
  console.error(/** @type {Error} */ (error).message);
  process.exit(1);
}

// Built into gateway/dist/ by `npm run build:demo` (part of `npm start`) from gateway/src/.
/** @type {typeof import('../../gateway/src/index.js')} */
const { startGateway } = await import(new URL('../../gateway/dist/index.js', import.meta.url).href);
const gateway = demoGateway(startGateway);

const server = await startGymServer({ port, nextFreePort: !process.env.PORT, host: '127.0.0.1', accessLifetimeSeconds, servePages: true, gym: new Gym({ timeZone }), extension: gateway.extension });
seedMorning(server.gym);
const stopSimulation = startSimulation(server.gym, server.act, { eventsPerMinute });
// The read-only gateway public pages use, in front of this server: on the next port, and under /gateway/ here.
const { port: gatewayPort } = await gateway.start(server, { port: server.port + 1 });

const base = `http://localhost:${server.port}`;
console.log(`Local gym server (a development stand-in for the AV-Gym backend) is running:

  Gym website   ${base}/
  Public page   ${base}/public.html  (the website through the read-only gateway: no token)
  CMS post      ${base}/cms.html
  React 19 app  ${base}/react.html
  Vue 3 app     ${base}/vue.html
  Front desk    ${base}/front-desk.html
  Control panel ${base}/control.html

What a snippet of your own needs (the gym server, as AV-Gym would answer):
  url           ${base.replace('http', 'ws')}/ws/checkins/
  token-url     ${base}/demo/token  (a short-lived token, as your site's endpoint would hand out)
  history-url   ${base}/api/checkins/recent/
  script        ${base}/gym-realtime-widgets.js  (or .classic.js)

Read-only gateway for public pages (no token, names shown as "Alice E."):
  socket        ws://localhost:${gatewayPort}/ws/checkins/  (also ${base.replace('http', 'ws')}${GATEWAY_PREFIX}/ws/checkins/)
  history       http://localhost:${gatewayPort}/api/checkins/recent/
  metrics       http://localhost:${gatewayPort}/metrics
  its upstream  POST ${base}/control/gateway-upstream?state=down (or up)

Members arrive and leave about ${eventsPerMinute} times a minute; "today" counts from midnight in
${timeZone} (GYM_TIME_ZONE). Ctrl-C stops.`);

const stop = async () => {
  stopSimulation();
  await gateway.close();
  await server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
