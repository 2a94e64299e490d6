import { expect } from '@open-wc/testing';
import type { GymCheckinFeed } from '../../src/index.js';
import { shownName } from '../../src/protocol/names.js';
import { cleanupConnected, connected, shadowText } from '../helpers/element-harness.js';
import { visit } from '../helpers/fixtures.js';
import { until } from '../helpers/wait.js';

describe('<gym-checkin-feed names>', () => {
  afterEach(() => cleanupConnected());

  const mount = async (names: string) => {
    const c = await connected(`<gym-checkin-feed names="${names}" notify></gym-checkin-feed>`);
    const feed = c.provider.querySelector('gym-checkin-feed') as GymCheckinFeed;
    c.gym.send({ type: 'member_checked_in', payload: visit(1, { member: { id: 'm', full_name: 'Ingrid Bjørnstad Olsen', email: null } }) });
    await until(() => feed.entries.length === 1, 'the check-in');
    await c.settle();
    return { c, feed };
  };

  for (const [names, shown] of [
    ['full', 'Ingrid Bjørnstad Olsen'],
    ['first', 'Ingrid O.'],
    ['initials', 'I. O.'],
    ['none', 'Member'],
  ]) {
    it(`${names}: the row, its tooltip and the pop-up show "${shown}", and nothing of the full name more`, async () => {
      const { feed } = await mount(names!);
      const name = feed.shadowRoot!.querySelector('[part=name]')!;
      expect(name.textContent).to.equal(shown);
      expect(name.getAttribute('title')).to.equal(shown);
      expect(feed.shadowRoot!.querySelector('[part=toast]')!.textContent).to.include(shown);
      if (names !== 'full') expect(shadowText(feed)).not.to.include('Bjørnstad');
    });
  }

  it('an unknown mode is a configuration error, and the feed shows full names', async () => {
    const errors: string[] = [];
    document.addEventListener('gym-error', (event) => errors.push((event as CustomEvent<{ message: string }>).detail.message), { once: true });
    const { feed } = await mount('surname');
    expect(feed.names).to.equal('full');
    expect(errors[0]).to.match(/names must be one of full, first, initials, none, not surname/);
  });

  it('cuts words at every separator (an emoji too), keeps a grapheme whole and drops bidi marks', () => {
    expect(shownName('Ångström', 'initials')).to.equal('Å.');
    expect(shownName('\u202EEvil\u202C  Name ', 'first')).to.equal('Evil N.');
    // A flag is no letter: it separates words and never shows (test/protocol/names.test.ts has the whole rule).
    expect(shownName('🇳🇴Nora Lie', 'initials')).to.equal('N. L.');
  });
});
