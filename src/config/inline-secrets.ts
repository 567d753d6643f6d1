// Secrets are referenced by environment variable name only: a config file ends up in
// repositories, CI logs and evidence packs, so an inline secret is rejected before anything else.

/** Keys that would hold a secret value, and the reference form to use instead. */
const inlineSecretKeys: Record<string, string> = {
  password: "passwordEnv",
  bindpassword: "passwordEnv",
  clientsecret: "clientSecretEnv",
  secret: "clientSecretEnv",
  token: "tokenEnv",
  accesstoken: "tokenEnv",
  privatekey: "privateKeyEnv",
  apikey: "tokenEnv",
};

/** Returns the `*Env` key to use instead when `key` would hold an inline secret. */
export function inlineSecretReplacement(key: string): string | undefined {
  return inlineSecretKeys[key.toLowerCase()];
}
