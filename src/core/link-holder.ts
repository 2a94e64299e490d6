import type { StateReason } from './events.js';
import type { Link, LinkParts, LocalLink } from './link.js';
import type { Outgoing } from './outbound.js';
import type { TabsEnvironment } from './tab-group.js';
import { TabShare, type TabShareOptions } from './tab-share.js';

export interface LinkHolderDeps {
  parts: LinkParts;
  local: LocalLink;
  /** Sharing with other tabs: off, or how. */
  tabs: TabsEnvironment | undefined;
  /** The group of tabs for the client's current URL and token source; undefined when not sharing. */
  groupName(): string | undefined;
  /** A request taken back from a group this tab left, for the link it holds next. */
  requeue(item: Outgoing): void;
  retryNow(): void;
  options: TabShareOptions;
}

/**
 * Which link the client holds, and the moves between them: its own (`LocalLink`), or one through
 * a group of tabs (`TabShare`), left while the page is frozen and joined again when it is shown.
 */
export class LinkHolder {
  current: Link;
  readonly #deps: LinkHolderDeps;
  /** The group of tabs this tab is in, while it is in one. */
  #share: TabShare | undefined;
  /** Left its group when the page was frozen or put in the back/forward cache: rejoins when shown. */
  #frozen = false;
  #stopWatchingPage: (() => void) | undefined;

  constructor(deps: LinkHolderDeps) {
    this.#deps = deps;
    this.current = deps.local;
  }

  /** The group this tab is in now, if any (to tell whether a new configuration is another group). */
  get group(): string | undefined {
    return this.#share && this.#deps.groupName();
  }

  /** Joins the group of tabs for this link, or runs its own when it does not share. */
  start(reason: StateReason): void {
    if (!this.#join(reason)) this.#runAlone();
  }

  /**
   * The URL or token source changed while running. Another group (`group` was the one before):
   * share with that one if there is one; the same: the link connects again with the new values.
   */
  reconfigured(group: string | undefined): void {
    if (group !== this.#deps.groupName()) {
      const old = this.#share;
      const shared = this.#join('reconfigured');
      if (!shared) this.#useLocal();
      old?.leave();
      if (shared) return;
    }
    this.current.reconfigured();
  }

  /** Stops the link this tab runs, leads or follows, and shows `closed`; with `forGood`, stops watching the page too. */
  stop(forGood: boolean): void {
    if (forGood) this.#stopWatchingLifecycle();
    const old = this.#share;
    this.#useLocal();
    const { connection } = this.#deps.parts;
    if (connection.state !== 'closed') connection.close(false);
    old?.leave();
  }

  #useLocal(): void {
    this.#share = undefined;
    this.#frozen = false;
    this.current = this.#deps.local;
  }

  #runAlone(): void {
    this.#useLocal();
    this.#deps.parts.outbound.adopt();
    this.#deps.parts.connection.start('connect');
  }

  /** Joins the tabs sharing this link, as a follower until the lock makes it the leader; false when not sharing. */
  #join(reason: StateReason): boolean {
    const deps = this.#deps;
    const name = deps.groupName();
    if (!name || !deps.tabs) return false;
    const share: TabShare = new TabShare(
      deps.tabs,
      name,
      deps.parts,
      {
        linked: (link) => {
          if (this.#share === share) this.current = link;
        },
        unavailable: () => {
          if (this.#share === share) this.#fallBack();
        },
        requeue: deps.requeue,
        retryNow: deps.retryNow,
      },
      deps.options,
    );
    this.#share = share;
    this.#frozen = false;
    // A link without a token (the gateway's) connects at once, the election beside it: a second
    // socket for a moment costs nothing there, and the election no longer delays "Live".
    const early = !deps.parts.connection.tokens.configured;
    if (early) {
      this.current = deps.local;
      deps.parts.outbound.adopt();
      deps.parts.connection.start(reason === 'reconfigured' ? 'reconfigured' : 'connect');
    }
    if (!share.join(reason, early)) return true; // `unavailable` already fell back.
    const report = deps.parts.report;
    this.#stopWatchingPage ??= deps.tabs.watchLifecycle?.(
      () => report.guard(() => this.#pageHidden()),
      () => report.guard(() => this.#pageShown()),
    );
    return true;
  }

  /** Web Locks or BroadcastChannel failed: this tab runs its own socket, without an error. */
  #fallBack(): void {
    const old = this.#share;
    this.#useLocal();
    old?.leave();
    this.#stopWatchingLifecycle();
    // Joined early, its socket is running already.
    const { state } = this.#deps.parts.connection;
    if (state === 'idle' || state === 'closed') this.#runAlone();
  }

  /** Frozen or put in the back/forward cache: a frozen leader would hold the lock and serve no one. */
  #pageHidden(): void {
    if (!this.#share) return;
    this.stop(false);
    this.#frozen = true;
  }

  #pageShown(): void {
    if (this.#frozen) this.start('connect');
  }

  #stopWatchingLifecycle(): void {
    this.#stopWatchingPage?.();
    this.#stopWatchingPage = undefined;
  }
}
