//! Read-only answers for the runtime API and JSON-RPC: a request with its delivery, a
//! custodian's queue of requests waiting for delivery, and the requests an institution is a
//! party to.

use crate::{
	pallet::{
		Config, Deliveries, InstitutionRequestCount, InstitutionRequests, Pallet, Pending,
		PendingCount, Requests,
	},
	types::*,
};
use alloc::vec::Vec;
use frame_support::traits::Get;
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_institutions::InstitutionId;

/// A request as the API shows it.
pub type RequestViewOf<T> =
	RequestView<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
/// A page of a custodian's queue as the API shows it.
pub type PendingPageOf<T> =
	PendingPage<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

/// A page of an institution's requests as the API shows it.
pub type InstitutionPageOf<T> =
	InstitutionPage<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;

impl<T: Config> Pallet<T> {
	/// Request `id` with its delivery receipt, if it exists.
	pub fn request_view(id: RequestId) -> Option<RequestViewOf<T>> {
		let r = Requests::<T>::get(id)?;
		let delivery = Deliveries::<T>::get(id).map(|d| DeliveryView {
			package_hash: d.package_hash,
			package_size: d.package_size,
			relay: d.relay,
			versions: d
				.versions
				.into_iter()
				.map(|(record_id, version)| VersionView {
					record_id: RecordIdView(record_id.into_inner()),
					version,
				})
				.collect(),
			delivered_at: d.delivered_at,
		});
		Some(RequestView {
			id,
			requester: r.requester,
			payer: r.payer,
			custodian: r.custodian,
			patient: r.patient,
			records: r.items.records.into_iter().map(|id| RecordIdView(id.into_inner())).collect(),
			categories: r.items.categories.into_inner(),
			purpose: r.purpose,
			fee: r.fee,
			relay_share_per_mille: r.relay_share_per_mille,
			requested_at: r.requested_at,
			deadline: r.deadline,
			status: r.status,
			delivery,
		})
	}

	/// Page `page` (from 0) of `custodian`'s requests waiting for delivery, oldest first.
	pub fn pending_page(custodian: InstitutionId, page: u32) -> PendingPageOf<T> {
		let page_size = T::PendingPageSize::get();
		// At most `MaxPendingPerCustodian` keys: bounded.
		let mut ids: Vec<RequestId> = Pending::<T>::iter_key_prefix(custodian).collect();
		ids.sort_unstable();
		let requests = ids
			.into_iter()
			.skip(page.saturating_mul(page_size) as usize)
			.take(page_size as usize)
			.filter_map(Self::request_view)
			.collect();
		PendingPage {
			custodian,
			page,
			page_size,
			total: PendingCount::<T>::get(custodian),
			requests,
		}
	}

	/// Page `page` (from 0) of the requests `institution` is a party to (as requester or as
	/// custodian), newest first: at most `PendingPageSize` reads of the index, whatever the
	/// number of requests.
	pub fn institution_page(institution: InstitutionId, page: u32) -> InstitutionPageOf<T> {
		let page_size = T::PendingPageSize::get();
		let total = InstitutionRequestCount::<T>::get(institution);
		// Entry `total - 1` is the newest; page `p` starts `p × page_size` entries below it.
		let newest = total.saturating_sub(page.saturating_mul(page_size));
		let oldest = newest.saturating_sub(page_size);
		let requests = (oldest..newest)
			.rev()
			.filter_map(|n| InstitutionRequests::<T>::get(institution, n))
			.filter_map(Self::request_view)
			.collect();
		InstitutionPage { institution, page, page_size, total, requests }
	}
}
