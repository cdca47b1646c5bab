//! The bounded lists the runtime API pages through: each insurer's queue of claims waiting for
//! its action (submitted or under review; at most `MaxOpenPerInsurer`), each hospital's open
//! claims (at most `MaxOpenPerHospital`), and each patient's claims, closed ones included (at
//! most `MaxClaimsPerPatient`). Counts are kept beside the lists, without zero entries.

use crate::{
	pallet::{
		Config, Error, HospitalClaimCount, HospitalClaims, InsurerQueue, InsurerQueueLen, Pallet,
		PatientClaimCount, PatientClaims,
	},
	types::*,
};
use frame_support::{ensure, traits::Get};
use pallet_institutions::InstitutionId;
use sp_core::H256;

/// Lowers a count by one, removing it at zero.
fn decrement(count: &mut Option<u32>) {
	*count = count.map(|n| n.saturating_sub(1)).filter(|n| *n > 0);
}

impl<T: Config> Pallet<T> {
	/// Rule 5: the insurer's queue, the hospital's open claims and the patient's
	/// list have room for one more claim.
	pub(crate) fn ensure_room(
		hospital: InstitutionId,
		insurer: InstitutionId,
		patient: &T::AccountId,
	) -> Result<(), Error<T>> {
		ensure!(
			InsurerQueueLen::<T>::get(insurer) < T::MaxOpenPerInsurer::get(),
			Error::<T>::InsurerQueueFull
		);
		ensure!(
			HospitalClaimCount::<T>::get(hospital) < T::MaxOpenPerHospital::get(),
			Error::<T>::HospitalClaimsFull
		);
		ensure!(
			PatientClaimCount::<T>::get(patient) < T::MaxClaimsPerPatient::get(),
			Error::<T>::TooManyClaimsForPatient
		);
		Ok(())
	}

	/// Puts a new claim in its insurer's queue, its hospital's open claims and its patient's
	/// list (the caller checked the room).
	pub(crate) fn enter_queues(claim: H256, entry: &ClaimOf<T>) {
		InsurerQueue::<T>::insert(entry.insurer, claim, entry.submitted_at);
		InsurerQueueLen::<T>::mutate(entry.insurer, |n| *n = n.saturating_add(1));
		HospitalClaims::<T>::insert(entry.hospital, claim, entry.submitted_at);
		HospitalClaimCount::<T>::mutate(entry.hospital, |n| *n = n.saturating_add(1));
		let slot = PatientClaimCount::<T>::get(&entry.patient);
		PatientClaims::<T>::insert(&entry.patient, slot, claim);
		PatientClaimCount::<T>::insert(&entry.patient, slot.saturating_add(1));
	}

	/// Takes `claim` out of `insurer`'s queue, if it is there. Every way out of `Submitted`
	/// and `UnderReview` passes here.
	pub(crate) fn leave_insurer_queue(insurer: InstitutionId, claim: H256) {
		if InsurerQueue::<T>::take(insurer, claim).is_some() {
			InsurerQueueLen::<T>::mutate_exists(insurer, decrement);
		}
	}

	/// Takes `claim` out of `hospital`'s open claims, if it is there: the claim is closed.
	pub(crate) fn leave_hospital_claims(hospital: InstitutionId, claim: H256) {
		if HospitalClaims::<T>::take(hospital, claim).is_some() {
			HospitalClaimCount::<T>::mutate_exists(hospital, decrement);
		}
	}
}
