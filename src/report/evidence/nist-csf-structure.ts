// NIST CSF 2.0 functions and categories (NIST CSWP 29, 26 Feb 2024). Subcategory titles come
// from the transcribed list in src/policy/catalog/frameworks/nist-csf-2.0.tsv; the two upper
// levels are few enough to state here.
export const csfFunctions: ReadonlyArray<{ id: string; name: string }> = [
  { id: "GV", name: "Govern" },
  { id: "ID", name: "Identify" },
  { id: "PR", name: "Protect" },
  { id: "DE", name: "Detect" },
  { id: "RS", name: "Respond" },
  { id: "RC", name: "Recover" },
];

export const csfCategories: Readonly<Record<string, string>> = {
  "GV.OC": "Organizational Context",
  "GV.RM": "Risk Management Strategy",
  "GV.RR": "Roles, Responsibilities, and Authorities",
  "GV.PO": "Policy",
  "GV.OV": "Oversight",
  "GV.SC": "Cybersecurity Supply Chain Risk Management",
  "ID.AM": "Asset Management",
  "ID.RA": "Risk Assessment",
  "ID.IM": "Improvement",
  "PR.AA": "Identity Management, Authentication, and Access Control",
  "PR.AT": "Awareness and Training",
  "PR.DS": "Data Security",
  "PR.PS": "Platform Security",
  "PR.IR": "Technology Infrastructure Resilience",
  "DE.CM": "Continuous Monitoring",
  "DE.AE": "Adverse Event Analysis",
  "RS.MA": "Incident Management",
  "RS.AN": "Incident Analysis",
  "RS.CO": "Incident Response Reporting and Communication",
  "RS.MI": "Incident Mitigation",
  "RC.RP": "Incident Recovery Plan Execution",
  "RC.CO": "Incident Recovery Communication",
};
