import { expect } from '@open-wc/testing';
import { Autoloader, type Loaders } from '../../src/autoload.js';
import { until } from '../helpers/wait.js';

let n = 0;
/** A tag no other test defines, and a loader that defines it (or fails with `fail`), counting its imports. */
function element(fail?: Error) {
  const tag = `gym-autoload-test-${++n}`;
  const counted = {
    tag,
    count: 0,
    load: async () => {
      counted.count++;
      if (fail) throw fail;
      customElements.define(tag, class extends HTMLElement {});
    },
  };
  return counted;
}

describe('Autoloader (the CDN module)', () => {
  const added: Element[] = [];
  const add = (html: string) => {
    const holder = document.createElement('div');
    holder.innerHTML = html;
    document.body.append(holder);
    added.push(holder);
    return holder;
  };
  afterEach(() => added.splice(0).forEach((holder) => holder.remove()));

  it('imports the code of each tag on the page once, and of tags added later, nested ones included', async () => {
    const first = element();
    const later = element();
    const unused = element();
    add(`<${first.tag}></${first.tag}><${first.tag}></${first.tag}>`);
    const loaders: Loaders = { [first.tag]: first.load, [later.tag]: later.load, [unused.tag]: unused.load };
    const discovered = new Promise<CustomEvent>((resolve) => document.addEventListener('gym-widgets-discovered', (event) => resolve(event as CustomEvent), { once: true }));
    await new Autoloader(loaders, { upgrader: () => Promise.reject(new Error('not wanted')) }).start();
    expect(customElements.get(first.tag)).to.not.equal(undefined);
    expect((await discovered).detail.tags).to.deep.equal([first.tag]);
    add(`<section><p><${later.tag}></${later.tag}></p></section>`);
    await until(() => customElements.get(later.tag) !== undefined, 'the later tag to be defined', 2000);
    expect([first.count, later.count, unused.count]).to.deep.equal([1, 1, 0]);
  });

  it('says in the element itself that its code could not load, with a gym-error; other elements go on', async () => {
    const broken = element(new Error('404 Not Found'));
    const fine = element();
    const holder = add(`<${broken.tag}>Live check-ins</${broken.tag}><${fine.tag}></${fine.tag}>`);
    const errors: CustomEvent[] = [];
    holder.addEventListener('gym-error', (event) => errors.push(event as CustomEvent));
    await new Autoloader({ [broken.tag]: broken.load, [fine.tag]: fine.load }, { upgrader: () => Promise.reject(new Error('not wanted')) }).start();
    const failed = holder.querySelector(broken.tag)!;
    expect(failed.textContent).to.include('could not load (404 Not Found)');
    expect(failed.querySelector('[role=status]')).to.not.equal(null);
    expect(errors.map((event) => event.detail.source)).to.deep.equal(['load']);
    expect(customElements.get(fine.tag)).to.not.equal(undefined);
  });

  it('says a container failed above its content, which stays (the widgets inside may load)', async () => {
    const broken = element(new Error('404 Not Found'));
    const inner = element();
    const holder = add(`<${broken.tag}><p>Today</p><${inner.tag}></${inner.tag}></${broken.tag}>`);
    await new Autoloader({ [broken.tag]: broken.load, [inner.tag]: inner.load }, { upgrader: () => Promise.reject(new Error('not wanted')), containers: [broken.tag] }).start();
    const container = holder.querySelector(broken.tag)!;
    expect(container.firstElementChild?.textContent).to.include('could not load (404 Not Found)');
    expect(container.querySelector(inner.tag)).to.not.equal(null);
    expect(container.textContent).to.include('Today');
  });

  it('imports the data-gym-widget upgrader only for a page that has such a block, and lets it wait for the element', async () => {
    const widget = element();
    let upgraders = 0;
    const waited: string[] = [];
    const upgrader = async () => {
      upgraders++;
      return { watchWidgets: (load: (tag: string) => Promise<void>) => void load(widget.tag).then(() => waited.push(widget.tag)) };
    };
    await new Autoloader({ [widget.tag]: widget.load }, { upgrader }).start();
    expect(upgraders, 'no block yet').to.equal(0);
    add(`<div data-gym-widget="${widget.tag.slice(4)}"></div>`);
    await until(() => waited.length === 1, 'the upgrader to load the element', 2000);
    expect([upgraders, widget.count]).to.deep.equal([1, 1]);
  });
});
