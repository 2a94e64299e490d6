import { storyVisit } from './story-client.js';

/**
 * Answers the feed's history requests inside Storybook (no server):
 * `/story-history/recent` lists a few visits, `/story-history/hang` never
 * answers (the loading state), `/story-history/fail` fails.
 */
export function installStoryFetch(): void {
  const realFetch = window.fetch.bind(window);
  window.fetch = (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (!url.includes('/story-history/')) return realFetch(input, init);
    if (url.endsWith('/hang')) return new Promise(() => {});
    if (url.endsWith('/fail')) return Promise.resolve(new Response('', { status: 503 }));
    const visits = [storyVisit('Priya Raghunathan', 12, true), storyVisit('Mateo García', 25), storyVisit('Zoë Ångström', 41, true)];
    return Promise.resolve(Response.json(visits));
  };
}
