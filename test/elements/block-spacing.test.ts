import { expect, fixture } from '@open-wc/testing';
import '../../src/index.js';

/** The widgets on a plain page, one after another, as a CMS editor pastes them. */
const PLAIN = `<div>
  <gym-connection-status></gym-connection-status>
  <gym-checkin-stats></gym-checkin-stats>
  <gym-checkin-form></gym-checkin-form>
  <gym-checkin-feed></gym-checkin-feed>
</div>`;

describe('space between widgets on a plain page', () => {
  const gaps = (page: HTMLElement) => {
    const boxes = [...page.children].map((widget) => widget.getBoundingClientRect());
    return boxes.slice(1).map((box, i) => Math.round(box.top - boxes[i]!.bottom));
  };

  it('keeps 1em between widgets by default, none after the last', async () => {
    const page = await fixture<HTMLElement>(PLAIN);
    expect(gaps(page)).to.deep.equal([16, 16, 16]);
    expect(getComputedStyle(page.lastElementChild!).marginBlockEnd).to.equal('0px');
  });

  it('--gym-block-spacing sets it, 0 included', async () => {
    const page = await fixture<HTMLElement>(PLAIN);
    page.style.setProperty('--gym-block-spacing', '2rem');
    expect(gaps(page)).to.deep.equal([32, 32, 32]);
    page.style.setProperty('--gym-block-spacing', '0');
    expect(gaps(page)).to.deep.equal([0, 0, 0]);
  });
});
