import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DEFAULT_MEMBERS } from '../../demo/server/gym.js';
import { accessToken, controlOf, member, startServer } from './helpers.js';

/**
 * The member search and a member's visits on the local gym server, as AV-Gym's
 * `MemberViewSet.search` and `CheckInViewSet` (with their serializers) answer:
 * bare JSON lists, simplejwt's 401s, Django's 500 for a malformed id.
 */
describe('local gym server: member search and visits over REST', () => {
  /** @type {import('./helpers.js').GymServer} */
  let server;
  /** @type {string} */
  let token;

  before(async () => {
    server = await startServer();
    token = await accessToken(server);
  });
  after(() => server.close());
  beforeEach(() => controlOf(server.origin)('reset'));

  /** GETs `path` with the token (or `authorization` when given: '' sends none). */
  const get = (/** @type {string} */ path, authorization = `Bearer ${token}`) => fetch(`${server.origin}${path}`, { headers: authorization ? { Authorization: authorization } : {} });
  const json = async (/** @type {string} */ path) => {
    const response = await get(path);
    assert.equal(response.status, 200, `${path}: ${response.status}`);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    return /** @type {any} */ (await response.json());
  };
  const search = async (/** @type {string} */ q) => /** @type {any[]} */ (await json(`/api/members/search/?q=${encodeURIComponent(q)}`));

  for (const path of ['/api/members/search/?q=ali', `/api/checkins/checkins/?member=${member(1)}`]) {
    it(`${path.split('?')[0]}: 401 without a token, 401 token_not_valid for a bad one`, async () => {
      const none = await get(path, '');
      assert.equal(none.status, 401);
      assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="api"');
      assert.deepEqual(await none.json(), { detail: 'Authentication credentials were not provided.' });
      const bad = await get(path, 'Bearer not-a-token');
      assert.equal(bad.status, 401);
      assert.deepEqual(await bad.json(), {
        detail: 'Given token not valid for any token type',
        code: 'token_not_valid',
        messages: [{ token_class: 'AccessToken', token_type: 'access', message: 'Token is invalid or expired' }],
      });
    });
  }

  it('search: by part of a name, in roster order, each member with the fields of MemberSerializer', async () => {
    const found = await search('ali');
    assert.deepEqual(
      found.map((m) => m.full_name),
      ['Alice Example', 'Fatima Zahra Benali'],
    );
    const [alice] = found;
    assert.deepEqual(Object.keys(alice), ['id', 'full_name', 'phone', 'address', 'status', 'image', 'image_url', 'notes', 'created_at', 'updated_at']);
    assert.equal(alice.id, member(1));
    assert.equal(alice.phone, '+447700900001');
    assert.equal(alice.status, 'active');
    assert.match(alice.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('search: [] for an empty q, at most 10 members, and by phone or by id (hyphens or not)', async () => {
    assert.deepEqual(await search(''), []);
    assert.deepEqual(await json('/api/members/search/'), []);
    assert.equal((await search('e')).length, 10);
    assert.deepEqual(
      (await search('900002')).map((m) => m.full_name),
      ['Bob Example'],
    );
    assert.deepEqual(
      (await search(member(3))).map((m) => m.id),
      [member(3)],
    );
    // SQLite stores the UUID as 32 hex digits; Django strips the hyphens of q to compare.
    assert.deepEqual(
      (await search('4000800000000000000')).map((m) => m.id).slice(0, 2),
      [member(1), member(2)],
    );
  });

  it('search: case folds for A–Z only, as `icontains` on the real server`s SQLite', async () => {
    assert.deepEqual(
      (await search('ALICE')).map((m) => m.full_name),
      ['Alice Example'],
    );
    assert.deepEqual(
      (await search('zoë')).map((m) => m.full_name),
      ['Zoë Ångström'],
    );
    assert.deepEqual(await search('ZOË'), []);
  });

  it('photos: absolute URLs where the member has one (image and image_url), null otherwise, served as SVG', async () => {
    const [alice] = await search(member(1));
    const [bob] = await search(member(2));
    assert.equal(alice.image_url, `${server.origin}/media/member_images/${member(1)}.svg`);
    assert.equal(alice.image, alice.image_url);
    assert.equal(bob.image_url, null);
    assert.equal(bob.image, null);
    const photo = await fetch(alice.image_url);
    assert.equal(photo.status, 200);
    assert.equal(photo.headers.get('content-type'), 'image/svg+xml');
    assert.match(await photo.text(), /^<svg [^>]*>.*>AE<\/text><\/svg>$/);
    assert.equal((await fetch(`${server.origin}/media/member_images/nobody.svg`)).status, 404);
  });

  it('status: the seeded roster has members whose membership is inactive', async () => {
    const inactive = DEFAULT_MEMBERS.filter((m) => m.status !== 'active').map((m) => m.full_name);
    assert.deepEqual(inactive, ['Lars Eriksson', 'Grace Hopper-Lovelace']);
    assert.equal((await search('Lars'))[0].status, 'inactive');
  });

  it("visits: a member's visits in the order made, the open one with check_out_time null, in CheckInSerializer's shape", async () => {
    assert.deepEqual(await json(`/api/checkins/checkins/?member=${member(1)}`), []);
    const first = await server.act('check_in', { memberId: member(1), location: 'Front desk' });
    assert.ok(first.ok);
    await server.act('check_out', { checkInId: first.visit.id });
    const second = await server.act('check_in', { memberId: member(1), location: 'Side door' });
    await server.act('check_in', { memberId: member(2) });
    const visits = await json(`/api/checkins/checkins/?member=${member(1)}`);
    assert.deepEqual(
      visits.map((/** @type {any} */ v) => [v.id, v.check_out_time === null]),
      [
        [first.visit.id, false],
        [second.ok && second.visit.id, true],
      ],
    );
    assert.deepEqual(Object.keys(visits[0]), ['id', 'member', 'check_in_time', 'check_out_time', 'location', 'notes']);
    assert.deepEqual(visits[1].member, { id: member(1), full_name: 'Alice Example', membership_type: 'premium' });
    assert.match(visits[1].check_in_time, /Z$/);
    // Without `member`: every visit.
    assert.equal((await json('/api/checkins/checkins/')).length, 3);
  });

  it('visits: `date` keeps one UTC day; a malformed id or date is the real server`s 500 page', async () => {
    await server.act('check_in', { memberId: member(1) });
    const today = new Date().toISOString().slice(0, 10);
    assert.equal((await json(`/api/checkins/checkins/?member=${member(1)}&date=${today}`)).length, 1);
    assert.deepEqual(await json(`/api/checkins/checkins/?member=${member(1)}&date=2001-01-01`), []);
    for (const query of ['member=not-a-uuid', 'date=today']) {
      const response = await get(`/api/checkins/checkins/?${query}`);
      assert.equal(response.status, 500, query);
      assert.match(response.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(await response.text(), /<h1>Server Error \(500\)<\/h1>/);
    }
  });

  it('pages on another origin may call both with the token (CORS)', async () => {
    const preflight = await fetch(`${server.origin}/api/members/search/?q=ali`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://desk.test', 'Access-Control-Request-Headers': 'authorization' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), 'http://desk.test');
    assert.match(preflight.headers.get('access-control-allow-headers') ?? '', /Authorization/);
  });
});
