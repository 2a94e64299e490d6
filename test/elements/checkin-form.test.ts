import { expect, fixture } from '@open-wc/testing';
import sinon from 'sinon';
import type { GymCheckinForm } from '../../src/index.js';
import type { GymCheckinResultDetail } from '../../src/events/gym-checkin-result.js';
import { cleanupConnected, connected, shadowText, type Connected } from '../helpers/element-harness.js';
import { visit } from '../helpers/fixtures.js';
import { until } from '../helpers/wait.js';

describe('<gym-checkin-form>', () => {
  let c: Connected;
  let form: GymCheckinForm;
  let results: GymCheckinResultDetail[];
  afterEach(() => cleanupConnected());

  async function mount(options = {}) {
    c = await connected('<gym-checkin-form location="Side door"></gym-checkin-form>', options);
    form = c.provider.querySelector('gym-checkin-form')!;
    results = [];
    form.addEventListener('gym-checkin-result', (e) => results.push(e.detail));
  }
  const input = () => form.shadowRoot!.querySelector('input')!;
  const message = () => form.shadowRoot!.querySelector('[part=message]')!;
  const region = (role: 'status' | 'alert') => message().querySelector(`[role=${role}]`)!;
  async function submit(id: string) {
    input().value = id;
    form.shadowRoot!.querySelector<HTMLButtonElement>('[part=submit]')!.click();
    await form.updateComplete;
  }
  /** Waits for the form to report its `count`-th result, then for it to render. */
  async function reported(count: number) {
    await until(() => results.length >= count, `gym-checkin-result #${count}`);
    await form.updateComplete;
  }

  it('is labelled and accessible when idle', async () => {
    await mount();
    expect(form.matches(':state(idle)')).to.equal(true);
    expect(shadowText(form)).to.include('Member ID');
    await expect(form).to.be.accessible();
  });

  it('checks a member in: pending, then the member`s name; focus returns to the field', async () => {
    await mount();
    await submit('member-1');
    expect(message().textContent).to.equal('Sending…');
    expect(form.matches(':state(pending)')).to.equal(true);
    await until(() => c.gym.received('check_in').length > 0, 'the check_in frame');
    expect(c.gym.received('check_in')).to.deep.equal([{ type: 'check_in', payload: { memberId: 'member-1', location: 'Side door' } }]);
    c.gym.send({ type: 'check_in_success', payload: visit(1) });
    await reported(1);
    expect(message().textContent).to.equal('Member 1 checked in');
    expect(region('status').textContent).to.equal('Member 1 checked in');
    expect(form.shadowRoot!.activeElement).to.equal(input());
    expect(input().value).to.equal('');
    expect(results.map((r) => r.status)).to.deep.equal(['success']);
    await expect(form).to.be.accessible();
  });

  it('shows the server`s error text as an alert', async () => {
    await mount();
    await submit('member-1');
    await until(() => c.gym.received('check_in').length > 0, 'the check_in frame');
    c.gym.send({ type: 'check_in_error', payload: { error: 'Member 1 is already checked in' } });
    await reported(1);
    expect(message().textContent).to.equal('Member 1 is already checked in');
    expect(region('alert').textContent).to.equal('Member 1 is already checked in');
    expect(input().getAttribute('aria-invalid')).to.equal('true');
    expect(form.matches(':state(error)')).to.equal(true);
    expect(results).to.deep.equal([{ action: 'check_in', status: 'rejected', message: 'Member 1 is already checked in' }]);
    await expect(form).to.be.accessible();
  });

  it('keeps two live regions that never change role: news in the status, failures in the alert', async () => {
    await mount();
    const [status, alert] = [region('status'), region('alert')];
    expect(status, 'a status region from the start').to.not.equal(null);
    expect(alert, 'an alert region from the start').to.not.equal(null);
    const text = () => [status.textContent, alert.textContent];
    await submit('member-1');
    expect(text()).to.deep.equal(['Sending…', '']);
    await until(() => c.gym.received('check_in').length > 0, 'the check_in frame');
    c.gym.send({ type: 'check_in_error', payload: { error: 'Member 1 is already checked in' } });
    await reported(1);
    expect(text()).to.deep.equal(['', 'Member 1 is already checked in']);
    await submit('member-2');
    await until(() => c.gym.received('check_in').length > 1, 'the second check_in frame');
    c.gym.send({ type: 'check_in_success', payload: visit(2) });
    await reported(2);
    expect(text()).to.deep.equal(['Member 2 checked in', '']);
    // The same two elements throughout, each with its one role.
    expect(region('status') === status && region('alert') === alert, 'the same two regions').to.equal(true);
    expect(message().hasAttribute('role')).to.equal(false);
    await expect(form).to.be.accessible();
  });

  it('checks a visit out', async () => {
    await mount();
    const select = form.shadowRoot!.querySelector('select')!;
    select.value = 'check_out';
    select.dispatchEvent(new Event('change'));
    await form.updateComplete;
    expect(shadowText(form)).to.include('Check-in ID');
    await submit('visit-1');
    await until(() => c.gym.received('check_out').length > 0, 'the check_out frame');
    expect(c.gym.received('check_out')).to.deep.equal([{ type: 'check_out', payload: { checkInId: 'visit-1' } }]);
    c.gym.send({ type: 'check_out_success', payload: visit(1, { check_out_time: new Date().toISOString() }) });
    await reported(1);
    expect(message().textContent).to.equal('Member 1 checked out');
  });

  it('asks for an id before sending anything', async () => {
    await mount();
    const request = sinon.spy(c.client, 'request');
    const send = sinon.spy(c.client, 'send');
    try {
      await submit('  ');
      expect(message().textContent).to.equal('Enter an ID first');
      expect(request.callCount + send.callCount, 'requests made').to.equal(0);
      expect(results).to.deep.equal([]);
    } finally {
      sinon.restore();
    }
  });

  it('while offline says the request is queued, then shows the answer once back', async () => {
    await mount({ initialRetryDelay: 200 });
    c.gym.drop();
    await until(() => c.client.state === 'reconnecting', 'the link to go down');
    await submit('member-2');
    expect(message().textContent).to.equal('Queued — will be sent when back online');
    expect(form.matches(':state(queued)')).to.equal(true);
    await until(() => c.gym.received('check_in').length > 0, 'the queued check_in, sent after reconnecting');
    c.gym.send({ type: 'check_in_success', payload: visit(2) });
    await reported(2);
    expect(message().textContent).to.equal('Member 2 checked in');
    expect(results.map((r) => r.status)).to.deep.equal(['queued', 'success']);
  });

  it('reports a full outbox', async () => {
    await mount({ outboxLimit: 1, initialRetryDelay: 60_000 });
    c.gym.drop();
    await until(() => c.client.state === 'reconnecting', 'the link to go down');
    await submit('member-1');
    await submit('member-2');
    await reported(2);
    expect(message().textContent).to.equal('Too many requests are waiting; try again when the connection is back');
    expect(results.at(-1)).to.deep.include({ status: 'failed' });
  });

  it('without a provider says it is not connected and cannot send', async () => {
    const el = await fixture<GymCheckinForm>('<gym-checkin-form></gym-checkin-form>');
    expect(shadowText(el)).to.include('Not connected');
    expect(el.shadowRoot!.querySelector<HTMLButtonElement>('[part=submit]')!.disabled).to.equal(true);
    await expect(el).to.be.accessible();
  });
});
