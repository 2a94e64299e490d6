import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import type { GymCheckinForm, GymConnectionStatus } from '../../src/index.js';
import { cleanupConnected, connected } from '../helpers/element-harness.js';

/** The default tokens as the browser computes them. */
const LIGHT = { text: 'rgb(27, 31, 36)', accent: 'rgb(9, 105, 218)' };
const DARK = { text: 'rgb(230, 237, 243)', accent: 'rgb(68, 147, 248)' };

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

/** The Send button's text and background colours. */
function submitColours(form: GymCheckinForm) {
  const style = getComputedStyle(form.shadowRoot!.querySelector('[part=submit]')!);
  return { text: style.color, accent: style.backgroundColor };
}

const textOf = (element: Element) => getComputedStyle(element).color;

describe('theme', () => {
  afterEach(async () => {
    cleanupConnected();
    await emulateMedia({ colorScheme: 'light' });
  });

  it('is light without a theme, even when the OS prefers dark', async () => {
    await emulateMedia({ colorScheme: 'dark' });
    const form = await fixture<GymCheckinForm>(html`<gym-checkin-form></gym-checkin-form>`);
    expect(textOf(form)).to.equal(LIGHT.text);
    expect(submitColours(form).accent).to.equal(LIGHT.accent);
  });

  it('follows the OS with theme="auto", and only then', async () => {
    const form = await fixture<GymCheckinForm>(html`<gym-checkin-form theme="auto"></gym-checkin-form>`);
    expect(textOf(form)).to.equal(LIGHT.text);
    await emulateMedia({ colorScheme: 'dark' });
    expect(textOf(form)).to.equal(DARK.text);
    expect(submitColours(form).accent).to.equal(DARK.accent);
  });

  it('is dark with theme="dark" and light with theme="light", whatever the OS prefers', async () => {
    const dark = await fixture<GymCheckinForm>(html`<gym-checkin-form theme="dark"></gym-checkin-form>`);
    expect(textOf(dark)).to.equal(DARK.text);
    await emulateMedia({ colorScheme: 'dark' });
    dark.theme = 'light';
    await dark.updateComplete;
    expect(textOf(dark)).to.equal(LIGHT.text);
  });

  it("puts the Send button's text at 4.5:1 or more against the default accent in both themes", async () => {
    for (const theme of ['light', 'dark'] as const) {
      const form = await fixture<GymCheckinForm>(html`<gym-checkin-form theme=${theme}></gym-checkin-form>`);
      const { text, accent } = submitColours(form);
      expect(accent).to.equal((theme === 'dark' ? DARK : LIGHT).accent);
      expect(contrast(text, accent), `${theme}: ${text} on ${accent}`).to.be.at.least(4.5);
    }
  });

  it('takes --gym-color-on-accent for the text on the accent', async () => {
    const form = await fixture<GymCheckinForm>(html`<gym-checkin-form style="--gym-color-on-accent: rgb(1, 2, 3)"></gym-checkin-form>`);
    expect(submitColours(form).text).to.equal('rgb(1, 2, 3)');
  });

  it("gives every element inside a provider the provider's theme; a child's own theme wins", async () => {
    const c = await connected('<div><gym-connection-status></gym-connection-status></div><gym-checkin-form theme="light"></gym-checkin-form>');
    const status = c.provider.querySelector<GymConnectionStatus>('gym-connection-status')!;
    const form = c.provider.querySelector<GymCheckinForm>('gym-checkin-form')!;
    expect(textOf(status)).to.equal(LIGHT.text);
    c.provider.theme = 'dark';
    await c.provider.updateComplete;
    expect(textOf(status)).to.equal(DARK.text);
    expect(textOf(form)).to.equal(LIGHT.text);
    c.provider.theme = 'auto';
    await c.provider.updateComplete;
    expect(textOf(status)).to.equal(LIGHT.text);
    await emulateMedia({ colorScheme: 'dark' });
    expect(textOf(status)).to.equal(DARK.text);
  });

  it("passes a boundary's theme to what it wraps", async () => {
    const boundary = await fixture(html`<gym-error-boundary theme="dark"><gym-checkin-form></gym-checkin-form></gym-error-boundary>`);
    expect(textOf(boundary.querySelector('gym-checkin-form')!)).to.equal(DARK.text);
  });

  it("leaves the page's own content in a provider or boundary in the page's colour, font and colour scheme", async () => {
    const section = await fixture(html`<section style="color: rgb(1, 2, 3); font: 13px serif; color-scheme: dark">
      <gym-realtime-provider theme="light"><gym-error-boundary theme="light"><p>Opening hours</p></gym-error-boundary></gym-realtime-provider>
    </section>`);
    const style = getComputedStyle(section.querySelector('p')!);
    expect([style.color, style.fontFamily, style.fontSize, style.colorScheme]).to.deep.equal(['rgb(1, 2, 3)', 'serif', '13px', 'dark']);
  });

  it("resolves a page's light-dark() tokens by the element's theme, not the page's", async () => {
    const section = await fixture(html`<div style="color-scheme: light; --gym-color-accent: light-dark(rgb(1, 1, 1), rgb(2, 2, 2))">
      <gym-checkin-form theme="dark"></gym-checkin-form>
    </div>`);
    expect(submitColours(section.querySelector('gym-checkin-form')!).accent).to.equal('rgb(2, 2, 2)');
  });
});
