//! Runtime API of the exchange pallet: a request's status and a custodian's queue of requests
//! waiting for delivery. Served over JSON-RPC by `pallet-exchange-rpc`.

#![cfg_attr(not(feature = "std"), no_std)]

use codec::Codec;
pub use pallet_exchange::{PendingPage, RequestId, RequestView};
use pallet_institutions::InstitutionId;

sp_api::decl_runtime_apis! {
	/// Questions about exchanges.
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
	}
}
