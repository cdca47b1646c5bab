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

// --- Records of a patient and the exchange pallet (issue 18, hospital portal) ---

export type RecordStatus = "Active" | "Retracted" | "Erased";

export interface PatientRecord {
  custodian: number;
  /** Hex of the custodian's record id (often UTF-8 text such as `lab-2026-000001`). */
  recordId: Hex;
  category: Category;
  status: RecordStatus;
  currentVersion: number;
}

/** `records_ofPatient(patient, page?)`: the records anchored under one pseudonym. */
export interface PatientRecordsAnswer {
  total: number;
  page: number;
  pageSize: number;
  records: PatientRecord[];
}

export type DisputeReason = "PackageMismatch" | "MissingRecords" | "RecordMismatch" | "Undecryptable" | "PayoutFailed";

export type RefundCauseJson = "expired" | "declined" | "disputeUpheld" | { consentWithdrawn: string };

/** The status of an exchange request as `exchange_request` / `exchange_pending` serialise it. */
export type ExchangeStatusJson =
  | "requested"
  | { delivered: { disputeUntil: number } }
  | { disputed: { reason: DisputeReason; at: number } }
  | { completed: { at: number; automatic: boolean } }
  | { refunded: { at: number; cause: RefundCauseJson } };

export interface ExchangeRequestView {
  id: number;
  requester: number;
  payer: string;
  custodian: number;
  patient: string;
  records: Hex[];
  categories: Category[];
  purpose: Purpose;
  /** Decimal string in the smallest unit (12 decimals: beyond JavaScript's exact numbers). */
  fee: string;
  relaySharePerMille: number;
  requestedAt: number;
  deadline: number;
  status: ExchangeStatusJson;
  delivery: {
    packageHash: Hex;
    packageSize: number;
    relay: number;
    versions: Array<{ recordId: Hex; version: number }>;
    deliveredAt: number;
  } | null;
}

/** `exchange_pending(custodian, page?)`: requests waiting for the custodian's delivery. */
export interface PendingAnswer {
  custodian: number;
  page: number;
  pageSize: number;
  total: number;
  requests: ExchangeRequestView[];
}

/** `exchange_ofInstitution(institution, page?)`: the requests the institution is a party to
 * (as requester or custodian), newest first. */
export interface InstitutionRequestsAnswer {
  institution: number;
  page: number;
  pageSize: number;
  total: number;
  requests: ExchangeRequestView[];
}

/** `institutions_pendingRegistrations(institution, page?, at?)`: registrations the institution
 * asked for that wait for the patient's (or the guardian's) confirmation, newest first. */
export interface PendingRegistrationsAnswer {
  institution: number;
  page: number;
  pageSize: number;
  total: number;
  registrations: Array<{ patient: string; guardian: string | null; expiresAt: number }>;
}

/** `consent_check(patient, grantee, target, purpose, at?)`. */
export type ConsentDecision =
  | { permit: { consent: number } | { emergency: number } }
  | { deny: { reason: string; closest: number | null } };

export interface Answers {
  records_ofPatient: PatientRecordsAnswer;
  exchange_pending: PendingAnswer;
  exchange_ofInstitution: InstitutionRequestsAnswer;
  /** The fee as a decimal string in the smallest unit. */
  exchange_quote: string;
  institutions_pendingRegistrations: PendingRegistrationsAnswer;
  records_verify: RecordVerifyAnswer;
  certificates_verify: CertificateVerifyAnswer;
  consent_disclosures: DisclosuresAnswer;
  certificates_ofSubject: SubjectCertificatesAnswer;
  prescriptions_ofPatient: PatientPrescriptionsAnswer;
  consent_check: ConsentDecision;
}
