import { expect, fixture, nextFrame } from '@open-wc/testing';
import sinon from 'sinon';
import type { RealtimeClient } from '../../src/core/client.js';
import type { GymElement } from '../../src/index.js';
import { cleanupConnected, connected, shadowText } from '../helpers/element-harness.js';
import { until } from '../helpers/wait.js';

export interface ConsumerCase {
  tag: string;
  /** What the element shows with no provider at all. */
  withoutProvider: RegExp;
  /** The n-th frame of a kind the element reacts to, and what it then shows. */
  message: (n: number) => object;
  afterMessage: RegExp;
  /** What it shows while the link is down after having been up; by default, still what it showed. */
  whileDown?: RegExp;
  /** False for an element that only follows the connection state. */
  rendersOnMessages?: boolean;
}

/** Counts renders of one element. */
function countRenders(element: GymElement) {
  let renders = 0;
  const original = (element as unknown as { render(): unknown }).render.bind(element);
  (element as unknown as { render(): unknown }).render = () => {
    renders++;
    return original();
  };
  return () => renders;
}

/** Counts the subscriptions to `client` (messages and events) made from now on that are still in place. */
function trackSubscriptions(client: RealtimeClient): () => number {
  const live = new Set<object>();
  const target = client as unknown as Record<'subscribe' | 'on', (...args: unknown[]) => () => void>;
  for (const method of ['subscribe', 'on'] as const) {
    const original = target[method].bind(client);
    target[method] = (...args) => {
      const off = original(...args);
      const subscription = {};
      live.add(subscription);
      return () => {
        live.delete(subscription);
        off();
      };
    };
  }
  return () => live.size;
}

/**
 * The behaviour every consumer element shares: no provider, connect, message,
 * disconnect, reconnect, detach and reattach, and no console output.
 */
export function consumerSuite({ tag, withoutProvider, message, afterMessage, whileDown, rendersOnMessages = true }: ConsumerCase): void {
  describe(`<${tag}> as a consumer of the shared connection`, () => {
    let consoleSpies: sinon.SinonSpy[];
    let sent = 0;
    beforeEach(() => {
      consoleSpies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) => sinon.spy(console, method));
    });
    afterEach(() => {
      consoleSpies.forEach((spy) => spy.restore());
      cleanupConnected();
      expect(consoleSpies.map((spy) => spy.callCount), 'console output').to.deep.equal([0, 0, 0, 0, 0]);
    });

    it('renders a sensible, accessible state with no provider', async () => {
      const element = await fixture<GymElement>(`<${tag}></${tag}>`);
      expect(shadowText(element)).to.match(withoutProvider);
      await expect(element).to.be.accessible();
    });

    it('connects, shows a message, and stays accessible', async () => {
      const { gym, provider, settle } = await connected(`<${tag}></${tag}>`);
      const element = provider.querySelector(tag) as GymElement;
      gym.send(message(++sent));
      await settle();
      expect(shadowText(element)).to.match(afterMessage);
      await expect(element).to.be.accessible();
    });

    it('shows the link going down, then coming back', async () => {
      // The retry is a minute away: the link comes back when the test says so.
      const { gym, client, provider, settle } = await connected(`<${tag}></${tag}>`, { initialRetryDelay: 60_000 });
      const element = provider.querySelector(tag) as GymElement;
      gym.send(message(++sent));
      await settle();
      gym.drop();
      await until(() => client.state === 'reconnecting', 'the link to go down');
      await settle();
      expect(shadowText(element)).to.match(whileDown ?? afterMessage);
      await expect(element).to.be.accessible();
      client.reconnectNow();
      await until(() => client.state === 'open', 'the link to come back');
      await settle();
      if (whileDown) expect(shadowText(element)).to.not.match(whileDown);
      expect(shadowText(element)).to.match(afterMessage);
    });

    it('stops listening when detached and starts again when reattached', async () => {
      const { gym, client, provider, settle } = await connected('', { initialRetryDelay: 60_000 });
      const subscriptions = trackSubscriptions(client);
      const element = document.createElement(tag) as GymElement;
      provider.append(element);
      await settle();
      expect(subscriptions(), 'subscriptions while attached').to.be.greaterThan(0);
      const renders = countRenders(element);
      element.remove();
      await settle();
      expect(subscriptions(), 'subscriptions left after removal').to.equal(0);
      const before = renders();
      // Messages, and the link going down and coming back: nothing reaches a detached element.
      for (let i = 0; i < 20; i++) gym.send(message(++sent));
      gym.drop();
      await until(() => client.state === 'reconnecting', 'the link to go down');
      client.reconnectNow();
      await until(() => client.state === 'open', 'the link to come back');
      await settle();
      expect(renders(), 'renders while detached').to.equal(before);
      provider.append(element);
      await settle();
      expect(subscriptions(), 'subscriptions after reattaching').to.be.greaterThan(0);
      gym.send(message(++sent));
      await settle();
      if (rendersOnMessages) expect(renders()).to.be.greaterThan(before);
      expect(shadowText(element)).to.match(afterMessage);
    });

    it('renders at most once per animation frame, however many messages arrive', async () => {
      const { gym, provider } = await connected(`<${tag}></${tag}>`);
      const element = provider.querySelector(tag) as GymElement;
      await nextFrame();
      const renders = countRenders(element);
      let frames = 0;
      let counting = true;
      const countFrames = () => {
        frames++;
        if (counting) requestAnimationFrame(countFrames);
      };
      requestAnimationFrame(countFrames);
      // Each message in a task of its own, as frames arrive from a real socket.
      const channel = new MessageChannel();
      let flooded = 0;
      await new Promise<void>((resolve) => {
        channel.port2.onmessage = () => {
          gym.send(message(++sent));
          if (++flooded === 5000) resolve();
          else channel.port1.postMessage(null);
        };
        channel.port1.postMessage(null);
      });
      channel.port1.close();
      await nextFrame();
      await nextFrame();
      counting = false;
      if (rendersOnMessages) expect(renders()).to.be.at.least(1);
      expect(renders()).to.be.at.most(frames);
    });
  });
}
