// Every string the app shows, in English and Korean, in one place. `ko` is typed against `en`,
// so a key missing in either language does not compile; tests/unit/i18n.test.ts checks the
// same at run time (no empty string, the same {placeholders} in both).

export const en = {
  "app.title": "MedChain",
  "app.subtitle": "Hospital records, certificates and prescriptions you can check",
  "app.skip": "Skip to the main content",
  "nav.label": "Sections",
  "nav.verify": "Verify a document",
  "nav.patient": "My disclosures",
  "nav.settings": "Settings",
  "lang.label": "Language",
  "lang.en": "English",
  "lang.ko": "한국어",

  "status.label": "Chain status",
  "status.node": "Node",
  "status.connecting": "Connecting…",
  "status.connected": "Connected",
  "status.disconnected": "Cannot reach the node",
  "status.best": "Best block",
  "status.finalized": "Finalized block",
  "status.peers": "Peers",
  "status.runtime": "Runtime version",
  "status.unknown": "—",

  "settings.title": "Settings",
  "settings.node": "Node address (WebSocket)",
  "settings.node.help":
    "The MedChain node this app asks. It can also be given in the page address as ?node=ws://…",
  "settings.save": "Save and reconnect",
  "settings.reset": "Use the default ({url})",
  "settings.saved": "Saved. Connecting to {url}.",
  "settings.invalid": "This is not a WebSocket address: it must start with ws:// or wss://.",

  "verify.title": "Verify a document",
  "verify.intro":
    "Check that a document you received is the one its hospital anchored on the chain. The file never leaves this device: only its salted fingerprint (SHA-256) is sent to the node.",
  "verify.kind": "What kind of document?",
  "verify.kind.record": "A medical record",
  "verify.kind.certificate": "A medical certificate",
  "verify.file": "The document file",
  "verify.file.drop": "Drop the file here, or",
  "verify.file.choose": "Choose a file…",
  "verify.file.chosen": "Chosen: {name} ({size} bytes)",
  "verify.file.none": "No file chosen yet.",
  "verify.salt": "Salt (hexadecimal)",
  "verify.salt.help": "The 32-byte salt that came with the document: 64 hexadecimal characters.",
  "verify.custodian": "Custodian (institution no.)",
  "verify.custodian.help": "The number of the hospital or clinic that keeps the record.",
  "verify.recordId": "Record ID",
  "verify.recordId.help": "As the hospital gave it: text, or hexadecimal starting with 0x.",
  "verify.submit": "Verify",
  "verify.busy": "Checking…",
  "verify.hash": "Fingerprint sent to the node",

  "record.current.title": "Genuine: this is the current version",
  "record.current.body":
    "The document matches version {version} of record {recordId}, anchored by {custodian} in block #{block}.",
  "record.older.title": "Genuine, but an older version",
  "record.older.body":
    "The document matches version {version}, but the record's current version is {current}. Ask the hospital for the current version.",
  "record.retracted.title": "Genuine, but withdrawn",
  "record.retracted.body":
    "The document matches version {version}, but the hospital withdrew the record as entered in error. Do not rely on it.",
  "record.erased.title": "Erased at the patient's request",
  "record.erased.body":
    "This record was erased: its documents were destroyed and it can no longer be verified.",
  "record.altered.title": "Altered, or the salt is wrong",
  "record.altered.body":
    "The institution anchored a record with this ID, but this file and salt do not match any of its versions. The document may have been changed.",
  "record.unknown.title": "Unknown record",
  "record.unknown.body":
    "No record with this ID was anchored by {custodian}. Check the institution number and the record ID.",
  "record.category": "Kind of record",
  "record.anchoredAt": "Anchored",

  "cert.valid.title": "Valid: the certificate is in force",
  "cert.suspended.title": "Suspended",
  "cert.revoked.title": "Revoked",
  "cert.superseded.title": "Replaced by a corrected certificate",
  "cert.expired.title": "Expired",
  "cert.notYetValid.title": "Not yet valid",
  "cert.unknown.title": "Unknown certificate",
  "cert.valid.body": "Issued by {institution}; in force at the time the chain checked.",
  "cert.suspended.body":
    "The issuing institution suspended this certificate. It may be reinstated later; for now it is not in force.",
  "cert.revoked.body": "The issuing institution revoked this certificate for good. It is not in force.",
  "cert.superseded.body":
    "This certificate was corrected: a new certificate replaces it. Ask the holder for the corrected one.",
  "cert.expired.body": "The certificate's period of validity has ended.",
  "cert.notYetValid.body": "The certificate's period of validity has not started yet.",
  "cert.unknown.body":
    "No certificate was issued for this document and salt. The document may have been altered, or the salt is wrong.",
  "cert.kind": "Kind",
  "cert.period": "Valid",
  "cert.period.range": "from {from} until {until}",
  "cert.period.open": "from {from}, with no end",
  "cert.institution": "Issuing institution",

  "kind.SickLeave": "Sick leave",
  "kind.Vaccination": "Vaccination",
  "kind.Fitness": "Fitness",
  "kind.Disability": "Disability",
  "kind.Death": "Death certificate",
  "kind.Other": "Other certificate",

  "category.PatientSummary": "patient summary",
  "category.Laboratory": "laboratory report",
  "category.Imaging": "imaging study",
  "category.Medication": "medication history",
  "category.Allergy": "allergy record",
  "category.Discharge": "discharge summary",
  "category.Prescription": "prescription",
  "category.EmergencyDataSet": "emergency data set",
  "category.Immunization": "immunization record",
  "category.MentalHealth": "mental health record",
  "category.Other": "other record",

  "purpose.Treatment": "treatment",
  "purpose.EmergencyTreatment": "emergency treatment",
  "purpose.Payment": "payment for care",
  "purpose.Research": "research",
  "purpose.Operations": "healthcare operations",
  "purpose.PublicHealth": "public health",
  "purpose.PatientRequest": "your own request",

  "patient.title": "My disclosures",
  "patient.intro":
    "See who received your records, and your certificates and prescriptions. Enter the pseudonym (account address) your hospital registered for you. Nothing is changed: this view only reads.",
  "patient.address": "Your pseudonym (SS58 address)",
  "patient.address.help": "It starts with 5 and is about 48 characters long.",
  "patient.submit": "Show",
  "patient.busy": "Reading…",
  "patient.log.title": "Who received your records",
  "patient.log.empty": "Nobody received any of your records.",
  "patient.log.kept": "Emergency accesses kept on record",
  "patient.log.count": "{count} entries kept on the chain.",
  "patient.certs.title": "Your certificates",
  "patient.certs.empty": "No certificates.",
  "patient.rx.title": "Your prescriptions",
  "patient.rx.empty": "No prescriptions.",
  "patient.when": "around {time} (block #{block})",

  "basis.label": "On what basis",
  "basis.consent": "Your consent (no. {id})",
  "basis.emergency": "Emergency access (no. {id})",
  "basis.emergencyReview": "Emergency access under review (no. {id})",
  "basis.prescription": "Your prescription",
  "basis.holderShared": "Shared by you",

  "log.release": "{custodian} sent your {category} to {recipient} for {purpose}.",
  "log.emergencyOpened": "{recipient} opened emergency access to your records for {purpose}.",
  "log.review": "The hospital council flagged the emergency access by {recipient} for review.",
  "log.dispensed": "{recipient} dispensed your prescription from {custodian}.",
  "log.shared": "You showed a certificate from {custodian} to someone and logged it; only you know to whom.",

  "rx.status.active": "Can be filled",
  "rx.status.on-hold": "On hold",
  "rx.status.expired": "Expired",
  "rx.status.cancelled": "Cancelled",
  "rx.status.stopped": "Stopped",
  "rx.status.entered-in-error": "Withdrawn (entered in error)",
  "rx.status.completed": "Completed",
  "rx.line": "From {institution}: {dispensed} of {fills} fills dispensed.",
  "rx.pharmacy": "At {pharmacy} only.",
  "rx.anyPharmacy": "At any pharmacy.",
  "rx.validUntil": "Can be filled until block #{block} ({time}).",

  "cert.line": "{kind} from {institution}",

  "institution.named": "{name} (no. {id})",
  "institution.numbered": "institution no. {id}",

  "error.file": "Choose the document file first.",
  "error.salt":
    "The salt must be 32 bytes written as 64 hexadecimal characters (0–9, a–f), with or without 0x.",
  "error.custodian": "Enter the institution number (a whole number, 0 or more).",
  "error.recordId": "Enter the record ID (at most 64 bytes).",
  "error.address":
    "This is not a valid account address. Check it and try again: it starts with 5 and has about 48 letters and digits.",
  "error.crypto":
    "This browser cannot compute the fingerprint here: open the app over https, or from this computer (localhost).",
  "error.readFile": "The file could not be read.",
  "error.connection": "The node at {url} cannot be reached. Check the node address in Settings.",
  "error.timeout": "The node did not answer in time. Try again.",
  "error.node": "The node could not answer this question right now. Try again later.",
  "error.invalid": "The node did not accept this request: check what you entered.",
  "error.unknown": "Something went wrong. Try again.",

  // ---- Patient portal: keyring, registrations, consent editor, transactions (issue 18) ----
  "nav.consents": "My consents",
  "consents.title": "My consents",
  "consents.intro":
    "Decide which institutions may receive your records, for what, and until when. Your secret phrase stays in this browser, encrypted with your passphrase; each hospital knows you by a separate pseudonym made from it.",
  "consents.refresh": "Read again from the chain",
  "keys.title": "Your secret",
  "keys.intro":
    "Your secret phrase makes your pseudonyms, one per hospital. It is stored only in this browser, encrypted with your passphrase, and never sent anywhere.",
  "keys.reading": "Looking for a secret stored in this browser…",
  "keys.new": "Create a new secret",
  "keys.import": "Import my secret phrase",
  "keys.cancel": "Cancel",
  "keys.phrase.label": "Your new secret phrase",
  "keys.phrase.warning":
    "Write these 12 words down, in order, and keep them somewhere safe. They are shown only this once. If you forget your passphrase or lose this device, these words are the only way back.",
  "keys.written": "I wrote the words down and keep them safe",
  "keys.phraseInput": "Your secret phrase",
  "keys.phraseInput.help": "The 12 or 24 words, separated by spaces.",
  "keys.pass": "Passphrase for this browser",
  "keys.pass.help": "At least 8 characters. It encrypts the secret here; it is never sent anywhere.",
  "keys.pass2": "The passphrase again",
  "keys.save": "Encrypt and unlock",
  "keys.saving": "Encrypting…",
  "keys.locked": "A secret is stored in this browser, encrypted. Enter your passphrase to unlock it.",
  "keys.unlockPass": "Passphrase",
  "keys.unlock": "Unlock",
  "keys.unlocking": "Unlocking…",
  "keys.unlocked":
    "Unlocked. Your keys are in this tab's memory only; they lock after 15 minutes without activity.",
  "keys.idleLocked": "Locked after 15 minutes without activity.",
  "keys.lock": "Lock",
  "keys.forget": "Remove the secret from this browser",
  "keys.forgetConfirm": "Remove it for good? Click again to confirm.",
  "keys.forgotten": "The secret was removed from this browser. Your phrase brings it back.",
  "keys.error.wrong":
    "This passphrase does not open the secret stored in this browser. Nothing was changed; try again.",
  "keys.error.phrase": "This is not a valid secret phrase: check the words and their order.",
  "keys.error.passShort": "The passphrase must have at least 8 characters.",
  "keys.error.passMismatch": "The two passphrases differ.",
  "keys.error.written": "Confirm that you wrote the words down: they are shown only once.",
  "keys.error.storage": "This browser cannot store the secret (private window or storage disabled).",
  "keys.needed": "Unlock your secret to see your hospitals and your consents.",

  "hospitals.title": "Your hospitals",
  "hospitals.loading": "Reading your registrations…",
  "hospitals.none": "No hospital has registered you yet.",
  "hospitals.registered": "{institution}: you are registered.",
  "hospitals.pending":
    "{institution} asked to register you; the request expires around {time}. Confirm only if you asked for it.",
  "hospitals.expired": "The registration request from {institution} expired. Ask the hospital to register you again.",
  "hospitals.confirm": "Confirm my registration at {institution}",
  "hospitals.pseudonym": "Your pseudonym there",

  "acting.label": "Act as your pseudonym at",
  "acting.help": "A consent covers the records this hospital keeps about you.",

  "allowance.today": "{left} of {total} fee-free actions left today",
  "allowance.period": "{left} of {total} fee-free actions left in this period of {hours} hours",
  "allowance.resets": "The count starts again around {time}.",

  "editor.title": "Give a consent",
  "editor.recipient": "Who may receive your records",
  "editor.recipient.choose": "Choose an institution…",
  "editor.recipient.help": "Institutions registered on the chain, by name.",
  "editor.scope": "Which records",
  "editor.scope.help": "Choose kinds of records, specific records, or both.",
  "editor.categories": "Kinds of records",
  "editor.records": "Specific records",
  "editor.records.none": "This hospital has anchored no records for you yet.",
  "editor.record": "{category}: {id}",
  "editor.purposes": "For what",
  "editor.until": "Until (including this day)",
  "editor.until.help":
    "The consent ends when this day ends. The chain counts in blocks: the day's end is converted with the chain's clock and rounded down, so it never lasts longer than you chose.",
  "editor.from": "From (optional)",
  "editor.from.help": "Empty: from now. A later day starts at its beginning (rounded up).",
  "editor.submit": "Grant consent",
  "editor.invalid": "Check the marked fields. Nothing was sent.",

  "consent.error.recipient": "Choose who may receive your records.",
  "consent.error.scope": "Choose at least one kind of record or one specific record.",
  "consent.error.purposes": "Choose at least one purpose.",
  "consent.error.untilMissing": "Choose the last day of the consent.",
  "consent.error.untilPast": "This day is over: choose today or a later day.",
  "consent.error.date": "This is not a valid date.",
  "consent.error.noClock": "The chain's clock is not known yet. Wait a moment and try again.",
  "consent.error.tooLong": "A consent can last at most {days} days. Choose an earlier day.",
  "consent.error.fromAfterUntil": "The first day must come before the last day.",

  "list.title": "Your consents",
  "list.loading": "Reading your consents…",
  "list.empty": "You have given no consent from this pseudonym.",
  "list.sentence": "{recipient} may receive your {scope} for {purposes}.",
  "list.scope.record": "record {id}",
  "list.until": "Until around {time} (block #{block}).",
  "list.from": "From around {time} (block #{block}).",
  "list.revokedFrom": "Revoked from block #{block} on.",
  "list.note": "Consents that ended leave this list when you next give a consent.",
  "list.state.active": "In force",
  "list.state.notYetValid": "Not yet in force",
  "list.state.expired": "Expired",
  "list.state.revoked": "Revoked",
  "list.revoke": "Revoke",
  "list.revoke.label": "Revoke consent no. {id} for {recipient}",
  "list.number": "Consent no. {id}",

  "tx.label": "Transaction progress",
  "tx.what.grant": "Granting a consent to {recipient}",
  "tx.what.revoke": "Revoking consent no. {id}",
  "tx.what.confirm": "Confirming your registration at {institution}",
  "tx.stage.signing": "Signing in this browser…",
  "tx.stage.submitted": "Signed and sent. Waiting for a block…",
  "tx.stage.inBlock": "In block #{block}. Waiting for finality…",
  "tx.stage.finalized": "Done: finalized in block #{block}.",
  "tx.stage.failed": "Not done.",
  "tx.finalityLate":
    "In block #{block}, but not finalized within the wait. It will most likely be finalized soon: check again later.",
  "tx.error.module": "The chain refused it: {doc}",
  "tx.error.moduleNoDoc": "The chain refused it ({name}).",
  "tx.error.badOrigin": "The chain refused it: this key may not do this.",
  "tx.error.funds": "The chain refused it: not enough funds.",
  "tx.error.dispatch": "The chain refused it ({name}).",
  "tx.error.signing": "The transaction could not be signed. Unlock your secret and try again.",
  "tx.error.unknown": "Something went wrong while sending. Check the list before trying again.",
  "tx.invalid.payment":
    "The node did not accept it: it is not fee-free (no fee-free action left, or not a patient's action here) and this pseudonym has no funds for a fee. Nothing was done.",
  "tx.invalid.stale":
    "The node did not accept it: another transaction from this pseudonym went first (stale nonce). Nothing was done; try again.",
  "tx.invalid.future": "The node did not accept it yet: an earlier transaction of this pseudonym is still waiting.",
  "tx.invalid.ancient": "The node did not accept it: it was signed too long ago. Try again.",
  "tx.invalid.badProof": "The node did not accept it: the signature does not verify.",
  "tx.invalid.busy": "The node did not accept it: the block is full. Try again in a moment.",
  "tx.invalid.call": "The node did not accept it: this action is not allowed now.",
  "tx.invalid.duplicate": "This transaction was sent already and is waiting for a block.",
  "tx.invalid.other": "The node did not accept it ({name}). Nothing was done.",
  "tx.timeout.inBlock":
    "No block included it within {seconds} seconds. It may still be included: check the list before trying again.",
} as const;

export type Key = keyof typeof en;
export type Strings = Record<Key, string>;

export const ko: Strings = {
  "app.title": "MedChain",
  "app.subtitle": "확인할 수 있는 병원 기록, 증명서, 처방전",
  "app.skip": "본문으로 건너뛰기",
  "nav.label": "메뉴",
  "nav.verify": "문서 확인",
  "nav.patient": "내 정보 제공 내역",
  "nav.settings": "설정",
  "lang.label": "언어",
  "lang.en": "English",
  "lang.ko": "한국어",

  "status.label": "체인 상태",
  "status.node": "노드",
  "status.connecting": "연결 중…",
  "status.connected": "연결됨",
  "status.disconnected": "노드에 연결할 수 없음",
  "status.best": "최신 블록",
  "status.finalized": "확정 블록",
  "status.peers": "피어",
  "status.runtime": "런타임 버전",
  "status.unknown": "—",

  "settings.title": "설정",
  "settings.node": "노드 주소 (WebSocket)",
  "settings.node.help":
    "이 앱이 조회하는 MedChain 노드입니다. 페이지 주소에 ?node=ws://… 로 지정할 수도 있습니다.",
  "settings.save": "저장하고 다시 연결",
  "settings.reset": "기본값 사용 ({url})",
  "settings.saved": "저장했습니다. {url}에 연결합니다.",
  "settings.invalid": "WebSocket 주소가 아닙니다. ws:// 또는 wss://로 시작해야 합니다.",

  "verify.title": "문서 확인",
  "verify.intro":
    "받은 문서가 병원이 체인에 등록한 문서와 같은지 확인합니다. 파일은 이 기기를 떠나지 않으며, 솔트를 더한 지문(SHA-256)만 노드로 보냅니다.",
  "verify.kind": "어떤 문서입니까?",
  "verify.kind.record": "의료 기록",
  "verify.kind.certificate": "진단서·증명서",
  "verify.file": "문서 파일",
  "verify.file.drop": "파일을 여기에 끌어다 놓거나",
  "verify.file.choose": "파일 선택…",
  "verify.file.chosen": "선택한 파일: {name} ({size}바이트)",
  "verify.file.none": "아직 선택한 파일이 없습니다.",
  "verify.salt": "솔트 (16진수)",
  "verify.salt.help": "문서와 함께 받은 32바이트 솔트: 16진수 64자.",
  "verify.custodian": "보관 기관 번호",
  "verify.custodian.help": "기록을 보관하는 병원 또는 의원의 번호입니다.",
  "verify.recordId": "기록 ID",
  "verify.recordId.help": "병원이 알려준 그대로: 텍스트 또는 0x로 시작하는 16진수.",
  "verify.submit": "확인",
  "verify.busy": "확인 중…",
  "verify.hash": "노드로 보낸 지문",

  "record.current.title": "진본: 현재 버전입니다",
  "record.current.body":
    "이 문서는 {custodian}이(가) 블록 #{block}에 등록한 기록 {recordId}의 버전 {version}과 일치합니다.",
  "record.older.title": "진본이지만 이전 버전입니다",
  "record.older.body":
    "이 문서는 버전 {version}과 일치하지만, 현재 버전은 {current}입니다. 병원에 현재 버전을 요청하세요.",
  "record.retracted.title": "진본이지만 철회되었습니다",
  "record.retracted.body":
    "이 문서는 버전 {version}과 일치하지만, 병원이 잘못 입력된 기록으로 철회했습니다. 이 문서에 의존하지 마세요.",
  "record.erased.title": "환자의 요청으로 삭제됨",
  "record.erased.body": "이 기록은 삭제되었습니다. 문서가 파기되어 더 이상 확인할 수 없습니다.",
  "record.altered.title": "변경되었거나 솔트가 틀렸습니다",
  "record.altered.body":
    "기관이 이 ID로 기록을 등록했지만, 이 파일과 솔트는 어느 버전과도 일치하지 않습니다. 문서가 변경되었을 수 있습니다.",
  "record.unknown.title": "알 수 없는 기록",
  "record.unknown.body":
    "{custodian}에 이 ID로 등록된 기록이 없습니다. 기관 번호와 기록 ID를 확인하세요.",
  "record.category": "기록 종류",
  "record.anchoredAt": "등록 시각",

  "cert.valid.title": "유효: 효력이 있는 증명서입니다",
  "cert.suspended.title": "효력 정지",
  "cert.revoked.title": "취소됨",
  "cert.superseded.title": "정정된 증명서로 대체됨",
  "cert.expired.title": "기간 만료",
  "cert.notYetValid.title": "아직 유효하지 않음",
  "cert.unknown.title": "알 수 없는 증명서",
  "cert.valid.body": "{institution}이(가) 발급했으며, 체인이 확인한 시점에 효력이 있습니다.",
  "cert.suspended.body":
    "발급 기관이 이 증명서의 효력을 정지했습니다. 나중에 회복될 수 있지만 지금은 효력이 없습니다.",
  "cert.revoked.body": "발급 기관이 이 증명서를 영구히 취소했습니다. 효력이 없습니다.",
  "cert.superseded.body":
    "이 증명서는 정정되어 새 증명서로 대체되었습니다. 소지자에게 정정된 증명서를 요청하세요.",
  "cert.expired.body": "증명서의 유효 기간이 끝났습니다.",
  "cert.notYetValid.body": "증명서의 유효 기간이 아직 시작되지 않았습니다.",
  "cert.unknown.body":
    "이 문서와 솔트로 발급된 증명서가 없습니다. 문서가 변경되었거나 솔트가 틀렸을 수 있습니다.",
  "cert.kind": "종류",
  "cert.period": "유효 기간",
  "cert.period.range": "{from}부터 {until}까지",
  "cert.period.open": "{from}부터, 종료일 없음",
  "cert.institution": "발급 기관",

  "kind.SickLeave": "병가 진단서",
  "kind.Vaccination": "예방접종 증명서",
  "kind.Fitness": "건강 적합 증명서",
  "kind.Disability": "장애 진단서",
  "kind.Death": "사망 진단서",
  "kind.Other": "기타 증명서",

  "category.PatientSummary": "환자 요약",
  "category.Laboratory": "검사 결과지",
  "category.Imaging": "영상 검사",
  "category.Medication": "투약 이력",
  "category.Allergy": "알레르기 기록",
  "category.Discharge": "퇴원 요약지",
  "category.Prescription": "처방전",
  "category.EmergencyDataSet": "응급 정보",
  "category.Immunization": "예방접종 기록",
  "category.MentalHealth": "정신건강 기록",
  "category.Other": "기타 기록",

  "purpose.Treatment": "진료",
  "purpose.EmergencyTreatment": "응급 진료",
  "purpose.Payment": "진료비 청구",
  "purpose.Research": "연구",
  "purpose.Operations": "의료 기관 운영",
  "purpose.PublicHealth": "공중 보건",
  "purpose.PatientRequest": "본인 요청",

  "patient.title": "내 정보 제공 내역",
  "patient.intro":
    "내 기록을 누가 받았는지, 내 증명서와 처방전을 봅니다. 병원이 등록한 가명(계정 주소)을 입력하세요. 이 화면은 읽기만 하며 아무것도 바꾸지 않습니다.",
  "patient.address": "내 가명 (SS58 주소)",
  "patient.address.help": "5로 시작하며 약 48자입니다.",
  "patient.submit": "보기",
  "patient.busy": "읽는 중…",
  "patient.log.title": "내 기록을 받은 곳",
  "patient.log.empty": "내 기록을 받은 곳이 없습니다.",
  "patient.log.kept": "보관된 응급 접근 기록",
  "patient.log.count": "체인에 {count}건이 보관되어 있습니다.",
  "patient.certs.title": "내 증명서",
  "patient.certs.empty": "증명서가 없습니다.",
  "patient.rx.title": "내 처방전",
  "patient.rx.empty": "처방전이 없습니다.",
  "patient.when": "{time}경 (블록 #{block})",

  "basis.label": "근거",
  "basis.consent": "내 동의 (번호 {id})",
  "basis.emergency": "응급 접근 (번호 {id})",
  "basis.emergencyReview": "검토 중인 응급 접근 (번호 {id})",
  "basis.prescription": "내 처방전",
  "basis.holderShared": "본인이 공유",

  "log.release": "{custodian}이(가) 내 {category}을(를) {purpose} 목적으로 {recipient}에 보냈습니다.",
  "log.emergencyOpened": "{recipient}이(가) {purpose} 목적으로 내 기록에 응급 접근했습니다.",
  "log.review": "병원 협의회가 {recipient}의 응급 접근을 검토 대상으로 지정했습니다.",
  "log.dispensed": "{recipient}이(가) {custodian}에서 발행한 내 처방전을 조제했습니다.",
  "log.shared": "{custodian}의 증명서를 다른 사람에게 보여주고 기록했습니다. 누구에게 보여주었는지는 본인만 압니다.",

  "rx.status.active": "조제 가능",
  "rx.status.on-hold": "보류",
  "rx.status.expired": "기간 만료",
  "rx.status.cancelled": "취소됨",
  "rx.status.stopped": "중단됨",
  "rx.status.entered-in-error": "철회됨 (잘못 입력됨)",
  "rx.status.completed": "조제 완료",
  "rx.line": "{institution} 발행: 조제 {fills}회 중 {dispensed}회 완료.",
  "rx.pharmacy": "{pharmacy}에서만 조제.",
  "rx.anyPharmacy": "어느 약국에서나 조제 가능.",
  "rx.validUntil": "블록 #{block}({time})까지 조제할 수 있습니다.",

  "cert.line": "{institution} 발급 {kind}",

  "institution.named": "{name} ({id}번)",
  "institution.numbered": "{id}번 기관",

  "error.file": "먼저 문서 파일을 선택하세요.",
  "error.salt": "솔트는 32바이트로, 16진수(0–9, a–f) 64자여야 합니다. 0x는 있어도 없어도 됩니다.",
  "error.custodian": "기관 번호를 입력하세요 (0 이상의 정수).",
  "error.recordId": "기록 ID를 입력하세요 (최대 64바이트).",
  "error.address":
    "올바른 계정 주소가 아닙니다. 확인 후 다시 시도하세요. 5로 시작하며 약 48자의 영문자와 숫자입니다.",
  "error.crypto":
    "이 브라우저에서는 지문을 계산할 수 없습니다. https로 열거나 이 컴퓨터(localhost)에서 여세요.",
  "error.readFile": "파일을 읽을 수 없습니다.",
  "error.connection": "{url} 노드에 연결할 수 없습니다. 설정에서 노드 주소를 확인하세요.",
  "error.timeout": "노드가 제시간에 응답하지 않았습니다. 다시 시도하세요.",
  "error.node": "노드가 지금 이 질문에 답할 수 없습니다. 나중에 다시 시도하세요.",
  "error.invalid": "노드가 이 요청을 받아들이지 않았습니다. 입력한 내용을 확인하세요.",
  "error.unknown": "문제가 발생했습니다. 다시 시도하세요.",

  // ---- Patient portal: keyring, registrations, consent editor, transactions (issue 18) ----
  "nav.consents": "내 동의",
  "consents.title": "내 동의",
  "consents.intro":
    "어느 기관이 내 기록을 어떤 목적으로 언제까지 받을 수 있는지 정합니다. 비밀 문구는 이 브라우저에 암호로 잠겨 보관되며, 각 병원은 이 문구로 만든 서로 다른 가명으로 나를 압니다.",
  "consents.refresh": "체인에서 다시 읽기",
  "keys.title": "내 비밀 문구",
  "keys.intro":
    "비밀 문구로 병원마다 하나씩 가명을 만듭니다. 이 브라우저에만 암호로 잠겨 보관되며 어디로도 보내지 않습니다.",
  "keys.reading": "이 브라우저에 보관된 비밀 문구를 찾는 중…",
  "keys.new": "새 비밀 문구 만들기",
  "keys.import": "내 비밀 문구 가져오기",
  "keys.cancel": "취소",
  "keys.phrase.label": "새 비밀 문구",
  "keys.phrase.warning":
    "이 12개 단어를 순서대로 적어 안전한 곳에 보관하세요. 지금 한 번만 보여 드립니다. 암호를 잊거나 이 기기를 잃어버리면 이 단어들만이 복구 수단입니다.",
  "keys.written": "단어를 적어 안전하게 보관했습니다",
  "keys.phraseInput": "내 비밀 문구",
  "keys.phraseInput.help": "12개 또는 24개 단어를 띄어쓰기로 구분해 입력하세요.",
  "keys.pass": "이 브라우저용 암호",
  "keys.pass.help": "8자 이상. 이 브라우저에서 비밀 문구를 잠그는 데만 쓰이며 어디로도 보내지 않습니다.",
  "keys.pass2": "암호 다시 입력",
  "keys.save": "암호로 잠그고 열기",
  "keys.saving": "암호화하는 중…",
  "keys.locked": "이 브라우저에 비밀 문구가 암호로 잠겨 보관되어 있습니다. 암호를 입력해 여세요.",
  "keys.unlockPass": "암호",
  "keys.unlock": "열기",
  "keys.unlocking": "여는 중…",
  "keys.unlocked": "열렸습니다. 키는 이 탭의 메모리에만 있으며, 15분 동안 아무 동작이 없으면 잠깁니다.",
  "keys.idleLocked": "15분 동안 동작이 없어 잠겼습니다.",
  "keys.lock": "잠그기",
  "keys.forget": "이 브라우저에서 비밀 문구 삭제",
  "keys.forgetConfirm": "완전히 삭제할까요? 한 번 더 누르면 삭제합니다.",
  "keys.forgotten": "이 브라우저에서 비밀 문구를 삭제했습니다. 적어 둔 문구로 다시 가져올 수 있습니다.",
  "keys.error.wrong": "이 암호로는 이 브라우저에 보관된 비밀 문구를 열 수 없습니다. 아무것도 바뀌지 않았습니다. 다시 시도하세요.",
  "keys.error.phrase": "올바른 비밀 문구가 아닙니다. 단어와 순서를 확인하세요.",
  "keys.error.passShort": "암호는 8자 이상이어야 합니다.",
  "keys.error.passMismatch": "두 암호가 다릅니다.",
  "keys.error.written": "단어를 적었는지 확인해 주세요. 한 번만 보여 드립니다.",
  "keys.error.storage": "이 브라우저는 비밀 문구를 보관할 수 없습니다 (시크릿 창이거나 저장소가 꺼져 있음).",
  "keys.needed": "비밀 문구를 열면 내 병원과 내 동의를 볼 수 있습니다.",

  "hospitals.title": "내 병원",
  "hospitals.loading": "등록 정보를 읽는 중…",
  "hospitals.none": "아직 나를 등록한 병원이 없습니다.",
  "hospitals.registered": "{institution}: 등록되어 있습니다.",
  "hospitals.pending":
    "{institution}이(가) 나를 등록하려고 요청했습니다. 요청은 {time}경 만료됩니다. 직접 요청한 경우에만 확인하세요.",
  "hospitals.expired": "{institution}의 등록 요청이 만료되었습니다. 병원에 다시 등록을 요청하세요.",
  "hospitals.confirm": "{institution} 등록 확인",
  "hospitals.pseudonym": "그 병원에서의 내 가명",

  "acting.label": "어느 병원의 가명으로",
  "acting.help": "동의는 이 병원이 보관하는 내 기록에 적용됩니다.",

  "allowance.today": "오늘 남은 무료 처리: {total}회 중 {left}회",
  "allowance.period": "{hours}시간 기간 중 남은 무료 처리: {total}회 중 {left}회",
  "allowance.resets": "{time}경 다시 채워집니다.",

  "editor.title": "동의하기",
  "editor.recipient": "내 기록을 받을 기관",
  "editor.recipient.choose": "기관을 선택하세요…",
  "editor.recipient.help": "체인에 등록된 기관의 이름입니다.",
  "editor.scope": "어떤 기록을",
  "editor.scope.help": "기록 종류나 특정 기록, 또는 둘 다 고르세요.",
  "editor.categories": "기록 종류",
  "editor.records": "특정 기록",
  "editor.records.none": "이 병원이 아직 내 기록을 등록하지 않았습니다.",
  "editor.record": "{category} (기록 {id})",
  "editor.purposes": "어떤 목적으로",
  "editor.until": "언제까지 (이 날 포함)",
  "editor.until.help":
    "이 날이 끝나면 동의도 끝납니다. 체인은 블록 단위로 시간을 세므로, 체인 시계로 날짜를 블록 번호로 바꾸고 내림합니다. 고른 날보다 길어지지 않습니다.",
  "editor.from": "언제부터 (선택)",
  "editor.from.help": "비워 두면 지금부터. 나중 날짜는 그 날의 시작부터입니다 (올림).",
  "editor.submit": "동의하기",
  "editor.invalid": "표시된 항목을 확인하세요. 아무것도 보내지 않았습니다.",

  "consent.error.recipient": "내 기록을 받을 기관을 고르세요.",
  "consent.error.scope": "기록 종류나 특정 기록을 하나 이상 고르세요.",
  "consent.error.purposes": "목적을 하나 이상 고르세요.",
  "consent.error.untilMissing": "동의의 마지막 날을 고르세요.",
  "consent.error.untilPast": "이미 지난 날입니다. 오늘이나 그 이후 날짜를 고르세요.",
  "consent.error.date": "올바른 날짜가 아닙니다.",
  "consent.error.noClock": "아직 체인의 시계를 모릅니다. 잠시 후 다시 시도하세요.",
  "consent.error.tooLong": "동의는 최대 {days}일까지 가능합니다. 더 이른 날을 고르세요.",
  "consent.error.fromAfterUntil": "시작일은 마지막 날보다 앞서야 합니다.",

  "list.title": "내 동의 목록",
  "list.loading": "동의를 읽는 중…",
  "list.empty": "이 가명으로 한 동의가 없습니다.",
  "list.sentence": "{recipient}은(는) {purposes} 목적으로 내 {scope}을(를) 받을 수 있습니다.",
  "list.scope.record": "기록 {id}",
  "list.until": "{time}경까지 (블록 #{block}).",
  "list.from": "{time}경부터 (블록 #{block}).",
  "list.revokedFrom": "블록 #{block}부터 철회되었습니다.",
  "list.note": "끝난 동의는 다음에 동의할 때 이 목록에서 빠집니다.",
  "list.state.active": "유효",
  "list.state.notYetValid": "아직 시작 전",
  "list.state.expired": "기간 만료",
  "list.state.revoked": "철회됨",
  "list.revoke": "철회",
  "list.revoke.label": "{recipient}에 대한 동의 {id}번 철회",
  "list.number": "동의 {id}번",

  "tx.label": "처리 진행 상황",
  "tx.what.grant": "{recipient}에 동의하는 중",
  "tx.what.revoke": "동의 {id}번을 철회하는 중",
  "tx.what.confirm": "{institution} 등록을 확인하는 중",
  "tx.stage.signing": "이 브라우저에서 서명하는 중…",
  "tx.stage.submitted": "서명해 보냈습니다. 블록을 기다리는 중…",
  "tx.stage.inBlock": "블록 #{block}에 들어갔습니다. 확정을 기다리는 중…",
  "tx.stage.finalized": "완료: 블록 #{block}에서 확정되었습니다.",
  "tx.stage.failed": "처리되지 않았습니다.",
  "tx.finalityLate": "블록 #{block}에 들어갔지만 기다리는 동안 확정되지 않았습니다. 곧 확정될 가능성이 큽니다. 나중에 다시 확인하세요.",
  "tx.error.module": "체인이 거부했습니다: {doc}",
  "tx.error.moduleNoDoc": "체인이 거부했습니다 ({name}).",
  "tx.error.badOrigin": "체인이 거부했습니다: 이 키로는 할 수 없는 일입니다.",
  "tx.error.funds": "체인이 거부했습니다: 잔액이 부족합니다.",
  "tx.error.dispatch": "체인이 거부했습니다 ({name}).",
  "tx.error.signing": "서명할 수 없었습니다. 비밀 문구를 열고 다시 시도하세요.",
  "tx.error.unknown": "보내는 중 문제가 생겼습니다. 다시 시도하기 전에 목록을 확인하세요.",
  "tx.invalid.payment":
    "노드가 받지 않았습니다. 무료 처리가 아니며(남은 무료 처리가 없거나 여기서 환자가 할 수 있는 일이 아님) 이 가명에는 수수료를 낼 잔액이 없습니다. 아무것도 처리되지 않았습니다.",
  "tx.invalid.stale": "노드가 받지 않았습니다. 이 가명의 다른 처리가 먼저 들어갔습니다 (지난 논스). 아무것도 처리되지 않았습니다. 다시 시도하세요.",
  "tx.invalid.future": "노드가 아직 받지 않았습니다. 이 가명의 이전 처리가 아직 기다리는 중입니다.",
  "tx.invalid.ancient": "노드가 받지 않았습니다. 서명한 지 너무 오래되었습니다. 다시 시도하세요.",
  "tx.invalid.badProof": "노드가 받지 않았습니다. 서명이 맞지 않습니다.",
  "tx.invalid.busy": "노드가 받지 않았습니다. 블록이 가득 찼습니다. 잠시 후 다시 시도하세요.",
  "tx.invalid.call": "노드가 받지 않았습니다. 지금은 할 수 없는 일입니다.",
  "tx.invalid.duplicate": "이미 보낸 처리이며 블록을 기다리는 중입니다.",
  "tx.invalid.other": "노드가 받지 않았습니다 ({name}). 아무것도 처리되지 않았습니다.",
  "tx.timeout.inBlock": "{seconds}초 안에 블록에 들어가지 않았습니다. 나중에 들어갈 수도 있으니 다시 시도하기 전에 목록을 확인하세요.",
};

export type Lang = "en" | "ko";
export const LANGS: Record<Lang, Strings> = { en, ko };

let current: Lang = "en";

export function setLang(lang: Lang): void {
  current = lang;
}

export function getLang(): Lang {
  return current;
}

/** The string `key` in the current language, with `{name}` placeholders filled. */
export function t(key: Key, params: Record<string, string | number> = {}): string {
  return format(LANGS[current][key], params);
}

export function format(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** The placeholders a template uses, sorted (for the completeness test). */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}

/** The language to start in: a saved choice, else the browser's, else English. */
export function initialLang(saved: string | null, browser: readonly string[]): Lang {
  if (saved === "en" || saved === "ko") return saved;
  return browser.some((l) => l.toLowerCase().startsWith("ko")) ? "ko" : "en";
}

/** The unfilled template of `key` in the current language. */
export function template(key: Key): string {
  return LANGS[current][key];
}
