// The JSON answers of MedChain's own JSON-RPC methods, as the node's RPC crates serialise them
// (pallets/*/rpc/src/lib.rs; docs/records.md, certificates.md, consent.md, prescriptions.md).

export type Hex = `0x${string}`;

export type Category =
  | "PatientSummary"
  | "Laboratory"
  | "Imaging"
  | "Medication"
  | "Allergy"
  | "Discharge"
  | "Prescription"
  | "EmergencyDataSet"
  | "Immunization"
  | "MentalHealth"
  | "Other";

export type Purpose =
  | "Treatment"
  | "EmergencyTreatment"
  | "Payment"
  | "Research"
  | "Operations"
  | "PublicHealth"
  | "PatientRequest";

export interface VersionView {
  contentHash: Hex;
  size: number;
  format: string;
  anchoredAt: number;
  anchoredAtMs: number;
  anchoredBy: string;
  status: "Current" | "Superseded" | "Retracted";
}

/** `records_verify(custodian, recordId, contentHash)`. */
export type RecordVerifyAnswer =
  | { found: false }
  | {
      found: true;
      matchesCurrent: boolean;
      matchedVersion: number | null;
      matched: VersionView | null;
      currentVersion: number;
      current: VersionView;
      category: Category;
      status: "Active" | "Retracted" | "Erased";
    };

export type Validity = "Valid" | "NotYetValid" | "Expired" | "Suspended" | "Revoked" | "Superseded";
export type CertificateKind = "SickLeave" | "Vaccination" | "Fitness" | "Disability" | "Death" | "Other";

export type CertificateStatus =
  | "Issued"
  | { Suspended: { reason: string } }
  | { Revoked: { reason: string; at: number } }
  | { Superseded: { by: Hex } };

/** `certificates_verify(documentHash)`. */
export type CertificateVerifyAnswer =
  | { found: false }
  | {
      found: true;
      validity: Validity;
      checkedAtMs: number;
      subject: string;
      kind: CertificateKind;
      issuer: string;
      institution: number;
      validFromMs: number;
      validUntilMs: number | null;
      issuedAt: number;
      issuedAtMs: number;
      status: CertificateStatus;
      statusIndex: number;
      supersedes: Hex | null;
    };

export type Basis =
  | { consent: number }
  | { emergency: number }
  | { emergencyReview: number }
  | "prescription"
  | { holderShared: Hex };

export interface Disclosure {
  custodian: number | null;
  recipient: number;
  recordId: Hex;
  category: Category;
  purpose: Purpose;
  basis: Basis;
  at: number;
  previous: Hex;
  hash: Hex;
}

/** `consent_disclosures(patient, page?)`. */
export interface DisclosuresAnswer {
  log: { first: number; next: number; head: Hex; prunedHead: Hex };
  page: number;
  pageSize: number;
  entries: Array<[number, Disclosure]>;
  keptEmergency: Array<[number, Disclosure]>;
}

export interface SubjectCertificate {
  documentHash: Hex;
  kind: CertificateKind;
  institution: number;
  validFromMs: number;
  validUntilMs: number | null;
  status: CertificateStatus;
  validity: Validity;
}

/** `certificates_ofSubject(subject, page?)`. */
export interface SubjectCertificatesAnswer {
  total: number;
  page: number;
  pageSize: number;
  certificates: SubjectCertificate[];
}

export type PrescriptionStatus =
  | "active"
  | "on-hold"
  | "expired"
  | "cancelled"
  | "stopped"
  | "entered-in-error"
  | "completed";

export interface PatientPrescription {
  hash: Hex;
  institution: number;
  pharmacy: number | null;
  fills: number;
  dispensed: number;
  issuedAt: number;
  validUntil: number;
  status: PrescriptionStatus;
}

/** `prescriptions_ofPatient(patient, page?)`. */
export interface PatientPrescriptionsAnswer {
  total: number;
  page: number;
  pageSize: number;
  prescriptions: PatientPrescription[];
}

export interface PatientRecord {
  custodian: number;
  recordId: Hex;
  category: Category;
  status: "Active" | "Retracted" | "Erased";
  currentVersion: number;
}

/** `records_ofPatient(patient, page?)`: the patient's active records, 100 a page. */
export interface PatientRecordsAnswer {
  total: number;
  page: number;
  pageSize: number;
  records: PatientRecord[];
}

/** `consent_check(patient, grantee, target, purpose, at?)`. */
export type ConsentDecision =
  | { permit: { consent: number } | { emergency: number } }
  | { deny: { reason: string; closest: number | null } };

export interface Answers {
  records_verify: RecordVerifyAnswer;
  certificates_verify: CertificateVerifyAnswer;
  consent_disclosures: DisclosuresAnswer;
  certificates_ofSubject: SubjectCertificatesAnswer;
  prescriptions_ofPatient: PatientPrescriptionsAnswer;
  records_ofPatient: PatientRecordsAnswer;
  consent_check: ConsentDecision;
}
