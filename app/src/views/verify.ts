// Hospital portal, "verify a document": the file and its salt are hashed here (WebCrypto), and
// the node answers `records_verify` or `certificates_verify`.

import type { Chain } from "../chain";
import { h } from "../dom";
import { contentHash, parseRecordId, parseSalt, toHex } from "../hash";
import { t, type Key } from "../i18n";
import type { CertificateVerifyAnswer, Hex } from "../rpc-types";
import { certificateVerdict, recordVerdict } from "../words";
import {
  field,
  formatDate,
  formatDateTime,
  institutionLabel,
  problemBox,
  problemOf,
  resolveNames,
  resultBox,
  type Problem,
} from "./common";
import { proveRecord, recordProofLine, type ProvableRecord } from "./verify-proof";

type Kind = "record" | "certificate";

type Outcome =
  | ({ kind: "record"; recordId: string; names: Map<number, string | null> } & ProvableRecord)
  | { kind: "certificate"; hash: string; answer: CertificateVerifyAnswer; names: Map<number, string | null> }
  | { problem: Problem };

interface State {
  kind: Kind;
  file: File | null;
  salt: string;
  custodian: string;
  recordId: string;
  busy: boolean;
  outcome: Outcome | null;
}

const state: State = { kind: "record", file: null, salt: "", custodian: "", recordId: "", busy: false, outcome: null };

export function verifyView(chain: Chain, rerender: () => void): HTMLElement {
  const fileInput = h("input", {
    type: "file",
    id: "verify-file",
    class: "visually-hidden",
    "aria-describedby": "verify-file-chosen",
  });
  fileInput.addEventListener("change", () => {
    state.file = fileInput.files?.[0] ?? null;
    rerender();
    document.getElementById("verify-file")?.focus();
  });

  const drop = h(
    "div",
    { class: "drop", id: "drop-zone" },
    h("p", { class: "drop-label", id: "verify-file-label" }, t("verify.file")),
    h(
      "p",
      { class: "drop-hint" },
      h("span", { "aria-hidden": "true" }, t("verify.file.drop"), " "),
      fileInput,
      h("label", { for: "verify-file", class: "button-like" }, t("verify.file.choose")),
    ),
    h(
      "p",
      { class: "chosen", id: "verify-file-chosen", "aria-live": "polite" },
      state.file ? t("verify.file.chosen", { name: state.file.name, size: state.file.size }) : t("verify.file.none"),
    ),
  );
  drop.addEventListener("dragover", (e) => {
    e.preventDefault();
    drop.classList.add("over");
  });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    const file = e.dataTransfer?.files?.[0];
    if (file) {
      state.file = file;
      rerender();
    }
  });

  const salt = h("input", {
    type: "text",
    value: state.salt,
    autocomplete: "off",
    spellcheck: "false",
    inputmode: "text",
    class: "mono",
  });
  salt.addEventListener("input", () => (state.salt = salt.value));

  const custodian = h("input", { type: "text", inputmode: "numeric", value: state.custodian, autocomplete: "off" });
  custodian.addEventListener("input", () => (state.custodian = custodian.value));
  const recordId = h("input", { type: "text", value: state.recordId, autocomplete: "off", spellcheck: "false" });
  recordId.addEventListener("input", () => (state.recordId = recordId.value));

  const kindChoice = (kind: Kind, label: Key) => {
    const input = h("input", { type: "radio", name: "verify-kind", id: `verify-kind-${kind}`, value: kind });
    input.checked = state.kind === kind;
    input.addEventListener("change", () => {
      state.kind = kind;
      state.outcome = null;
      rerender();
      document.getElementById(`verify-kind-${kind}`)?.focus();
    });
    return h("div", { class: "choice" }, input, h("label", { for: `verify-kind-${kind}` }, t(label)));
  };

  const form = h(
    "form",
    { class: "card", novalidate: true, "aria-labelledby": "verify-title" },
    h(
      "fieldset",
      {},
      h("legend", {}, t("verify.kind")),
      h("div", { class: "choices" }, kindChoice("record", "verify.kind.record"), kindChoice("certificate", "verify.kind.certificate")),
    ),
    drop,
    field("verify-salt", t("verify.salt"), t("verify.salt.help"), salt),
    state.kind === "record"
      ? h(
          "div",
          { class: "row" },
          field("verify-custodian", t("verify.custodian"), t("verify.custodian.help"), custodian),
          field("verify-record", t("verify.recordId"), t("verify.recordId.help"), recordId),
        )
      : null,
    h(
      "button",
      { type: "submit", class: "primary", id: "verify-submit", disabled: state.busy },
      state.busy ? t("verify.busy") : t("verify.submit"),
    ),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    void submit(chain, rerender);
  });

  return h(
    "section",
    { class: "view", "aria-labelledby": "verify-title" },
    h("h2", { id: "verify-title" }, t("verify.title")),
    h("p", { class: "intro" }, t("verify.intro")),
    form,
    h("div", { id: "verify-result", class: "result-area", "aria-live": "polite" }, outcomeView(state.outcome)),
  );
}

async function submit(chain: Chain, rerender: () => void): Promise<void> {
  if (state.busy) return;
  const fail = (key: Key) => {
    state.outcome = { problem: { key } };
    rerender();
  };
  if (!state.file) return fail("error.file");
  const salt = parseSalt(state.salt);
  if (!salt) return fail("error.salt");
  let custodian = 0;
  let recordId: Uint8Array | null = null;
  if (state.kind === "record") {
    if (!/^\s*\d{1,10}\s*$/.test(state.custodian) || Number(state.custodian) > 0xffffffff) return fail("error.custodian");
    custodian = Number(state.custodian);
    recordId = parseRecordId(state.recordId);
    if (!recordId) return fail("error.recordId");
  }
  state.busy = true;
  state.outcome = null;
  rerender();
  try {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await state.file.arrayBuffer());
    } catch {
      state.outcome = { problem: { key: "error.readFile" } };
      return;
    }
    const hash = await contentHash(salt, bytes);
    if (state.kind === "record" && recordId) {
      const answer = await chain.rpc("records_verify", [custodian, toHex(recordId), hash]);
      const names = await resolveNames(chain, [custodian]);
      const outcome: Outcome = {
        kind: "record",
        hash: hash as Hex,
        answer,
        custodian,
        recordId: state.recordId.trim(),
        recordIdBytes: recordId,
        names,
        proof: { state: "checking" },
      };
      state.outcome = outcome;
      // The same answer read through this browser's light client (verify-proof.ts).
      proveRecord(chain, outcome, () => state.outcome === outcome);
    } else {
      const answer = await chain.rpc("certificates_verify", [hash]);
      const names = await resolveNames(chain, answer.found ? [answer.institution] : []);
      state.outcome = { kind: "certificate", hash, answer, names };
    }
  } catch (e) {
    state.outcome = { problem: problemOf(e, chain) };
  } finally {
    state.busy = false;
    rerender();
    document.getElementById("verify-result")?.querySelector<HTMLElement>(".result-title")?.focus();
  }
}

function outcomeView(outcome: Outcome | null): HTMLElement | null {
  if (!outcome) return null;
  if ("problem" in outcome) return problemBox(outcome.problem);
  const hashDetail: [string, Node | string] = [t("verify.hash"), h("code", { class: "hash" }, outcome.hash)];
  if (outcome.kind === "record") {
    const v = recordVerdict(outcome.answer, { custodian: outcome.custodian, recordId: outcome.recordId });
    const params = { ...v.params, custodian: institutionLabel(outcome.custodian, outcome.names) };
    const details: Array<[string, Node | string]> = [];
    if (outcome.answer.found) {
      details.push([t("record.category"), t(`category.${outcome.answer.category}` as Key)]);
      const version = outcome.answer.matched ?? outcome.answer.current;
      details.push([t("record.anchoredAt"), formatDateTime(version.anchoredAtMs)]);
    }
    details.push(hashDetail);
    return h("div", {}, resultBox(v.tone, v.state, t(v.title, params), t(v.body, params), details), recordProofLine(outcome.proof));
  }
  const v = certificateVerdict(outcome.answer);
  const details: Array<[string, Node | string]> = [];
  let params = v.params;
  if (outcome.answer.found) {
    const a = outcome.answer;
    const institution = institutionLabel(a.institution, outcome.names);
    params = { ...params, institution };
    details.push([t("cert.kind"), t(`kind.${a.kind}` as Key)]);
    details.push([t("cert.institution"), institution]);
    details.push([
      t("cert.period"),
      a.validUntilMs === null
        ? t("cert.period.open", { from: formatDate(a.validFromMs) })
        : t("cert.period.range", { from: formatDate(a.validFromMs), until: formatDate(a.validUntilMs) }),
    ]);
  }
  details.push(hashDetail);
  return resultBox(v.tone, v.state, t(v.title, params), t(v.body, params), details);
}
