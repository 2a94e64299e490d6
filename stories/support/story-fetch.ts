import { storyMembers, storyOpenVisits, storyVisit } from './story-client.js';

/**
 * The form's member search and visits: `/story-members/search/?q=` finds
 * `storyMembers` by name, phone or id; `/story-members/visits/?member=` lists
 * a member's visits (Priya's still open); `/story-members/down/…` fails.
 */
function members(url: URL): Promise<Response> {
  if (url.pathname.startsWith('/story-members/down/')) return Promise.resolve(new Response('', { status: 503 }));
  if (url.pathname.endsWith('/search/')) {
    const q = (url.searchParams.get('q') ?? '').toLowerCase();
    return Promise.resolve(Response.json(q ? storyMembers.filter((m) => [m.full_name, m.phone, m.id].some((field) => field.toLowerCase().includes(q))) : []));
  }
  const open = storyOpenVisits[url.searchParams.get('member') ?? ''];
  return Promise.resolve(Response.json(open ? [{ ...storyVisit('', 90), id: open, check_out_time: null }] : []));
}

/**
 * Answers the feed's history requests inside Storybook (no server):
 * `/story-history/recent` lists a few visits, `/story-history/hang` never
 * answers (the loading state), `/story-history/fail` fails. The form's
 * member requests are answered by `members`.
 */
export function installStoryFetch(): void {
  const realFetch = window.fetch.bind(window);
  window.fetch = (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url.includes('/story-members/')) return members(new URL(url, location.href));
    if (!url.includes('/story-history/')) return realFetch(input, init);
    if (url.endsWith('/hang')) return new Promise(() => {});
    if (url.endsWith('/fail')) return Promise.resolve(new Response('', { status: 503 }));
    const visits = [storyVisit('Priya Raghunathan', 12, true), storyVisit('Mateo García', 25), storyVisit('Zoë Ångström', 41, true)];
    return Promise.resolve(Response.json(visits));
  };
}
