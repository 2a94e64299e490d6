import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import fc from 'fast-check';
import sinon from 'sinon';
import { RealtimeClient } from '../../src/core/client.js';
import { diagnosticsReport, publicUrl } from '../../src/elements/connection-status/diagnostics-report.js';
import type { GymConnectionStatus, GymRealtimeProvider } from '../../src/index.js';
import { VERSION } from '../../src/version.js';
import { cleanupConnected, connected, shadowText } from '../helpers/element-harness.js';
import { member, stats, visit } from '../helpers/fixtures.js';
import { FakeNetwork, MockGym } from '../helpers/mock-gym.js';
import { until } from '../helpers/wait.js';

const part = (el: Element, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~=${name}]`);

describe('<gym-connection-status details>: diagnostics for support', () => {
  afterEach(() => {
    sinon.restore();
    cleanupConnected();
  });

  async function withDetails() {
    const c = await connected('<gym-connection-status details></gym-connection-status>');
    const el = c.provider.querySelector('gym-connection-status') as GymConnectionStatus;
    return { ...c, el };
  }

  it('has no Details button without the attribute', async () => {
    const c = await connected('<gym-connection-status></gym-connection-status>');
    expect(part(c.provider.querySelector('gym-connection-status')!, 'details-toggle')).to.equal(null);
  });

  it('is a disclosure: a button with aria-expanded and aria-controls, opened by the keyboard, closed by Escape with focus back', async () => {
    const { el, settle } = await withDetails();
    const toggle = part(el, 'details-toggle')!;
    expect(toggle.tagName).to.equal('BUTTON');
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    expect(part(el, 'details')).to.equal(null);
    toggle.focus();
    await sendKeys({ press: 'Enter' });
    await el.updateComplete;
    const panel = part(el, 'details')!;
    expect(toggle.getAttribute('aria-expanded')).to.equal('true');
    expect(toggle.getAttribute('aria-controls')).to.equal(panel.id);
    await expect(el).to.be.accessible();
    part(el, 'copy')!.focus();
    await sendKeys({ press: 'Escape' });
    await settle();
    expect(part(el, 'details')).to.equal(null);
    expect(toggle.getAttribute('aria-expanded')).to.equal('false');
    expect(el.shadowRoot!.activeElement).to.equal(toggle);
  });

  it('shows every field: state and reason, since when, round trip, reconnects, failures, frames, bytes, errors, queues, version, server', async () => {
    const { el, gym, client, settle } = await withDetails();
    gym.send({ type: 'check_in_stats', payload: stats(3, 9) });
    gym.send('not json');
    await until(() => client.metrics.protocolErrors === 1, 'the malformed frame');
    part(el, 'details-toggle')!.click();
    await settle();
    const fields = Object.fromEntries([...el.shadowRoot!.querySelectorAll('[part=fields] div')].map((row) => [row.querySelector('dt')!.textContent, row.querySelector('dd')!.textContent]));
    const { framesIn, framesOut, bytesIn, bytesOut } = client.metrics;
    expect(fields).to.include({
      State: 'open (open)',
      Reconnects: '0 in the last hour, 0 since load',
      'Failed attempts': '0 in the last hour, 0 since load',
      'Frames in / out': `${framesIn} / ${framesOut}`,
      'Bytes in / out': `${bytesIn.toLocaleString('en')} / ${bytesOut.toLocaleString('en')}`,
      'Malformed frames': '1',
      'Waiting to send / for a reply': '0 / 0',
      Version: VERSION,
      Server: client.url,
    });
    expect(fields['Connected since']).to.match(/\d/);
    expect(fields['Heartbeat round trip']).to.equal('–');
    // Only the minute(s) since the page loaded are marked; the link was up for most of that.
    expect(part(el, 'sparkline')!.getAttribute('aria-label')).to.match(/^Last hour: round trip up to 0 ms; connected \d+ % of the time$/);
    const marks = [...el.shadowRoot!.querySelectorAll('[part=sparkline] rect')].map((rect) => rect.getAttribute('class'));
    expect(marks).to.have.length(60);
    expect(marks.filter((mark) => mark === 'none').length).to.be.within(58, 59);
    expect(marks.at(-1)).to.be.oneOf(['up', 'partly']);
  });

  it('says down since when, and counts the reconnect, after the link dropped and came back', async () => {
    const { el, gym, client, settle } = await withDetails();
    part(el, 'details-toggle')!.click();
    gym.drop();
    await until(() => client.state === 'reconnecting', 'reconnecting');
    await settle();
    expect(shadowText(el)).to.include('Down since');
    await until(() => client.state === 'open', 'open again');
    await settle();
    expect(shadowText(el)).to.include('Reconnects 1 in the last hour, 1 since load');
    expect(shadowText(el)).to.include('State open (open)');
  });

  it('copies a JSON report, and says so', async () => {
    const { el, settle } = await withDetails();
    const writeText = sinon.stub(navigator.clipboard, 'writeText').resolves();
    part(el, 'details-toggle')!.click();
    await settle();
    part(el, 'copy')!.click();
    await until(() => writeText.called, 'the clipboard write');
    await settle();
    const report = JSON.parse(writeText.firstCall.args[0]) as { state: string; changes: unknown[]; version: string };
    expect(report).to.deep.include({ state: 'open', version: VERSION });
    expect(report.changes).to.have.length(2);
    expect(part(el, 'copy-status')!.textContent).to.equal('Copied — paste it to your support contact');
  });

  it('when the clipboard refuses, shows the report to copy by hand', async () => {
    const { el, settle } = await withDetails();
    sinon.stub(navigator.clipboard, 'writeText').rejects(new DOMException('denied', 'NotAllowedError'));
    part(el, 'details-toggle')!.click();
    await settle();
    part(el, 'copy')!.click();
    await until(() => part(el, 'report') !== null, 'the report as text');
    expect(JSON.parse((part(el, 'report') as HTMLTextAreaElement).value)).to.have.property('package', 'gym-realtime-widgets');
    expect(part(el, 'copy-status')!.textContent).to.match(/^Could not copy/);
  });
});

describe('the diagnostics report', () => {
  it('shows the server without credentials, and with no query or fragment value, whatever its name', () => {
    expect(publicUrl('wss://user:pw@gym.example/ws/checkins/?token=abc&access_token=x&apiKey=y&site=3')).to.equal('wss://gym.example/ws/checkins/?token=*&access_token=*&apiKey=*&site=*');
    expect(publicUrl('wss://gym.example/ws/checkins/?flag#access_token=abc&state=xyz')).to.equal('wss://gym.example/ws/checkins/?flag#access_token=*&state=*');
  });

  it('hides a path segment, a parameter name or a fragment that looks like a token (a JWT, a long key)', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
    expect(publicUrl(`wss://gym.example/ws/${jwt}/checkins/?${jwt}#${jwt}`)).to.equal('wss://gym.example/ws/*/checkins/?*#*');
    expect(publicUrl('wss://gym.example/k/a1b2c3d4e5f6a7b8c9d0e1f2a3b4/ws/checkins/')).to.equal('wss://gym.example/k/*/ws/checkins/');
    // Plain segments and names stay: support needs to see which server and which settings.
    expect(publicUrl('wss://live.gym.example/gateway/ws/checkins/?site=3&v=2.1.0')).to.equal('wss://live.gym.example/gateway/ws/checkins/?site=*&v=*');
  });

  it('never contains a token, a member name or a payload, whatever the page and the server send (fuzzed)', async () => {
    const secret = fc.stringMatching(/^[A-Za-z0-9]{16,32}$/);
    const jwt = fc.stringMatching(/^eyJ[\w-]{16,40}\.eyJ[\w-]{16,80}\.[\w-]{20,43}$/);
    await fc.assert(
      fc.asyncProperty(secret, secret, secret, jwt, jwt, jwt, async (urlToken, token, name, inPath, inQuery, inFragment) => {
        const url = `ws://report.test/ws/${inPath}/checkins/?access_token=${urlToken}&access=${inQuery}`;
        // The client adds its own token to the URL it opens.
        const gym = new MockGym(`${url}&token=${token}`);
        const client = new RealtimeClient({ url, token, WebSocket: gym.WebSocket, environment: new FakeNetwork(), logger: () => {} });
        try {
          client.connect();
          await until(() => client.state === 'open', 'open');
          const answer = client.request('check_in', { memberId: member(1), notes: `${name} at the door` }).catch((error: Error) => error.message);
          await until(() => gym.received('check_in').length === 1, 'the request at the gym');
          gym.send({ type: 'member_checked_in', payload: visit(2, { member: { id: member(2), full_name: name, email: `${name}@example.com` }, notes: name }) });
          gym.send({ type: 'check_in_error', payload: { error: `${name} is already checked in` } });
          gym.send(`{"broken": "${token} ${name}`);
          expect(await answer).to.include(name);
          await until(() => client.metrics.protocolErrors === 1, 'the malformed frame');
          // A socket URL cannot carry a fragment, but a page can still write one: a client that never connects reports it.
          const withFragment = new RealtimeClient({ url: `${url}#token=${inFragment}`, token, WebSocket: gym.WebSocket, environment: new FakeNetwork(), logger: () => {} });
          const text = JSON.stringify(diagnosticsReport(client)) + JSON.stringify(diagnosticsReport(withFragment));
          withFragment.dispose();
          // Not even a part of a JWT.
          const jwtParts = [inPath, inQuery, inFragment].flatMap((planted) => planted.split('.'));
          for (const planted of [urlToken, token, name, ...jwtParts]) expect(text).to.not.include(planted);
        } finally {
          client.dispose();
          gym.stop();
        }
      }),
      { numRuns: 20 },
    );
  });
});

describe('<gym-realtime-provider metrics-interval>', () => {
  afterEach(() => cleanupConnected());

  it('fires gym-metrics on the interval, on the fake clock, and stops when removed or unset', async () => {
    const clock = sinon.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    try {
      const c = await connected('');
      const provider = c.provider as GymRealtimeProvider;
      const seen: CustomEvent[] = [];
      provider.addEventListener('gym-metrics', (event) => seen.push(event));
      clock.tick(5000);
      expect(seen, 'off by default').to.have.length(0);
      provider.setAttribute('metrics-interval', '1000');
      await provider.updateComplete;
      clock.tick(3000);
      expect(seen).to.have.length(3);
      expect(seen[0]!.detail).to.deep.include({ state: 'open', framesOut: c.client.metrics.framesOut, protocolErrors: 0 });
      expect(seen[0]!.bubbles && seen[0]!.composed).to.equal(true);
      provider.removeAttribute('metrics-interval');
      await provider.updateComplete;
      clock.tick(3000);
      expect(seen).to.have.length(3);
      provider.setAttribute('metrics-interval', '1000');
      await provider.updateComplete;
      provider.remove();
      expect(clock.countTimers()).to.equal(0);
    } finally {
      clock.restore();
    }
  });
});
