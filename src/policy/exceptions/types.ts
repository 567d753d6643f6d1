// One waiver from exceptions.yaml.
export interface PolicyException {
  /** Control id, or a glob over control ids (`CG-NHI-*`). */
  control: string;
  /** Glob over the finding's subject id or name (`corp-ad:svc-legacy-*`). */
  subject: string;
  reason: string;
  approver: string;
  ticket: string;
  /** Date (YYYY-MM-DD, end of that day UTC) or RFC 3339 time after which the waiver stops applying. */
  expires: string;
  /** Set in the file to accept a broad or long-lived exception (see load.ts). */
  allowBroad?: boolean;
  /** Why the exception is broad or long-lived; such exceptions are listed in every output. */
  broad?: string;
  file: string;
  line: number;
}
