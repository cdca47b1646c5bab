//! Read-only answers for the runtime API and JSON-RPC: a claim by its hash, a page of an
//! insurer's queue or of a hospital's open claims (oldest first), a page of a patient's claims
//! (in the order they were submitted). Nothing here is secret: all of it can be read from
//! storage; these functions only put it in the form a client needs.

use crate::{
	pallet::{
		Claims, Config, HospitalClaimCount, HospitalClaims, InsurerQueue, InsurerQueueLen, Pallet,
		PatientClaimCount, PatientClaims,
	},
	types::*,
};
use alloc::vec::Vec;
use frame_support::traits::Get;
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_institutions::InstitutionId;
use sp_core::H256;

impl<T: Config> Pallet<T> {
	/// Claim `hash`, if it exists.
	pub fn claim(hash: H256) -> Option<ClaimViewOf<T>> {
		let c = Claims::<T>::get(hash)?;
		Some(ClaimView {
			hash,
			hospital: c.hospital,
			device: c.device,
			insurer: c.insurer,
			patient: c.patient,
			category: c.category,
			amount: c.amount,
			claim_use: c.claim_use,
			preauthorization: c.preauthorization,
			status: c.status,
			submitted_at: c.submitted_at,
			deadline: c.deadline,
			payer: c.payer,
			held: c.held,
			approved: c.approved,
			patient_share: c.patient_share,
			response_hash: c.response_hash,
			disclosure: c.disclosure,
			appeal_until: c.appeal_until,
		})
	}

	/// Page `page` (from 0) of the claims waiting for `insurer`'s action, oldest first.
	pub fn insurer_queue(insurer: InstitutionId, page: u32) -> ClaimsPageOf<T> {
		// At most `MaxOpenPerInsurer` keys: bounded.
		let listed = InsurerQueue::<T>::iter_prefix(insurer).collect();
		Self::page_of(listed, InsurerQueueLen::<T>::get(insurer), page)
	}

	/// Page `page` (from 0) of `hospital`'s open claims, oldest first.
	pub fn hospital_claims(hospital: InstitutionId, page: u32) -> ClaimsPageOf<T> {
		// At most `MaxOpenPerHospital` keys: bounded.
		let listed = HospitalClaims::<T>::iter_prefix(hospital).collect();
		Self::page_of(listed, HospitalClaimCount::<T>::get(hospital), page)
	}

	/// Page `page` (from 0) of `patient`'s claims, closed ones included, in the order they
	/// were submitted.
	pub fn claims_of(patient: &T::AccountId, page: u32) -> ClaimsPageOf<T> {
		let total = PatientClaimCount::<T>::get(patient);
		let page_size = T::PageSize::get();
		let start = page.saturating_mul(page_size);
		let end = start.saturating_add(page_size).min(total);
		let claims = (start..end)
			.filter_map(|slot| PatientClaims::<T>::get(patient, slot))
			.filter_map(Self::claim)
			.collect();
		ClaimsPage { total, page, page_size, claims }
	}

	/// Page `page` of `listed` (claim hashes with their block of submission), oldest first
	/// (ties by hash).
	fn page_of(
		mut listed: Vec<(H256, BlockNumberFor<T>)>,
		total: u32,
		page: u32,
	) -> ClaimsPageOf<T> {
		let page_size = T::PageSize::get();
		listed.sort_unstable_by(|(a, at_a), (b, at_b)| (at_a, a).cmp(&(at_b, b)));
		let claims = listed
			.into_iter()
			.skip(page.saturating_mul(page_size) as usize)
			.take(page_size as usize)
			.filter_map(|(hash, _)| Self::claim(hash))
			.collect();
		ClaimsPage { total, page, page_size, claims }
	}
}
