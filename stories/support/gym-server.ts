/**
 * The local gym server the Playground talks to by default: `STORYBOOK_GYM_URL` when Storybook was
 * started or built with it (Vite exposes `STORYBOOK_*` variables), else `npm start`'s first choice.
 */
export const DEFAULT_GYM_SERVER: string = import.meta.env?.STORYBOOK_GYM_URL || 'http://localhost:8080';

/**
 * The provider's addresses on the gym server at `server`: any address on it will do, such as a page
 * `npm start` printed (`http://localhost:8081/cms.html`). Undefined when `server` is not a URL.
 */
export function gymEndpoints(server: string): { url: string; tokenUrl: string; historyUrl: string } | undefined {
  if (!URL.canParse(server)) return undefined;
  const { origin } = new URL(server);
  return { url: `${origin.replace(/^http/, 'ws')}/ws/checkins/`, tokenUrl: `${origin}/demo/token`, historyUrl: `${origin}/api/checkins/recent/` };
}
