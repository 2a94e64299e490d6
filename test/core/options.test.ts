import { expect } from '@open-wc/testing';
import { DEFAULT_TIMINGS, redactTokens, resolveTimings, socketUrl } from '../../src/core/options.js';

describe('client options', () => {
  it('documents its defaults', () => {
    expect(DEFAULT_TIMINGS).to.deep.equal({
      initialRetryDelay: 1000,
      maxRetryDelay: 15_000,
      stableAfter: 5000,
      connectTimeout: 10_000,
      refusedAfter: 60_000,
      heartbeatInterval: 15_000,
      heartbeatTimeout: 10_000,
      offlineCheckTimeout: 3000,
      requestTimeout: 15_000,
      batchWindow: 50,
      maxBatchSize: 50,
      outboxLimit: 500,
    });
  });

  it('fills defaults and rejects invalid timings with a clear message', () => {
    expect(resolveTimings({ heartbeatInterval: 5000 })).to.deep.equal({ ...DEFAULT_TIMINGS, heartbeatInterval: 5000 });
    expect(() => resolveTimings({ heartbeatInterval: -1 })).to.throw(RangeError, 'heartbeatInterval must be a number of ms ≥ 0, not -1');
    expect(() => resolveTimings({ connectTimeout: Number.NaN })).to.throw(RangeError, 'connectTimeout');
    expect(() => resolveTimings({ maxBatchSize: 0 })).to.throw(RangeError, 'maxBatchSize must be a whole number ≥ 1');
    expect(() => resolveTimings({ outboxLimit: 2.5 })).to.throw(RangeError, 'outboxLimit');
  });

  describe('socketUrl', () => {
    it('puts the token in the `token` query parameter and keeps other parameters', () => {
      expect(socketUrl('wss://gym.example/ws/checkins/?lang=de', 'a.b-c_d')).to.equal('wss://gym.example/ws/checkins/?lang=de&token=a.b-c_d');
      expect(socketUrl('ws://gym.example/ws/checkins/')).to.equal('ws://gym.example/ws/checkins/');
    });

    it('turns http(s) and page-relative URLs into ws(s) ones', () => {
      expect(socketUrl('https://gym.example/ws/checkins/')).to.equal('wss://gym.example/ws/checkins/');
      expect(socketUrl('/ws/checkins/')).to.equal(`ws://${location.host}/ws/checkins/`);
    });

    it('rejects what is not a WebSocket URL', () => {
      expect(() => socketUrl('ftp://gym.example/')).to.throw(TypeError, 'must use ws:, wss:, http: or https:');
      expect(() => socketUrl('javascript:alert(1)')).to.throw(TypeError);
    });
  });

  it('redacts tokens from diagnostics', () => {
    expect(redactTokens('ws://x/ws/checkins/?a=1&token=eyJ.secret.sig&b=2')).to.equal('ws://x/ws/checkins/?a=1&token=[redacted]&b=2');
  });
});
