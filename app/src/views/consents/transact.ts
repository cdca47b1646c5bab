// The signing screen's transactions: signed with the pseudonym of one hospital (or a guardian
// key for a ward), their progress
// in the live region #tx-progress (views/progress.ts's lines; a failure's reason is #tx-problem),
// the screen read again once in a block and at the end.

import type { PolkadotSigner } from "polkadot-api";
import type { Chain } from "../../chain";
import { h } from "../../dom";
import { t } from "../../i18n";
import { send } from "../../tx";
import { errorDocs } from "../common";
import { keyring, spacingFor } from "../patient-keys";
import { progressLines, underWay } from "../progress";
import { signerFor } from "./acting";
import { loadAll } from "./load";
import { rerenderApp, state, type Message } from "./state";

const lines = (): HTMLElement[] => (state.tx ? progressLines(state.tx.what, state.tx.progress, "tx-problem") : []);

/** A transaction is on its way (signing, sent, or in a block and not yet finalized). */
export const txInFlight = (): boolean => underWay(state.tx?.progress);

/** The live region of the transaction's progress. */
export function progressRegion(): HTMLElement {
  return h(
    "div",
    { id: "tx-progress", class: "tx-progress", role: "status", "aria-live": "polite", "aria-label": t("tx.label"), tabindex: -1, "data-stage": state.tx?.progress.stage ?? "" },
    lines(),
  );
}

function showProgress(): void {
  const region = document.getElementById("tx-progress");
  if (region) region.replaceChildren(...lines());
  if (region) region.dataset.stage = state.tx?.progress.stage ?? "";
}

/**
 * Signs and sends `build()`. `signerOf`: the patient's own pseudonym at that custodian (a
 * number), or the address of a pseudonym acted for — a ward's is signed with the guardian key
 * (acting.ts, `signerFor`).
 */
export async function transact(chain: Chain, what: Message, signerOf: number | string, build: () => Parameters<typeof send>[0]): Promise<void> {
  const data = state.data;
  if (!data || !keyring.unlocked || txInFlight()) return;
  let tx: Parameters<typeof send>[0];
  let signer: PolkadotSigner;
  try {
    signer = signerFor(data, signerOf);
    tx = build();
  } catch (e) {
    console.warn("transaction", e);
    state.tx = { what, progress: { stage: "failed", problem: { key: "tx.error.unknown" } } };
    rerenderApp();
    return;
  }
  state.tx = { what, progress: { stage: "signing" } };
  rerenderApp();
  document.getElementById("tx-progress")?.focus();
  let refreshedAt: number | undefined;
  const last = await send(
    tx,
    signer,
    (progress) => {
      state.tx = { what, progress };
      showProgress();
      if (progress.stage === "inBlock" && refreshedAt !== progress.block) {
        refreshedAt = progress.block;
        void loadAll(chain);
      }
    },
    { docs: () => errorDocs(chain), spacing: spacingFor(signer) },
  );
  state.tx = { what, progress: last };
  await loadAll(chain);
}
