//! Read-only answers for the runtime API and JSON-RPC: an institution's pending
//! registrations, from their index ([`PendingRegistrationsOf`]).

use crate::{
	pallet::{Config, Pallet, PendingCount, PendingRegistrations, PendingRegistrationsOf},
	InstitutionId, PendingRegistrationView, PendingRegistrationsPage,
};
use alloc::vec::Vec;
use frame_system::pallet_prelude::BlockNumberFor;

/// Pending registrations per page of `institutions_pendingRegistrations`.
pub const REGISTRATIONS_PAGE_SIZE: u32 = 50;

/// A page of pending registrations as the API shows it.
pub type PendingRegistrationsPageOf<T> =
	PendingRegistrationsPage<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;

impl<T: Config> Pallet<T> {
	/// Page `page` (from 0) of `institution`'s pending registrations, the latest expiry (the
	/// newest) first, expired ones not yet removed included (the caller compares `expires_at`
	/// with its block). Reads at most `MaxPendingRegistrations` index keys: bounded.
	pub fn pending_registrations_page(
		institution: InstitutionId,
		page: u32,
	) -> PendingRegistrationsPageOf<T> {
		Self::pending_registrations_page_of_size(institution, page, REGISTRATIONS_PAGE_SIZE)
	}

	/// [`Self::pending_registrations_page`] with `page_size` registrations per page.
	pub(crate) fn pending_registrations_page_of_size(
		institution: InstitutionId,
		page: u32,
		page_size: u32,
	) -> PendingRegistrationsPageOf<T> {
		let mut all: Vec<PendingRegistrationView<T::AccountId, BlockNumberFor<T>>> =
			PendingRegistrationsOf::<T>::iter_key_prefix(institution)
				.filter_map(|patient| {
					let p = PendingRegistrations::<T>::get(&patient)?;
					Some(PendingRegistrationView {
						patient,
						guardian: p.guardian,
						expires_at: p.expires_at,
					})
				})
				.collect();
		all.sort_unstable_by(|a, b| {
			b.expires_at.cmp(&a.expires_at).then_with(|| a.patient.cmp(&b.patient))
		});
		let registrations = all
			.into_iter()
			.skip(page.saturating_mul(page_size) as usize)
			.take(page_size as usize)
			.collect();
		PendingRegistrationsPage {
			institution,
			page,
			page_size,
			total: PendingCount::<T>::get(institution),
			registrations,
		}
	}
}
