//! Runtime API of the exchange pallet: a request's status, a custodian's queue of requests
//! waiting for delivery, the fee a request would hold now, and the requests an institution is a
//! party to. Served over JSON-RPC by
//! `pallet-exchange-rpc`.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;
use codec::Codec;
pub use pallet_exchange::{
	Category, InstitutionPage, PendingPage, QuoteRefusal, RequestId, RequestView,
};
use pallet_institutions::InstitutionId;

sp_api::decl_runtime_apis! {
	/// Questions about exchanges.
	///
	/// Version 2 (issue 12): `quote`. Version 3 (issue 18): `of_institution`.
	#[api_version(3)]
	pub trait ExchangeApi<AccountId, Balance, BlockNumber>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// Request `id` with its status and delivery receipt, if it exists.
		fn request(id: RequestId) -> Option<RequestView<AccountId, Balance, BlockNumber>>;

		/// Page `page` (from 0) of `custodian`'s requests waiting for delivery, oldest first.
		fn pending(custodian: InstitutionId, page: u32) -> PendingPage<AccountId, Balance, BlockNumber>;

		/// The fee a request of `records` (ids at the custodian) and `categories` of
		/// `patient` from `custodian` would hold if made in the block queried (the prices in
		/// force then), or why its items would be refused. Since version 2.
		fn quote(
			custodian: InstitutionId,
			patient: AccountId,
			records: Vec<Vec<u8>>,
			categories: Vec<Category>,
		) -> Result<Balance, QuoteRefusal>;

		/// Page `page` (from 0) of the requests `institution` is a party to, as requester or
		/// as custodian, newest first. Since version 3.
		#[api_version(3)]
		fn of_institution(
			institution: InstitutionId,
			page: u32,
		) -> InstitutionPage<AccountId, Balance, BlockNumber>;
	}
}
