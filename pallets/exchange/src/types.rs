//! What the chain keeps about an exchange of records between two institutions: who asked whom
//! for what, the fee held, the delivery receipt and where the exchange stands. No medical
//! content: institution ids, pseudonymous accounts, record ids, category codes, hashes, sizes
//! and amounts only.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::Get, BoundedVec};
use pallet_consent::{Purpose, Reason};
use pallet_institutions::InstitutionId;
use pallet_records::Category;
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_core::H256;

/// Identifier of an exchange request, assigned in order.
pub type RequestId = u64;

/// Balances in JSON as decimal strings (one definition for every pallet).
pub use pallet_institutions::amount_string;

/// Why the requester disputes a delivery.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Serialize,
	Deserialize,
)]
pub enum DisputeReason {
	/// The package received does not hash to the receipt's `package_hash`, or its size differs.
	PackageMismatch,
	/// Records that were requested are missing from the package.
	MissingRecords,
	/// A document in the package does not match its anchored hash.
	RecordMismatch,
	/// The package cannot be decrypted with the requester's key.
	Undecryptable,
	/// Paying out failed when the delivery auto-confirmed (a payee account cannot receive);
	/// set by the chain, not by a requester.
	PayoutFailed,
}

/// How governance settles a dispute.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Serialize,
	Deserialize,
)]
pub enum DisputeOutcome {
	/// The requester is right: the fee is refunded.
	Upheld,
	/// The delivery was good: the provider and the relay operator are paid.
	Rejected,
}

/// Why a fee went back to the requester.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
pub enum RefundCause {
	/// Not delivered by the deadline.
	Expired,
	/// The custodian declined the request.
	Declined,
	/// The consent no longer permitted the release when the custodian delivered (revoked,
	/// expired, a deny provision...): nothing was released.
	ConsentWithdrawn(Reason),
	/// Governance upheld the requester's dispute.
	DisputeUpheld,
}

/// Where an exchange stands (docs/exchange.md has the state machine).
#[derive(
	Encode,
	Decode,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum Status<BlockNumber> {
	/// Waiting for the custodian's delivery until the request's deadline; the fee is held.
	Requested,
	/// Delivered; the requester may confirm or dispute before `dispute_until`, when it
	/// confirms by itself. The fee is held.
	Delivered {
		/// First block at which a dispute is no longer accepted (and the exchange
		/// auto-confirms).
		dispute_until: BlockNumber,
	},
	/// Disputed; governance decides. The fee is held.
	Disputed {
		/// Why.
		reason: DisputeReason,
		/// Block of the dispute.
		at: BlockNumber,
	},
	/// Paid: provider and relay operator received their shares.
	Completed {
		/// Block of payment.
		at: BlockNumber,
		/// Confirmed by the chain after the dispute window, not by the requester.
		automatic: bool,
	},
	/// The fee went back to the requester.
	Refunded {
		/// Block of the refund.
		at: BlockNumber,
		/// Why.
		cause: RefundCause,
	},
}

impl<BlockNumber> Status<BlockNumber> {
	/// Whether the fee is still held for this exchange.
	pub fn is_open(&self) -> bool {
		matches!(self, Self::Requested | Self::Delivered { .. } | Self::Disputed { .. })
	}
}

/// What is requested: specific records of the custodian and/or whole categories (IHE XDS
/// stored query by id or by class code).
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[scale_info(skip_type_params(MaxRecords, MaxCategories, MaxIdLen))]
pub struct Items<MaxRecords: Get<u32>, MaxCategories: Get<u32>, MaxIdLen: Get<u32>> {
	/// Record ids at the custodian.
	pub records: BoundedVec<BoundedVec<u8, MaxIdLen>, MaxRecords>,
	/// Categories of the patient's records at the custodian.
	pub categories: BoundedVec<Category, MaxCategories>,
}

/// A request for a patient's records, with its fee held from `payer`.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[scale_info(skip_type_params(MaxRecords, MaxCategories, MaxIdLen))]
pub struct ExchangeRequest<
	AccountId,
	Balance,
	BlockNumber,
	MaxRecords: Get<u32>,
	MaxCategories: Get<u32>,
	MaxIdLen: Get<u32>,
> {
	/// The institution asking (the consent's grantee).
	pub requester: InstitutionId,
	/// The requester's device that signed and whose account holds the fee (refunds go back
	/// to it).
	pub payer: AccountId,
	/// The institution holding the records.
	pub custodian: InstitutionId,
	/// The patient the records are about.
	pub patient: AccountId,
	/// What is requested.
	pub items: Items<MaxRecords, MaxCategories, MaxIdLen>,
	/// Purpose of use (checked against the consent).
	pub purpose: Purpose,
	/// The fee held: the custodian's prices for the items at the time of the request.
	pub fee: Balance,
	/// The relay operator's share of the fee in per-mille, fixed at the time of the request.
	pub relay_share_per_mille: u16,
	/// Block of the request.
	pub requested_at: BlockNumber,
	/// First block at which a delivery is no longer accepted (the fee is refunded then).
	pub deadline: BlockNumber,
	/// Where it stands.
	pub status: Status<BlockNumber>,
}

/// The custodian's delivery receipt: what it handed to the relay (XDS.b style: hash and size
/// of the package, the record versions in it).
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[scale_info(skip_type_params(MaxVersions, MaxIdLen))]
pub struct Delivery<BlockNumber, MaxVersions: Get<u32>, MaxIdLen: Get<u32>> {
	/// SHA-256 of the encrypted package as handed to the relay.
	pub package_hash: H256,
	/// Size of the encrypted package in bytes.
	pub package_size: u64,
	/// The relay operator that carried it.
	pub relay: InstitutionId,
	/// The record versions in the package: record id and version number, each anchored.
	pub versions: BoundedVec<(BoundedVec<u8, MaxIdLen>, u32), MaxVersions>,
	/// Block of delivery.
	pub delivered_at: BlockNumber,
}

/// Parameters set by governance.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	PartialEq,
	Eq,
	Debug,
	Serialize,
	Deserialize,
)]
#[serde(rename_all = "camelCase")]
#[serde(bound(
	serialize = "Balance: core::fmt::Display, BlockNumber: Serialize",
	deserialize = "Balance: core::str::FromStr, BlockNumber: Deserialize<'de>"
))]
pub struct Parameters<Balance, BlockNumber> {
	/// The relay operator's share of each fee, in per-mille (0..=1000).
	pub relay_share_per_mille: u16,
	/// Fee per item for categories a custodian has not priced.
	#[serde(with = "amount_string")]
	pub default_fee: Balance,
	/// Blocks a custodian has to deliver.
	pub delivery_window: BlockNumber,
	/// Blocks a requester has to confirm or dispute a delivery.
	pub dispute_window: BlockNumber,
	/// Most requests of one requesting institution waiting for one custodian's delivery
	/// (at least 1), so that one requester cannot fill a custodian's whole queue.
	pub max_pending_per_requester: u32,
	/// Blocks after `set_prices` before a new price list is in force (0: at once).
	pub price_change_delay: BlockNumber,
}

/// A custodian's new price list, in force from `effective_from` (until then the previous list
/// applies).
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
#[scale_info(skip_type_params(MaxPrices))]
pub struct PriceChange<Balance, BlockNumber, MaxPrices: Get<u32>> {
	/// The fee per category, sorted by category (empty: every category costs the default).
	pub prices: BoundedVec<(Category, Balance), MaxPrices>,
	/// First block at which the list is in force.
	pub effective_from: BlockNumber,
}

/// Why no fee can be quoted for a request: the request would be refused for the same reason
/// (each has the pallet error of the same name).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Serialize,
	Deserialize,
)]
pub enum QuoteRefusal {
	/// The custodian is not an active hospital or clinic.
	NotRecordKeeper,
	/// A request must name at least one record or category.
	EmptyRequest,
	/// More record ids than `MaxRecordsPerRequest`.
	TooManyRecords,
	/// More categories than `MaxCategoriesPerRequest`.
	TooManyCategories,
	/// A record id or a category appears twice.
	Duplicate,
	/// A record id is empty or too long.
	BadRecordId,
	/// The account is not a registered patient.
	UnknownPatient,
	/// The record does not exist, is retracted, or is not this patient's.
	UnknownRecord,
	/// The custodian holds no active record of the patient in a requested category.
	NoRecordsInCategory,
	/// The sum of the fees overflows.
	FeeOverflow,
}

impl QuoteRefusal {
	/// What is wrong, for people (JSON-RPC error messages).
	pub fn message(&self) -> &'static str {
		match self {
			Self::NotRecordKeeper => "the custodian is not an active hospital or clinic",
			Self::EmptyRequest => "a request must name at least one record or category",
			Self::TooManyRecords => "too many record ids",
			Self::TooManyCategories => "too many categories",
			Self::Duplicate => "a record id or a category appears twice",
			Self::BadRecordId => "a record id is empty or too long",
			Self::UnknownPatient => "the account is not a registered patient",
			Self::UnknownRecord => {
				"a record does not exist at the custodian, is retracted, or is not this patient's"
			},
			Self::NoRecordsInCategory => {
				"the custodian holds no active record of this patient in a requested category"
			},
			Self::FeeOverflow => "the sum of the fees overflows",
		}
	}
}

/// A record id (hex in JSON).
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct RecordIdView(#[serde(with = "sp_core::bytes")] pub Vec<u8>);

/// A delivered record version.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VersionView {
	/// The record id.
	pub record_id: RecordIdView,
	/// Its version number.
	pub version: u32,
}

/// A delivery receipt, for the runtime API and JSON.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryView<BlockNumber> {
	/// SHA-256 of the encrypted package.
	pub package_hash: H256,
	/// Its size in bytes.
	pub package_size: u64,
	/// The relay operator that carried it.
	pub relay: InstitutionId,
	/// The record versions in it.
	pub versions: Vec<VersionView>,
	/// Block of delivery.
	pub delivered_at: BlockNumber,
}

/// An exchange request with its delivery, for the runtime API and JSON.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[serde(bound(
	serialize = "AccountId: Serialize, Balance: core::fmt::Display, BlockNumber: Serialize",
	deserialize = "AccountId: Deserialize<'de>, Balance: core::str::FromStr, \
	               BlockNumber: Deserialize<'de>"
))]
pub struct RequestView<AccountId, Balance, BlockNumber> {
	/// Its id.
	pub id: RequestId,
	/// The institution asking.
	pub requester: InstitutionId,
	/// The device holding the fee.
	pub payer: AccountId,
	/// The institution holding the records.
	pub custodian: InstitutionId,
	/// The patient.
	pub patient: AccountId,
	/// Requested record ids.
	pub records: Vec<RecordIdView>,
	/// Requested categories.
	pub categories: Vec<Category>,
	/// Purpose of use.
	pub purpose: Purpose,
	/// The fee (decimal string in JSON).
	#[serde(with = "amount_string")]
	pub fee: Balance,
	/// The relay operator's share in per-mille.
	pub relay_share_per_mille: u16,
	/// Block of the request.
	pub requested_at: BlockNumber,
	/// Delivery deadline.
	pub deadline: BlockNumber,
	/// Where it stands.
	pub status: Status<BlockNumber>,
	/// The delivery receipt, once delivered.
	pub delivery: Option<DeliveryView<BlockNumber>>,
}

/// A page of a custodian's queue of requests waiting for delivery, oldest first.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[serde(bound(
	serialize = "AccountId: Serialize, Balance: core::fmt::Display, BlockNumber: Serialize",
	deserialize = "AccountId: Deserialize<'de>, Balance: core::str::FromStr, \
	               BlockNumber: Deserialize<'de>"
))]
pub struct PendingPage<AccountId, Balance, BlockNumber> {
	/// The custodian.
	pub custodian: InstitutionId,
	/// This page's number, from 0.
	pub page: u32,
	/// Requests per page.
	pub page_size: u32,
	/// Requests waiting in all.
	pub total: u32,
	/// This page's requests.
	pub requests: Vec<RequestView<AccountId, Balance, BlockNumber>>,
}

/// A page of the requests an institution is a party to (as requester or custodian), newest
/// first.
#[derive(Encode, Decode, TypeInfo, Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[serde(bound(
	serialize = "AccountId: Serialize, Balance: core::fmt::Display, BlockNumber: Serialize",
	deserialize = "AccountId: Deserialize<'de>, Balance: core::str::FromStr, \
	               BlockNumber: Deserialize<'de>"
))]
pub struct InstitutionPage<AccountId, Balance, BlockNumber> {
	/// The institution.
	pub institution: InstitutionId,
	/// This page's number, from 0 (page 0 holds the newest requests).
	pub page: u32,
	/// Requests per page.
	pub page_size: u32,
	/// Requests the institution is a party to, in all.
	pub total: u32,
	/// This page's requests, newest first.
	pub requests: Vec<RequestView<AccountId, Balance, BlockNumber>>,
}

/// The types above with the runtime's account, balance, block number and bounds.
mod of_runtime {
	use super::*;
	use crate::pallet::Config;
	use frame_support::traits::fungible::Inspect;
	use frame_system::pallet_prelude::BlockNumberFor;

	/// The balance type of the currency.
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	/// A stored request.
	pub type RequestOf<T> = ExchangeRequest<
		<T as frame_system::Config>::AccountId,
		BalanceOf<T>,
		BlockNumberFor<T>,
		<T as Config>::MaxRecordsPerRequest,
		<T as Config>::MaxCategoriesPerRequest,
		<T as Config>::MaxRecordIdLen,
	>;
	/// A stored delivery receipt.
	pub type DeliveryOf<T> = Delivery<
		BlockNumberFor<T>,
		<T as Config>::MaxVersionsPerDelivery,
		<T as Config>::MaxRecordIdLen,
	>;
	/// The parameters.
	pub type ParametersOf<T> = Parameters<BalanceOf<T>, BlockNumberFor<T>>;
	/// The items of a stored request.
	pub type ItemsOf<T> = Items<
		<T as Config>::MaxRecordsPerRequest,
		<T as Config>::MaxCategoriesPerRequest,
		<T as Config>::MaxRecordIdLen,
	>;
	/// A custodian's record id.
	pub type RecordIdOf<T> = BoundedVec<u8, <T as Config>::MaxRecordIdLen>;
	/// A custodian's price list: a fee per category, sorted by category.
	pub type PriceListOf<T> = BoundedVec<(Category, BalanceOf<T>), <T as Config>::MaxPrices>;
	/// A custodian's price list waiting to be in force.
	pub type PriceChangeOf<T> =
		PriceChange<BalanceOf<T>, BlockNumberFor<T>, <T as Config>::MaxPrices>;
}
pub use of_runtime::*;
