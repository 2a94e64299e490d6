import { expect } from '@open-wc/testing';
import { allows, intersectPolicies, originOf, parsePolicy, type ConnectionPolicy } from '../../src/core/connection-policy.js';

const origins = (policy: ConnectionPolicy) => (policy === 'any' ? 'any' : [...policy].sort());

describe('connection policy (pure)', () => {
  describe('parsePolicy', () => {
    it('reads whitespace-separated origins, each in its http(s) form', () => {
      expect(origins(parsePolicy(' https://gym.example\n\twss://gym.example:8443  http://127.0.0.1:8000 '))).to.deep.equal([
        'http://127.0.0.1:8000',
        'https://gym.example',
        'https://gym.example:8443',
      ]);
    });

    it('reads "none" as no origin at all, whatever else the content says', () => {
      expect(origins(parsePolicy('none'))).to.deep.equal([]);
      expect(origins(parsePolicy('NONE'))).to.deep.equal([]);
      expect(origins(parsePolicy('https://gym.example none'))).to.deep.equal([]);
    });

    it('fails closed: an entry that is not an origin allows nothing, an empty content allows no origin', () => {
      for (const entry of ['gym.example', '*.gym.example', 'https://*.gym.example', 'https://gym.example/api/', 'https://gym.example?x', 'https://gym.example#x', 'https://user@gym.example', 'ftp://gym.example', 'data:,x', "'self'"]) {
        expect(origins(parsePolicy(`${entry} https://ok.example`)), entry).to.deep.equal(['https://ok.example']);
      }
      expect(origins(parsePolicy(''))).to.deep.equal([]);
      expect(origins(parsePolicy('   '))).to.deep.equal([]);
    });

    it('takes a trailing slash, a default port and upper case as the same origin', () => {
      expect(origins(parsePolicy('HTTPS://Gym.Example/ https://gym.example:443 wss://gym.example:443'))).to.deep.equal(['https://gym.example']);
    });
  });

  describe('originOf', () => {
    it('puts ws(s) in the http(s) form, secure with secure and plain with plain', () => {
      expect(originOf('wss://gym.example/ws/checkins/?token=x')).to.equal('https://gym.example');
      expect(originOf('ws://gym.example:8080/ws/')).to.equal('http://gym.example:8080');
      expect(originOf('https://gym.example:8443/api/')).to.equal('https://gym.example:8443');
    });

    it('resolves a relative address against the base, and has none for other schemes or nonsense', () => {
      expect(originOf('/api/checkins/recent/', 'https://site.example/page')).to.equal('https://site.example');
      expect(originOf('//gym.example/x', 'https://site.example/')).to.equal('https://gym.example');
      expect(originOf('/x')).to.equal(undefined);
      expect(originOf('data:text/plain,x')).to.equal(undefined);
      expect(originOf('javascript:alert(1)')).to.equal(undefined);
    });
  });

  describe('allows', () => {
    const policy = parsePolicy('https://gym.example wss://gym.example:8443');

    it('lets the listed origins receive a token, in either form of their scheme', () => {
      for (const url of ['https://gym.example/api/checkins/recent/', 'wss://gym.example/ws/checkins/?token=t', 'wss://gym.example:8443/ws/', 'https://gym.example:8443/api/']) {
        expect(allows(policy, url), url).to.equal(true);
      }
    });

    it('refuses another host, another port, a plain scheme for a secure entry, and anything unreadable', () => {
      for (const url of ['https://evil.example/', 'https://gym.example.evil.example/', 'https://gym.example:444/', 'http://gym.example/', 'ws://gym.example/ws/', 'not a url', '']) {
        expect(allows(policy, url), url).to.equal(false);
      }
    });

    it('resolves a relative address against the base it is given', () => {
      expect(allows(policy, '/api/', 'https://gym.example/page')).to.equal(true);
      expect(allows(policy, '/api/', 'https://site.example/page')).to.equal(false);
    });

    it('lets everything through without a policy, and nothing with "none"', () => {
      expect(allows('any', 'https://anywhere.example/')).to.equal(true);
      expect(allows(parsePolicy('none'), 'https://gym.example/')).to.equal(false);
    });
  });

  describe('intersectPolicies', () => {
    it('keeps what both allow: a second policy can only narrow the first', () => {
      const first = parsePolicy('https://gym.example https://api.example');
      expect(origins(intersectPolicies(first, parsePolicy('https://gym.example https://evil.example')))).to.deep.equal(['https://gym.example']);
      expect(origins(intersectPolicies(first, parsePolicy('none')))).to.deep.equal([]);
    });

    it('takes "no policy" as the widest, on either side', () => {
      const policy = parsePolicy('https://gym.example');
      expect(origins(intersectPolicies('any', policy))).to.deep.equal(['https://gym.example']);
      expect(origins(intersectPolicies(policy, 'any'))).to.deep.equal(['https://gym.example']);
      expect(intersectPolicies('any', 'any')).to.equal('any');
    });
  });
});
