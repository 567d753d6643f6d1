/**
 * One directory entry as both LDAP transports deliver it: the LDIF file reader and the live
 * ldapts search. Attribute names are lower-cased; values are the raw bytes from the wire or
 * the decoded LDIF value, so binary attributes (objectGUID, objectSid, nTSecurityDescriptor)
 * and text attributes travel the same way and the shared normalizer decodes both.
 */
export interface LdapEntry {
  dn: string;
  attributes: Record<string, Uint8Array[]>;
  /** Attributes (as the directory named them, `member;range=0-1499`) of which only some values
   *  arrived: AD range retrieval without its later slices. Absent when every value is there. */
  partialAttributes?: string[];
}
