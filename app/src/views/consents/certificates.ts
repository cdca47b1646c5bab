// The acting pseudonym's certificates (#my-certificates) with "I showed this certificate": one
// `Certificates.log_verification` signed by the pseudonym (the certificate's subject) through
// the screen's progress machinery. The chain gets only the verifier commitment,
// SHA-256(fresh salt ‖ name); the name typed in "to whom" and the salt stay in this browser
// (src/shown.ts), where the timeline on #/patient reads them back. It lives here, not on the
// read-only #/patient, because signing needs the keyring (docs/app.md, "Decisions").

import type { Chain } from "../../chain";
import { h } from "../../dom";
import { t, type Key } from "../../i18n";
import type { SubjectCertificate } from "../../rpc-types";
import { browserMemory, freshSalt, rememberShown, verifierCommitment } from "../../shown";
import { toHex } from "../../hash";
import { certificateState, certificateTone } from "../../words";
import { formatDate } from "../common";
import { describedBy, institutionName, message, rerenderApp, state, type Data } from "./state";
import { actingOf } from "./acting";
import { transact, txInFlight } from "./transact";

/** A short id for a certificate's controls (the document hash's first 16 hex digits). */
const idOf = (c: SubjectCertificate) => c.documentHash.slice(2, 18);

async function logShown(chain: Chain, data: Data, c: SubjectCertificate): Promise<void> {
  const me = actingOf(data);
  if (!me || txInFlight()) return;
  const name = state.shownTo[c.documentHash] ?? "";
  const salt = freshSalt();
  let verifier: `0x${string}`;
  try {
    verifier = await verifierCommitment(salt, name);
  } catch {
    state.shownNote = { key: "shown.noCrypto" };
    rerenderApp();
    return;
  }
  state.shownNote = null;
  // Remembered before sending: a commitment no entry on chain refers to is never shown.
  const memory = browserMemory();
  if (memory) rememberShown(memory, c.documentHash, verifier, { name, salt: toHex(salt) as `0x${string}` });
  const what = { key: "tx.what.shown" as const, params: { kind: t(`kind.${c.kind}` as Key), institution: institutionName(data, c.institution) } };
  await transact(chain, what, me.address, () => chain.api.tx.Certificates.log_verification({ document_hash: c.documentHash, verifier }));
  if (state.tx?.progress.stage !== "failed") delete state.shownTo[c.documentHash];
  rerenderApp();
}

function item(chain: Chain, data: Data, c: SubjectCertificate): HTMLElement {
  const st = certificateState(c.validity);
  const id = idOf(c);
  const institution = institutionName(data, c.institution);
  const kind = t(`kind.${c.kind}` as Key);
  const input = h("input", {
    type: "text",
    id: `shown-to-${id}`,
    value: state.shownTo[c.documentHash] ?? "",
    autocomplete: "off",
    maxlength: 200,
    "aria-describedby": `shown-to-${id}-help`,
  });
  input.addEventListener("input", () => (state.shownTo[c.documentHash] = input.value));
  return h(
    "li",
    { class: `item tone-${certificateTone(st)}`, "data-state": st, "data-document": c.documentHash },
    h("p", { class: "item-title" }, t("cert.line", { kind, institution })),
    h("p", { class: "item-status" }, t(`cert.${st}.title` as Key)),
    h(
      "p",
      { class: "small" },
      c.validUntilMs === null
        ? t("cert.period.open", { from: formatDate(c.validFromMs) })
        : t("cert.period.range", { from: formatDate(c.validFromMs), until: formatDate(c.validUntilMs) }),
    ),
    h(
      "div",
      { class: "field" },
      h("label", { for: `shown-to-${id}` }, t("shown.to")),
      input,
      h("p", { class: "help", id: `shown-to-${id}-help` }, t("shown.to.help")),
    ),
    h(
      "button",
      {
        type: "button",
        id: `shown-${id}`,
        disabled: txInFlight(),
        "aria-label": t("shown.button.label", { kind, institution }),
        "aria-describedby": describedBy(state.shownNote && "shown-error", "shown-fee"),
        onclick: () => void logShown(chain, data, c),
      },
      t("shown.button"),
    ),
  );
}

export function certificatesCard(chain: Chain, data: Data): HTMLElement {
  return h(
    "section",
    { class: "card", id: "my-certificates", "aria-labelledby": "my-certificates-title" },
    h("h3", { id: "my-certificates-title" }, t("shown.title")),
    h("p", { class: "intro" }, t("shown.intro")),
    data.certificates.length
      ? h("ul", { class: "items" }, data.certificates.map((c) => item(chain, data, c)))
      : h("p", { class: "empty" }, t("shown.empty")),
    data.certificates.length ? h("p", { class: "help", id: "shown-fee" }, t("shown.fee")) : null,
    state.shownNote ? h("div", { role: "alert" }, message(state.shownNote, "shown-error")) : null,
  );
}
