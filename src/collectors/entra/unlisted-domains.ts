// Users whose UPN domain domains.json does not list. Graph's GET /domains lists every domain of
// the tenant, and a user's UPN takes one of them, so such a user comes from a domains export
// that is short (a page left out, a filter): the password policy of that domain (its validity
// period, whether it is federated) is unknown, and reading the user as governed by no policy
// would let the password-policy controls pass on a domain never read.
import type { SourceGap } from "../normalized-facts.ts";
import { firstNames, namesListed } from "../first-names.ts";

export class UnlistedDomains {
  readonly #domains = new Map<string, { users: number; examples: string[] }>();
  #users = 0;

  see(domain: string, upn: string): void {
    this.#users++;
    let entry = this.#domains.get(domain);
    if (!entry) this.#domains.set(domain, (entry = { users: 0, examples: [] }));
    entry.users++;
    if (entry.examples.length < namesListed) entry.examples.push(upn);
  }

  gap(): SourceGap | undefined {
    if (this.#domains.size === 0) return undefined;
    const domains = [...this.#domains.keys()];
    const examples = [...this.#domains.values()].flatMap((d) => d.examples);
    return {
      step: "domains",
      message:
        `${this.#users} user(s) have a UPN domain that domains.json does not list (${firstNames(domains)}; e.g. ${firstNames(examples, this.#users)}): ` +
        "Graph lists every domain of the tenant, so the export is short, and those users' password policy is unknown; export every page of GET /v1.0/domains",
      affects: ["passwordPolicies", "accounts.passwordPolicy", "credentials.expires"],
    };
  }
}
