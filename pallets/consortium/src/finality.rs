//! Recovering from stalled finality.
//!
//! GRANDPA finalizes a block when more than two thirds of the validators' voters agree. If too
//! many of them are gone for good (a hospital's node and keys lost, several hospitals leaving
//! at once), finality stalls while Aura goes on producing blocks, and a normal change of the
//! validator set cannot take effect: GRANDPA enacts a new voter set only when the block that
//! announces it is finalized.
//!
//! [`Pallet::note_stalled_finality`](crate::Pallet::note_stalled_finality) is the way out,
//! decided by the council like a runtime upgrade (two thirds): at the next session change the
//! session's validators become GRANDPA's voters by a *forced* change, enacted `delay` blocks
//! later on the best chain without waiting for finality, and the new voters resume finalizing
//! from `best_finalized`. The council first fixes the validator set (remove the lost nodes,
//! add replacements) so that the forced set can finalize. The procedure is in
//! docs/governance.md ("Recovering from stalled finality").

use sp_runtime::DispatchResult;

/// The finality gadget's stall handling, as the runtime provides it (GRANDPA's
/// `note_stalled`).
pub trait FinalityRecovery<BlockNumber> {
	/// Schedule a forced change of the finality voters at the next session change, enacted
	/// `delay` blocks after it, voting on from block `best_finalized`.
	fn note_stalled(delay: BlockNumber, best_finalized: BlockNumber) -> DispatchResult;
}
