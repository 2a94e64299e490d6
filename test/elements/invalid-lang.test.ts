import { expect, fixture } from '@open-wc/testing';
import { GymElement, type GymCheckinFeed } from '../../src/index.js';
import { formatAgo, formatNumber, formatTime, usableLocale } from '../../src/elements/shared/format.js';
import { cleanupConnected, connected, shadowText } from '../helpers/element-harness.js';
import { stats, visit } from '../helpers/fixtures.js';
import { until } from '../helpers/wait.js';

class LocaleProbe extends GymElement {}
LocaleProbe.define('test-locale-probe');

/** Values pages really write in `lang`, none of which `Intl` takes as it is. */
const BAD = ['en_US', 'x', '123', '🙂', 'en-', '--', 'root', 'de_DE@euro', 'i', ' ', 'en US'];
const browser = Intl.getCanonicalLocales(navigator.language)[0];

describe('an invalid lang', () => {
  const html0 = document.documentElement.getAttribute('lang');
  afterEach(() => {
    if (html0 === null) document.documentElement.removeAttribute('lang');
    else document.documentElement.setAttribute('lang', html0);
    cleanupConnected();
  });

  const probe = async (markup: string) => {
    const root = await fixture<HTMLElement>(markup);
    return (root.matches('test-locale-probe') ? root : root.querySelector('test-locale-probe')) as LocaleProbe;
  };

  it('is canonicalised where it can be: en_US is en-US, POSIX de_DE.UTF-8 is de-DE', async () => {
    expect((await probe('<test-locale-probe lang="en_US"></test-locale-probe>')).locale).to.equal('en-US');
    expect((await probe('<test-locale-probe lang="de_DE.UTF-8"></test-locale-probe>')).locale).to.equal('de-DE');
    expect((await probe('<test-locale-probe lang="PT_br"></test-locale-probe>')).locale).to.equal('pt-BR');
    expect((await probe('<test-locale-probe lang="sr-latn-rs"></test-locale-probe>')).locale).to.equal('sr-Latn-RS');
  });

  it('is skipped for the next lang out, then the document`s, then the browser`s', async () => {
    expect((await probe('<div lang="de"><span lang="x"><test-locale-probe lang="🙂"></test-locale-probe></span></div>')).locale).to.equal('de');
    document.documentElement.setAttribute('lang', 'fr_FR');
    expect((await probe('<test-locale-probe lang="x"></test-locale-probe>')).locale).to.equal('fr-FR');
    document.documentElement.setAttribute('lang', 'x');
    expect((await probe('<test-locale-probe lang="123"></test-locale-probe>')).locale).to.equal(browser);
  });

  it('falls back to English when nothing is usable, and never throws', () => {
    for (const bad of BAD) expect(usableLocale([bad, bad]), bad).to.equal(bad === 'en_US' ? 'en-US' : bad === 'de_DE@euro' ? 'de-DE' : 'en');
    expect(usableLocale([])).to.equal('en');
    expect(usableLocale([null, undefined, ''])).to.equal('en');
    // The formatters too, whatever locale they are handed.
    expect(formatNumber('x', 1234)).to.equal('1,234');
    expect(formatTime('en_US', Date.UTC(2026, 0, 1, 15))).to.match(/\d/);
    expect(formatAgo('🙂', Date.now() - 120_000, Date.now(), 'just now')).to.equal('2 min. ago');
  });

  for (const bad of BAD) {
    it(`lang=${JSON.stringify(bad)} on <html> and on the elements: stats and feed still show, nothing trips`, async () => {
      document.documentElement.setAttribute('lang', bad);
      const errors: string[] = [];
      const onError = (event: Event) => errors.push((event as CustomEvent<{ message: string }>).detail.message);
      document.addEventListener('gym-error', onError);
      try {
        const c = await connected(`<gym-error-boundary><gym-checkin-stats lang="${bad}"></gym-checkin-stats><gym-checkin-feed lang="${bad}"></gym-checkin-feed></gym-error-boundary>`);
        const statsEl = c.provider.querySelector('gym-checkin-stats')!;
        const feed = c.provider.querySelector('gym-checkin-feed') as GymCheckinFeed;
        c.gym.send({ type: 'initial_stats', payload: stats(1234, 17, 52) });
        c.gym.send({ type: 'member_checked_in', payload: visit(1) });
        await until(() => feed.entries.length === 1, 'the check-in');
        await c.settle();
        expect(shadowText(statsEl)).to.match(/Currently in 1.?234 Today 17 Average stay 52/);
        expect(shadowText(feed)).to.include('Member 1').and.include('checked in');
        expect(errors).to.deep.equal([]);
      } finally {
        document.removeEventListener('gym-error', onError);
      }
    });
  }
});
