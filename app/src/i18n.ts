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

  // The emergency card (views/card.ts).
  "nav.card": "Emergency card",
  "card.title": "Your emergency card",
  "card.intro":
    "In an emergency, a hospital's physician can open your records there only with this card: it carries, for each hospital, your pseudonym and a key that signs emergency requests and nothing else. No hospital can find you without it.",
  "card.warning":
    "Keep the card like an identity card. Whoever holds it can open an emergency access at the hospitals on it (each access is logged and shown to you). If you lose it, replace it here: the lost card stops working.",
  "card.locked": "Unlock your keys first (My keys): the card is made from your secret, in this browser.",
  "card.loading": "Reading your card keys from the chain…",
  "card.noHospital": "You have no confirmed registration at a hospital yet, so there is no card to make.",
  "card.row.none": "No card key registered: a card would not open anything here.",
  "card.row.current": "Card no. {n} is registered.",
  "card.row.foreign": "Another key is registered (made elsewhere, or an older card): this card would not work here.",
  "card.register": "Register a card key",
  "card.replace": "Replace (card lost)",
  "card.withdraw": "Withdraw",
  "card.busy": "Sending…",
  "card.empty": "No hospital has your card key yet: register one above to make the card.",
  "card.print.title": "MedChain emergency card",
  "card.qr.label": "QR code of the emergency card",
  "card.print.instructions":
    "For the emergency department: scan this code with your hospital's MedChain system to open an emergency access to this patient's records. Every access is recorded and shown to the patient.",
  "card.print.date": "Made on {date}",
  "card.print": "Print the card",
  "card.text.show": "Show the card's text",
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

  // 응급 카드 (views/card.ts).
  "nav.card": "응급 카드",
  "card.title": "나의 응급 카드",
  "card.intro":
    "응급 상황에서 병원 의사는 이 카드가 있어야만 그 병원의 기록을 열 수 있습니다. 카드에는 병원마다 나의 가명과, 응급 요청에만 서명하는 키가 들어 있습니다. 카드 없이는 어떤 병원도 나를 찾을 수 없습니다.",
  "card.warning":
    "신분증처럼 보관하세요. 카드를 가진 사람은 카드에 있는 병원에서 응급 열람을 열 수 있습니다(모든 열람은 기록되어 나에게 보입니다). 잃어버렸다면 여기에서 교체하세요. 잃어버린 카드는 더 이상 작동하지 않습니다.",
  "card.locked": "먼저 키를 잠금 해제하세요(내 키). 카드는 이 브라우저에서 나의 비밀로 만들어집니다.",
  "card.loading": "체인에서 카드 키를 읽는 중…",
  "card.noHospital": "아직 확인된 병원 등록이 없어 만들 카드가 없습니다.",
  "card.row.none": "등록된 카드 키가 없습니다. 이 병원에서는 카드가 아무것도 열지 못합니다.",
  "card.row.current": "{n}번 카드가 등록되어 있습니다.",
  "card.row.foreign": "다른 키가 등록되어 있습니다(다른 곳에서 만들었거나 이전 카드). 이 카드는 이 병원에서 작동하지 않습니다.",
  "card.register": "카드 키 등록",
  "card.replace": "교체(카드 분실)",
  "card.withdraw": "철회",
  "card.busy": "보내는 중…",
  "card.empty": "아직 카드 키가 등록된 병원이 없습니다. 위에서 등록하면 카드가 만들어집니다.",
  "card.print.title": "MedChain 응급 카드",
  "card.qr.label": "응급 카드의 QR 코드",
  "card.print.instructions":
    "응급실 담당자께: 병원의 MedChain 시스템으로 이 코드를 읽으면 이 환자의 기록에 대한 응급 열람이 열립니다. 모든 열람은 기록되어 환자에게 보입니다.",
  "card.print.date": "{date} 발급",
  "card.print": "카드 인쇄",
  "card.text.show": "카드 내용 보기",
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
