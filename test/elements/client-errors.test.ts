import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import type { GymCheckinResultDetail } from '../../src/events/gym-checkin-result.js';
import { cleanupConnected, connected, shadowText, type Connected } from '../helpers/element-harness.js';
import { member, visit } from '../helpers/fixtures.js';
import { until } from '../helpers/wait.js';

/** A client error made by another copy of the library: same name and code, another class. */
const foreign = (message: string, code: string) => Object.assign(new Error(message), { name: 'GymClientError', code });

describe('what a failed request shows depends on what was thrown', () => {
  let c: Connected;
  let results: GymCheckinResultDetail[];
  afterEach(() => {
    sinon.restore();
    cleanupConnected();
  });

  async function mount(markup: string) {
    c = await connected(markup);
    results = [];
    c.provider.addEventListener('gym-checkin-result', (event) => results.push(event.detail));
  }

  async function submitForm(id: string) {
    const form = c.provider.querySelector('gym-checkin-form')!;
    form.shadowRoot!.querySelector('input')!.value = id;
    form.shadowRoot!.querySelector<HTMLButtonElement>('[part=submit]')!.click();
    await until(() => results.some((result) => result.status !== 'queued'), 'the result');
    await form.updateComplete;
    return form.shadowRoot!.querySelector('[part=message]')!.textContent;
  }

  it('form: something that is not a client error fails with its own text', async () => {
    await mount('<gym-checkin-form></gym-checkin-form>');
    sinon.stub(c.client, 'request').returns(Promise.reject('the payload could not be encoded'));
    expect(await submitForm(member(1))).to.equal('the payload could not be encoded');
    expect(results).to.deep.equal([{ action: 'check_in', status: 'failed', message: 'the payload could not be encoded' }]);
  });

  it('form: a client error from another copy of the library is still read by its code', async () => {
    await mount('<gym-checkin-form></gym-checkin-form>');
    const request = sinon.stub(c.client, 'request');
    request.rejects(foreign('Member is suspended', 'rejected'));
    expect(await submitForm(member(1))).to.equal('Member is suspended');
    expect(results.at(-1)).to.deep.equal({ action: 'check_in', status: 'rejected', message: 'Member is suspended' });
    results.length = 0;
    request.rejects(foreign('no reply', 'timeout'));
    expect(await submitForm(member(1))).to.equal('No answer from the server: check the feed before trying again');
  });

  it('feed check-out: something that is not a client error fails with its own text', async () => {
    await mount('<gym-checkin-feed actions></gym-checkin-feed>');
    const feed = c.provider.querySelector('gym-checkin-feed')!;
    c.gym.send({ type: 'member_checked_in', payload: visit(1) });
    await c.settle();
    sinon.stub(c.client, 'request').returns(Promise.reject('the payload could not be encoded'));
    feed.shadowRoot!.querySelector<HTMLButtonElement>('[part=check-out]')!.click();
    await until(() => results.length > 0, 'the result');
    await feed.updateComplete;
    expect(results).to.deep.equal([{ action: 'check_out', status: 'failed', message: 'the payload could not be encoded' }]);
    expect(shadowText(feed)).to.include('Check-out failed: the payload could not be encoded');
  });

  it('feed check-out: a rejection from another copy of the library counts as rejected', async () => {
    await mount('<gym-checkin-feed actions></gym-checkin-feed>');
    const feed = c.provider.querySelector('gym-checkin-feed')!;
    c.gym.send({ type: 'member_checked_in', payload: visit(1) });
    await c.settle();
    sinon.stub(c.client, 'request').rejects(foreign('Already checked out', 'rejected'));
    feed.shadowRoot!.querySelector<HTMLButtonElement>('[part=check-out]')!.click();
    await until(() => results.length > 0, 'the result');
    expect(results).to.deep.equal([{ action: 'check_out', status: 'rejected', message: 'Already checked out' }]);
  });
});
