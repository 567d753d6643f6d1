// The access token of a Graph session, asked of its @azure/identity credential once and reused
// until shortly before it expires. The Graph client's authentication middleware asks its token
// provider for every request, and each ask goes through @azure/identity to MSAL's token cache:
// 231 asks for the bench tenant's requests took 28-57 ms of CPU against the Graph fixture, on
// the path of every request. The credential still acquires, caches and renews the token; this
// only spares it the asks in between.
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/identity";

/** A token is asked for again this long before it expires (MSAL itself renews 5 minutes ahead). */
export const renewBeforeExpiryMs = 5 * 60_000;

export class ReusedToken implements TokenCredential {
  readonly #credential: TokenCredential;
  #held: { scopes: string; token: AccessToken } | undefined;

  constructor(credential: TokenCredential) {
    this.#credential = credential;
  }

  async getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
    const key = typeof scopes === "string" ? scopes : scopes.join(" ");
    // A claims challenge or another tenant needs the credential's own answer.
    const plain = options?.claims === undefined && options?.tenantId === undefined;
    const held = this.#held;
    if (plain && held !== undefined && held.scopes === key && Date.now() < reuseUntil(held.token)) return held.token;
    const token = await this.#credential.getToken(scopes, options);
    if (plain && token) this.#held = { scopes: key, token };
    return token;
  }
}

function reuseUntil(token: AccessToken): number {
  return Math.min(token.expiresOnTimestamp - renewBeforeExpiryMs, token.refreshAfterTimestamp ?? Infinity);
}
