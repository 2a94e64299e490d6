import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT, jwtVerify } from 'jose';

/**
 * HS256 access and refresh tokens shaped like djangorestframework-simplejwt's
 * (`token_type`, `user_id`, `jti`, `exp`). `expireAll()` invalidates every
 * token issued so far, as if they had all run out.
 */
export class TokenIssuer {
  #secret;
  #generation = 0;

  constructor({ secret = randomBytes(32), accessLifetimeSeconds = 300, refreshLifetimeSeconds = 86_400 } = {}) {
    this.#secret = secret;
    this.accessLifetimeSeconds = accessLifetimeSeconds;
    this.refreshLifetimeSeconds = refreshLifetimeSeconds;
  }

  /** @param {string} userId @param {'access' | 'refresh'} tokenType */
  issue(userId, tokenType = 'access') {
    const lifetime = tokenType === 'access' ? this.accessLifetimeSeconds : this.refreshLifetimeSeconds;
    return new SignJWT({ token_type: tokenType, user_id: userId, gen: this.#generation })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setJti(randomUUID().replaceAll('-', ''))
      .setIssuedAt()
      .setExpirationTime(`${lifetime}s`)
      .sign(this.#secret);
  }

  /**
   * The user id of a valid, unexpired token of that type; undefined otherwise.
   * @param {string | undefined} token @param {'access' | 'refresh'} tokenType
   */
  async verify(token, tokenType = 'access') {
    if (!token || token.length > 4096) return undefined;
    try {
      const { payload } = await jwtVerify(token, this.#secret, { algorithms: ['HS256'] });
      if (payload.token_type !== tokenType || payload.gen !== this.#generation) return undefined;
      return typeof payload.user_id === 'string' ? payload.user_id : undefined;
    } catch {
      return undefined;
    }
  }

  expireAll() {
    this.#generation++;
  }
}
