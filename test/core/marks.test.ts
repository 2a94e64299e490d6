import { expect } from '@open-wc/testing';
import { createHarness, type Harness } from '../helpers/client-harness.js';

const marks = () => performance.getEntriesByType('mark').map((entry) => entry.name).filter((name) => name.startsWith('gym:'));

describe('time-to-live marks', () => {
  let h: Harness;
  beforeEach(() => performance.clearMarks());
  afterEach(() => {
    delete (globalThis as { gymMarks?: boolean }).gymMarks;
    h.restore();
    performance.clearMarks();
  });

  it('are made only when the page asks with gymMarks', async () => {
    h = createHarness();
    await h.open();
    expect(marks()).to.deep.equal([]);
  });

  it('mark the token received and the socket open', async () => {
    (globalThis as { gymMarks?: boolean }).gymMarks = true;
    h = createHarness();
    await h.open();
    expect(marks()).to.deep.equal(['gym:token', 'gym:open']);
  });
});
