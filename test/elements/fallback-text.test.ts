import { expect } from '@open-wc/testing';
import '../../src/index.js';

const LEAVES = ['gym-connection-status', 'gym-checkin-feed', 'gym-checkin-stats', 'gym-checkin-form'];
const FALLBACK = 'Live check-ins could not load: see the front desk.';

/** True when the text inside `element` takes room on the screen. */
function shows(element: Element): boolean {
  const range = element.ownerDocument.createRange();
  range.selectNodeContents(element);
  // A light-DOM child that the shadow root does not slot has no box.
  return [...range.getClientRects()].some((rect) => rect.width > 0 && rect.height > 0);
}

const markup = LEAVES.map((tag) => `<${tag}>${FALLBACK}</${tag}>`).join('');

describe('fallback text inside the tags', () => {
  let holder: HTMLElement | undefined;
  afterEach(() => holder?.remove());

  it('shows where the code never arrived (a page with the tags and no script)', async () => {
    const frame = document.createElement('iframe');
    holder = frame;
    const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    frame.srcdoc = `<!doctype html><body>${markup}</body>`;
    document.body.append(frame);
    await loaded;
    const page = frame.contentDocument!;
    for (const tag of LEAVES) {
      const element = page.querySelector(tag)!;
      expect(frame.contentWindow!.customElements.get(tag), tag).to.equal(undefined);
      expect(shows(element), tag).to.equal(true);
    }
  });

  it("with the README's delay, stays hidden for the first 3 s of a page whose script is still loading", async () => {
    const frame = document.createElement('iframe');
    holder = frame;
    const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
    frame.srcdoc = `<!doctype html><style>
      gym-checkin-feed:not(:defined) { visibility: hidden; animation: gym-late 0s 3s forwards; }
      @keyframes gym-late { to { visibility: visible; } }
    </style><gym-checkin-feed>${FALLBACK}</gym-checkin-feed>`;
    document.body.append(frame);
    await loaded;
    const feed = frame.contentDocument!.querySelector('gym-checkin-feed')!;
    const visibility = () => frame.contentWindow!.getComputedStyle(feed).visibility;
    expect(visibility()).to.equal('hidden');
    // The animation's own clock, moved on: no waiting in real time.
    for (const animation of feed.getAnimations()) animation.currentTime = 2999;
    expect(visibility()).to.equal('hidden');
    for (const animation of feed.getAnimations()) animation.currentTime = 3000;
    expect(visibility()).to.equal('visible');
  });

  it('is hidden by every element once defined, which slots none of it', async () => {
    holder = document.createElement('div');
    holder.innerHTML = markup;
    document.body.append(holder);
    for (const tag of LEAVES) {
      const element = holder.querySelector(tag)!;
      await (element as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
      expect(element.matches(':defined'), tag).to.equal(true);
      expect(element.textContent, tag).to.equal(FALLBACK);
      expect(shows(element), tag).to.equal(false);
    }
  });

  it('is shown by the provider and the boundary, which slot their content: it goes inside the widgets themselves', async () => {
    holder = document.createElement('div');
    holder.innerHTML = `<gym-realtime-provider>${FALLBACK}</gym-realtime-provider><gym-error-boundary>${FALLBACK}</gym-error-boundary>`;
    document.body.append(holder);
    for (const element of holder.children) {
      await (element as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
      expect(shows(element), element.localName).to.equal(true);
    }
  });
});
