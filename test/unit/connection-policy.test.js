// Which origins a page lets receive its sign-in token (src/core/connection-policy.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allows, intersectPolicies, originOf, parsePolicy } from '../../src/core/connection-policy.js';

/** A policy as a sorted list of origins, or 'any'. */
const origins = (/** @type {import('../../src/core/connection-policy.js').ConnectionPolicy} */ policy) => (policy === 'any' ? 'any' : [...policy].sort());

describe('originOf', () => {
  it('puts ws(s) in the http(s) form, secure with secure and plain with plain', () => {
    assert.equal(originOf('wss://gym.example/ws/checkins/?token=x'), 'https://gym.example');
    assert.equal(originOf('ws://gym.example:8080/ws/'), 'http://gym.example:8080');
    assert.equal(originOf('https://gym.example:8443/api/'), 'https://gym.example:8443');
    assert.equal(originOf('http://127.0.0.1:8000/'), 'http://127.0.0.1:8000');
    assert.equal(originOf('WSS://Gym.Example:443/'), 'https://gym.example');
    assert.equal(originOf('ws://gym.example:80/'), 'http://gym.example');
  });

  it('resolves a relative address against the base', () => {
    assert.equal(originOf('/api/checkins/recent/', 'https://site.example/page'), 'https://site.example');
    assert.equal(originOf('//gym.example/x', 'https://site.example/'), 'https://gym.example');
    assert.equal(originOf('/x'), undefined);
  });

  it('has none for other schemes or what is no address', () => {
    const others = ['data:text/plain,x', 'javascript:alert(1)', 'ftp://gym.example/', 'file:///etc/passwd', 'blob:https://gym.example/1', 'not a url', ''];
    // Schemes that only end or begin like ws and http.
    others.push('news://gym.example/', 'shttp://gym.example/', 'https+unix://gym.example/', 'wsx://gym.example/');
    for (const url of others) {
      assert.equal(originOf(url), undefined, url);
    }
  });
});

describe('parsePolicy', () => {
  it('reads whitespace-separated origins, each in its http(s) form', () => {
    assert.deepEqual(origins(parsePolicy(' https://gym.example\n\twss://gym.example:8443  http://127.0.0.1:8000 ')), ['http://127.0.0.1:8000', 'https://gym.example', 'https://gym.example:8443']);
    assert.deepEqual(origins(parsePolicy('https://gym.example')), ['https://gym.example']);
  });

  it('reads "none", in any case, as no origin at all, whatever else it says', () => {
    for (const content of ['none', 'NONE', 'None', 'https://gym.example none', 'none https://gym.example']) assert.deepEqual(origins(parsePolicy(content)), [], content);
    assert.deepEqual(origins(parsePolicy('nonexistent https://gym.example')), ['https://gym.example']);
  });

  it('fails closed: an entry that is not an origin allows nothing, an empty content no origin', () => {
    const notOrigins = ['gym.example', '*', '*.gym.example', 'https://*.gym.example', 'https://%2A.gym.example', 'https://gym.example/api/', 'https://gym.example/%2e', 'https://gym.example?x', 'https://gym.example#x', 'https://user@gym.example', 'https://:secret@gym.example', 'ftp://gym.example', 'data:,x', "'self'"];
    for (const entry of notOrigins) assert.deepEqual(origins(parsePolicy(`${entry} https://ok.example`)), ['https://ok.example'], entry);
    assert.deepEqual(origins(parsePolicy('')), []);
    assert.deepEqual(origins(parsePolicy('   ')), []);
  });

  it('takes a trailing slash, a default port and upper case as the same origin', () => {
    assert.deepEqual(origins(parsePolicy('HTTPS://Gym.Example/ https://gym.example:443 wss://gym.example:443')), ['https://gym.example']);
  });
});

describe('allows', () => {
  const policy = () => parsePolicy('https://gym.example wss://gym.example:8443');

  it('lets the listed origins receive a token, in either form of their scheme', () => {
    for (const url of ['https://gym.example/api/checkins/recent/', 'wss://gym.example/ws/checkins/?token=t', 'wss://gym.example:8443/ws/', 'https://gym.example:8443/api/']) assert.equal(allows(policy(), url), true, url);
  });

  it('refuses another host, another port, a plain scheme for a secure entry, and anything unreadable', () => {
    for (const url of ['https://evil.example/', 'https://gym.example.evil.example/', 'https://gym.example:444/', 'http://gym.example/', 'ws://gym.example/ws/', 'not a url', '', '/api/']) assert.equal(allows(policy(), url), false, url);
  });

  it('resolves a relative address against the base it is given', () => {
    assert.equal(allows(policy(), '/api/', 'https://gym.example/page'), true);
    assert.equal(allows(policy(), '/api/', 'https://site.example/page'), false);
  });

  it('lets everything through without a policy, and nothing with "none"', () => {
    assert.equal(allows('any', 'https://anywhere.example/'), true);
    assert.equal(allows('any', 'not a url'), true);
    assert.equal(allows(parsePolicy('none'), 'https://gym.example/'), false);
  });
});

describe('intersectPolicies', () => {
  it('keeps what both allow: a second policy can only narrow the first', () => {
    const first = parsePolicy('https://gym.example https://api.example');
    assert.deepEqual(origins(intersectPolicies(first, parsePolicy('https://gym.example https://evil.example'))), ['https://gym.example']);
    assert.deepEqual(origins(intersectPolicies(parsePolicy('https://gym.example https://evil.example'), first)), ['https://gym.example']);
    assert.deepEqual(origins(intersectPolicies(first, parsePolicy('none'))), []);
  });

  it('takes "no policy" as the widest, on either side', () => {
    const policy = parsePolicy('https://gym.example');
    assert.deepEqual(origins(intersectPolicies('any', policy)), ['https://gym.example']);
    assert.deepEqual(origins(intersectPolicies(policy, 'any')), ['https://gym.example']);
    assert.equal(intersectPolicies('any', 'any'), 'any');
  });
});
