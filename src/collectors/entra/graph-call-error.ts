// A failed Microsoft Graph request as the Entra collector and rotator report it, and a parsed
// response body: shared by the session that sends requests and the pages it receives.

export type GraphBody = Record<string, unknown>;

/** A Graph request that failed: HTTP status (0 for no response), Graph error code, message. */
export class GraphCallError extends Error {
  readonly status: number;
  readonly code: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  constructor(status: number, code: string | undefined, message: string, retryAfterSeconds?: number) {
    super(message);
    this.name = "GraphCallError";
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** `HTTP 403 Authorization_RequestDenied: Insufficient privileges ...` */
  describe(): string {
    const status = this.status > 0 ? `HTTP ${this.status}` : "no response";
    return `${status}${this.code ? ` ${this.code}` : ""}: ${this.message}`;
  }
}
