// The area a control belongs to, from its id prefix (CG-RESET-001 -> reset paths): the
// executive summary groups results by it.
const areas: ReadonlyArray<[prefix: string, area: string]> = [
  ["CG-RESET-", "Reset paths"],
  ["CG-FRAG-", "Fragmentation"],
  ["CG-NHI-", "Non-human identities"],
  ["CG-HYG-", "Hygiene"],
  ["CG-SAAS-", "SaaS settings"],
];

export const controlAreas: readonly string[] = areas.map(([, area]) => area);

export function controlArea(controlId: string): string {
  return areas.find(([prefix]) => controlId.startsWith(prefix))?.[1] ?? "Other";
}
