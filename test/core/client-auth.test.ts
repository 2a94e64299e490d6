import { expect } from '@open-wc/testing';
import { UnauthorizedError } from '../../src/core/errors.js';
import { createHarness, type Harness } from '../helpers/client-harness.js';
import { tokenOf } from '../helpers/mock-gym.js';

describe('RealtimeClient: authentication', () => {
  let h: Harness;
  afterEach(() => h.restore());

  const tokensTried = () => h.gym.urls.map(tokenOf);

  it('sends the token as ?token= and offers no subprotocol', async () => {
    h = createHarness({ token: 'eyJhbGciOiJIUzI1NiJ9.e30.sig' });
    await h.open();
    expect(tokensTried()).to.deep.equal(['eyJhbGciOiJIUzI1NiJ9.e30.sig']);
    // mock-socket takes the first subprotocol offered, if any.
    expect(h.gym.socket.protocol, 'subprotocol offered').to.equal('');
  });

  it('after two handshakes in a row fail before opening, fetches exactly one fresh token', async () => {
    let calls = 0;
    h = createHarness({ token: undefined, tokenProvider: () => (++calls === 1 ? 'stale' : 'fresh') });
    h.gym.acceptToken = (token) => token === 'fresh';
    h.client.connect();
    for (let i = 0; i < 3; i++) await h.tick(h.client.state === 'reconnecting' ? h.client.nextAttemptAt! - Date.now() + 4 : 4);
    expect(h.client.state).to.equal('open');
    expect(tokensTried()).to.deep.equal(['stale', 'stale', 'fresh']);
    expect(calls).to.equal(2);
    expect(h.changes.filter((c) => c.state === 'reconnecting').map((c) => c.reason)).to.deep.equal(['handshake-failed', 'handshake-failed']);
  });

  it('keeps retrying a fixed token (the failure may be the network) without asking anyone', async () => {
    h = createHarness({ token: 'fixed' });
    h.gym.acceptToken = () => false;
    h.client.connect();
    await h.tick(120_000);
    expect(h.client.state).to.be.oneOf(['refused', 'connecting']);
    expect(h.client.metrics.connectAttempts).to.be.above(8);
    expect(new Set(tokensTried())).to.deep.equal(new Set(['fixed']));
  });

  it('moves to unauthorized when the token URL answers 401, and makes no more attempts', async () => {
    let fetches = 0;
    h = createHarness({
      token: undefined,
      tokenUrl: '/token',
      fetch: async () => (++fetches === 1 ? Response.json({ access: 'first' }) : new Response('', { status: 401 })),
    });
    h.gym.acceptToken = () => false;
    h.client.connect();
    await h.tick(4);
    await h.tick(h.client.nextAttemptAt! - Date.now() + 4);
    await h.tick(h.client.nextAttemptAt! - Date.now() + 4);
    expect(h.client.state).to.equal('unauthorized');
    expect(h.changes.at(-1)).to.deep.include({ state: 'unauthorized', reason: 'unauthorized' });
    expect(fetches).to.equal(2);
    const attempts = h.client.metrics.connectAttempts;
    expect(attempts).to.equal(2);
    await h.tick(10 * 60_000);
    expect(h.client.metrics.connectAttempts).to.equal(attempts);
    expect(h.gym.urls).to.have.length(attempts);
  });

  it('moves to unauthorized when the token provider throws UnauthorizedError, and leaves it with a new token', async () => {
    h = createHarness({ token: undefined, tokenProvider: () => Promise.reject(new UnauthorizedError()) });
    h.client.connect();
    await h.tick(60_000);
    expect(h.client.state).to.equal('unauthorized');
    expect(h.gym.urls).to.have.length(0);
    h.client.configure({ tokenProvider: () => 'signed-in' });
    await h.tick(5);
    expect(h.client.state).to.equal('open');
    expect(tokensTried()).to.deep.equal(['signed-in']);
  });

  it('retries with a fresh token when the token URL fails for another reason', async () => {
    let fetches = 0;
    h = createHarness({
      token: undefined,
      tokenUrl: '/token',
      fetch: async () => (++fetches === 1 ? new Response('', { status: 502 }) : Response.json({ access: 'ok' })),
    });
    h.client.connect();
    await h.tick(1);
    expect(h.changes.at(-1)).to.deep.include({ state: 'reconnecting', reason: 'token-failed' });
    await h.tick(h.client.nextAttemptAt! - Date.now() + 4);
    expect(h.client.state).to.equal('open');
  });

  for (const code of [4001, 4401, 4403]) {
    it(`treats close ${code} on an open link as auth: a fixed token ends in unauthorized`, async () => {
      h = createHarness({ token: 'fixed' });
      await h.open();
      h.gym.drop(code);
      await h.tick(4);
      expect(h.changes.at(-1)).to.deep.include({ state: 'unauthorized', reason: 'unauthorized', code });
      await h.tick(120_000);
      expect(h.gym.urls).to.have.length(1);
    });
  }

  it('on an auth close, a refreshable source gets one fresh token; a second auth close ends in unauthorized', async () => {
    let calls = 0;
    h = createHarness({ token: undefined, tokenProvider: () => `t${++calls}` });
    await h.open();
    h.gym.drop(4401);
    await h.tick(4);
    expect(h.client.state).to.equal('reconnecting');
    await h.tick(h.client.nextAttemptAt! - Date.now() + 4);
    expect(h.client.state).to.equal('open');
    expect(tokensTried()).to.deep.equal(['t1', 't2']);
    h.gym.drop(4401);
    await h.tick(4);
    expect(h.client.state).to.equal('unauthorized');
  });

  it('reconnectNow() from unauthorized asks for a fresh token', async () => {
    let refuse = true;
    let calls = 0;
    h = createHarness({
      token: undefined,
      tokenProvider: () => {
        calls++;
        if (refuse) throw new UnauthorizedError();
        return 'ok';
      },
    });
    h.client.connect();
    await h.tick(1);
    expect(h.client.state).to.equal('unauthorized');
    refuse = false;
    h.client.reconnectNow();
    await h.tick(5);
    expect(h.client.state).to.equal('open');
    expect(calls).to.equal(2);
  });
});
