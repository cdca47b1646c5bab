//! The exchange between gateways (docs/relay.md): a requester's gateway asks the chain for a
//! patient's records held by another hospital; the custodian's gateway packs them, seals the
//! package to the requesting device (`package.rs`), hands it to the relay and posts the
//! receipt; the requester's gateway downloads, checks and decrypts it, verifies every record
//! against the chain, keeps the documents with their provenance, and confirms (or disputes).
//!
//! Both sides are driven by the chain's **finalized** state, not by events: every pass
//! ([`worker`]) lists the custodian's pending requests and reconciles each exchange the
//! gateway tracks with the request as the chain holds it. A gateway that was stopped or lost
//! its node simply catches up on the next pass.
//!
//! Modules: [`onchain`] (what is read and called), [`custodian`], [`requester`],
//! [`received`] (documents received, with provenance), [`worker`] (the passes).

pub mod api;
pub mod custodian;
pub mod onchain;
pub mod received;
pub mod requester;
pub mod worker;

use crate::{store::Store, Error};
use codec::{Decode, Encode};
use redb::{ReadableDatabase, ReadableTable, TableDefinition};
use serde::Serialize;

/// Exchanges the gateway takes part in, by request id.
pub(crate) const EXCHANGES: TableDefinition<u64, &[u8]> = TableDefinition::new("exchanges");

/// Which side of an exchange this gateway is on.
#[derive(Encode, Decode, Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Role {
	/// It holds the records and delivers.
	Custodian,
	/// It asked for the records.
	Requester,
}

/// How far an exchange got, as this gateway sees it.
#[derive(Encode, Decode, Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase", tag = "status")]
pub enum Progress {
	/// Custodian: the request is waiting; the package is being made or uploaded.
	Preparing,
	/// Custodian: delivered in block `block` (the receipt is on chain).
	Delivered {
		/// The block.
		block: u32,
		/// The package's SHA-256 (hex).
		package: String,
		/// Its size.
		size: u64,
	},
	/// Custodian: declined (the fee refunded), for `reason`.
	Declined {
		/// Why.
		reason: String,
	},
	/// Requester: requested in block `block`, waiting for the delivery.
	Requested {
		/// The block.
		block: u32,
	},
	/// Requester: the records were received and verified; `confirm` is next.
	Received {
		/// How many records.
		records: u32,
	},
	/// Requester: confirmed in block `block`: the fee was paid out.
	Confirmed {
		/// The block.
		block: u32,
	},
	/// Requester: disputed, for `reason`; the package is kept as evidence.
	Disputed {
		/// The chain's dispute reason.
		reason: String,
		/// What was found.
		detail: String,
	},
	/// Either: the chain refunded the fee (declined, expired, consent withdrawn, dispute
	/// upheld).
	Refunded {
		/// The chain's cause.
		cause: String,
	},
	/// Either: the chain paid the fee out (confirmed by the requester or by the chain).
	Completed,
}

impl Progress {
	/// Whether nothing more will happen to the exchange (a dispute waits for governance).
	pub fn is_final(&self) -> bool {
		matches!(
			self,
			Progress::Declined { .. }
				| Progress::Confirmed { .. }
				| Progress::Refunded { .. }
				| Progress::Completed
		)
	}
}

/// An exchange as the gateway tracks it.
#[derive(Encode, Decode, Clone, Debug, PartialEq, Eq)]
pub struct Tracked {
	/// This gateway's side.
	pub role: Role,
	/// How far it got.
	pub progress: Progress,
	/// The custodian institution.
	pub custodian: u32,
	/// The requesting institution.
	pub requester: u32,
	/// The patient's pseudonym at the custodian.
	pub patient: [u8; 32],
	/// The fee held.
	pub fee: u128,
	/// The delivery deadline (block).
	pub deadline: u32,
	/// The last thing that went wrong and will be retried, if any.
	pub problem: Option<String>,
}

fn decode(bytes: &[u8]) -> Result<Tracked, Error> {
	Tracked::decode(&mut &bytes[..]).map_err(|e| Error::Store(format!("exchange entry: {e}")))
}

impl Store {
	/// The exchange `id`, if this gateway takes part in it.
	pub fn exchange(&self, id: u64) -> Result<Option<Tracked>, Error> {
		let txn = self.db.begin_read()?;
		let table = txn.open_table(EXCHANGES)?;
		table.get(id)?.map(|v| decode(v.value())).transpose()
	}

	/// Every exchange not final yet, by id.
	pub fn open_exchanges(&self) -> Result<Vec<(u64, Tracked)>, Error> {
		let txn = self.db.begin_read()?;
		let table = txn.open_table(EXCHANGES)?;
		let mut out = Vec::new();
		for item in table.iter()? {
			let (id, value) = item?;
			let tracked = decode(value.value())?;
			if !tracked.progress.is_final() {
				out.push((id.value(), tracked));
			}
		}
		Ok(out)
	}

	/// Records the exchange `id` as it stands now.
	pub fn set_exchange(&self, id: u64, tracked: &Tracked) -> Result<(), Error> {
		let txn = self.db.begin_write()?;
		txn.open_table(EXCHANGES)?.insert(id, tracked.encode().as_slice())?;
		txn.commit()?;
		Ok(())
	}
}

/// What both sides of the exchange work with.
pub struct Context {
	/// The store (shared with the API and the pipeline).
	pub store: std::sync::Arc<std::sync::RwLock<Store>>,
	/// The device key and its signing lock (shared with the pipeline).
	pub signer: crate::chain::Signer,
	/// The device's institution.
	pub institution: u32,
	/// The device's X25519 secret (packages are sealed to its public half).
	pub encryption: zeroize::Zeroizing<[u8; 32]>,
	/// The chain's genesis hash (packages and relay requests are bound to it).
	pub genesis: [u8; 32],
	/// The relay this gateway uses, if one is configured.
	pub relay: Option<medchain_relay::client::RelayClient>,
	/// Where packages are made and received (`exchanges/` in the data directory).
	pub work: std::path::PathBuf,
	/// The largest document accepted in a package (as through the API).
	pub max_document: u64,
}

impl Context {
	/// The store, for reading (its methods take their own transactions).
	pub fn store(&self) -> Result<std::sync::RwLockReadGuard<'_, Store>, Error> {
		self.store.read().map_err(|_| Error::Store("the store's lock is poisoned".into()))
	}

	/// Updates the tracked exchange `id` with `change`, if it is tracked.
	pub fn update(&self, id: u64, change: impl FnOnce(&mut Tracked)) -> Result<(), Error> {
		let store = self.store()?;
		if let Some(mut tracked) = store.exchange(id)? {
			change(&mut tracked);
			store.set_exchange(id, &tracked)?;
		}
		Ok(())
	}
}
