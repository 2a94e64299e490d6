import { expect } from '@open-wc/testing';
import type { GymConnectionStatus } from '../../src/index.js';
import { cleanupConnected, connected, shadowText } from '../helpers/element-harness.js';

/** WCAG 2 relative luminance of a computed `rgb()` colour. */
function luminance(color: string): number {
  const [r, g, b] = color.match(/[\d.]+/g)!.slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

const contrast = (a: string, b: string) => {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (high! + 0.05) / (low! + 0.05);
};

const opaque = (color: string) => !/^rgba\(.*, 0\)$/.test(color) && color !== 'transparent';

/** The nearest box behind `element` that paints a background, crossing shadow roots up to the page. */
function backdrop(element: Element): Element {
  for (let at: Element | null = element; at; at = at.parentElement ?? ((at.getRootNode() as ShadowRoot).host || null)) {
    if (opaque(getComputedStyle(at).backgroundColor)) return at;
  }
  return document.documentElement;
}

const PAGES = { light: 'rgb(255, 255, 255)', dark: 'rgb(13, 17, 23)' };

describe('the status keeps its contrast on any page', () => {
  afterEach(() => {
    cleanupConnected();
    document.body.style.background = '';
  });

  for (const theme of ['light', 'dark'] as const) {
    for (const [pageName, pageColour] of Object.entries(PAGES)) {
      it(`"Live" in the ${theme} theme on a ${pageName} page: its own pill, text at 4.5:1 or more against it`, async () => {
        document.body.style.background = pageColour;
        const c = await connected(`<gym-connection-status theme="${theme}"></gym-connection-status>`);
        const status = c.provider.querySelector<GymConnectionStatus>('gym-connection-status')!;
        expect(shadowText(status)).to.match(/^✓ Live/);
        const label = status.shadowRoot!.querySelector('[part=label]')!;
        const base = status.shadowRoot!.querySelector('[part=base]')!;
        // The text stands on the status's own surface, not on the page.
        const behind = backdrop(label);
        expect(behind.getAttribute('part') ?? behind.localName).to.equal('base');
        expect(behind === base).to.equal(true);
        const style = getComputedStyle(base);
        expect(style.borderTopStyle).to.equal('solid');
        expect(parseFloat(style.borderTopWidth)).to.be.above(0);
        const text = getComputedStyle(label).color;
        expect(contrast(text, style.backgroundColor), `${text} on ${style.backgroundColor}`).to.be.at.least(4.5);
      });
    }
  }
});
