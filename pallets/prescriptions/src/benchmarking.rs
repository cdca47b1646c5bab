//! Benchmarks of every call, each in its worst case: the patient has a prescription already
//! and each pharmacy's queue an entry (so counters are read and rewritten, not created); a
//! prescription that changes is claimed, so the claim is dropped and it moves between queues;
//! a claim replaces another pharmacy's timed-out claim (one queue left, one entered); a
//! dispense completes the prescription and is logged in a full disclosure log whose oldest
//! entry is pruned; a redirection moves a claimed prescription from one pharmacy's queue to
//! another's.

use super::*;
use crate::Pallet as PrescriptionsPallet;
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOrigin, Get};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use pallet_consent::DisclosureGate;
use pallet_institutions::{InstitutionId, InstitutionKind, PractitionerRole, Registry};
use sp_core::H256;
use sp_runtime::traits::{One, Saturating};

/// A hospital with a physician and a patient, two pharmacies with a pharmacist each.
struct Setup<AccountId> {
	/// A physician of the hospital.
	physician: AccountId,
	/// A patient of the hospital.
	patient: AccountId,
	/// The hospital.
	hospital: InstitutionId,
	/// The first pharmacy.
	pharmacy: InstitutionId,
	/// A pharmacist of the first pharmacy.
	pharmacist: AccountId,
	/// The second pharmacy.
	other_pharmacy: InstitutionId,
	/// A pharmacist of the second pharmacy.
	other_pharmacist: AccountId,
}

fn setup<T: Config>() -> Setup<T::AccountId> {
	let hospital =
		T::Registry::benchmark_institution(InstitutionKind::Hospital, &account("admin", 0, 0));
	let pharmacy =
		T::Registry::benchmark_institution(InstitutionKind::Pharmacy, &account("admin", 1, 0));
	let other_pharmacy =
		T::Registry::benchmark_institution(InstitutionKind::Pharmacy, &account("admin", 2, 0));
	let s = Setup {
		physician: account("physician", 0, 0),
		patient: account("patient", 0, 0),
		hospital,
		pharmacy,
		pharmacist: account("pharmacist", 0, 0),
		other_pharmacy,
		other_pharmacist: account("pharmacist", 1, 0),
	};
	T::Registry::benchmark_practitioner(&s.physician, hospital, PractitionerRole::Physician);
	T::Registry::benchmark_patient(&s.patient, hospital);
	T::Registry::benchmark_practitioner(&s.pharmacist, pharmacy, PractitionerRole::Pharmacist);
	T::Registry::benchmark_practitioner(
		&s.other_pharmacist,
		other_pharmacy,
		PractitionerRole::Pharmacist,
	);
	// The patient's count and both queue lengths exist.
	issued::<T>(&s, 1000, Some(pharmacy), 1);
	issued::<T>(&s, 1001, Some(other_pharmacy), 1);
	s
}

fn hash(i: u32) -> H256 {
	// `from_low_u64_be` needs std; the same bytes by hand.
	let mut bytes = [0u8; 32];
	bytes[24..].copy_from_slice(&(u64::from(i) + 1).to_be_bytes());
	H256(bytes)
}

/// The current block.
fn now<T: Config>() -> BlockNumberFor<T> {
	frame_system::Pallet::<T>::block_number()
}

/// Moves `blocks` forward.
fn advance<T: Config>(blocks: BlockNumberFor<T>) {
	frame_system::Pallet::<T>::set_block_number(now::<T>().saturating_add(blocks));
}

/// Issues prescription `i` for the setup's patient through the call itself, usable for the
/// longest period governance allows.
fn issued<T: Config>(
	s: &Setup<T::AccountId>,
	i: u32,
	pharmacy: Option<InstitutionId>,
	fills: u8,
) -> H256 {
	let valid_until = now::<T>().saturating_add(Params::<T>::get().max_validity);
	PrescriptionsPallet::<T>::issue(
		RawOrigin::Signed(s.physician.clone()).into(),
		hash(i),
		s.patient.clone(),
		pharmacy,
		fills,
		Some(valid_until),
		true,
	)
	.unwrap_or_else(|e| panic!("benchmark setup issue failed: {e:?}"));
	hash(i)
}

/// `pharmacist` claims `prescription` through the call itself.
fn claimed<T: Config>(pharmacist: &T::AccountId, prescription: H256) {
	PrescriptionsPallet::<T>::claim(RawOrigin::Signed(pharmacist.clone()).into(), prescription)
		.unwrap_or_else(|e| panic!("benchmark setup claim failed: {e:?}"));
}

/// `pharmacist` dispenses the fill of `prescription` its pharmacy claimed.
fn dispensed<T: Config>(pharmacist: &T::AccountId, prescription: H256) {
	PrescriptionsPallet::<T>::dispense(
		RawOrigin::Signed(pharmacist.clone()).into(),
		prescription,
		hash(9999),
	)
	.unwrap_or_else(|e| panic!("benchmark setup dispense failed: {e:?}"));
}

/// The stored status of `prescription`.
fn status_of<T: Config>(prescription: H256) -> Option<PrescriptionStatus> {
	Prescriptions::<T>::get(prescription).map(|p| p.status)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// Directed to a pharmacy (its queue is entered), the default period of use.
	#[benchmark]
	fn issue() {
		let s = setup::<T>();
		let fills = T::MaxFills::get();
		#[extrinsic_call]
		_(
			RawOrigin::Signed(s.physician.clone()),
			hash(0),
			s.patient.clone(),
			Some(s.pharmacy),
			fills,
			None,
			true,
		);
		assert_eq!(PatientPrescriptionCount::<T>::get(&s.patient), 3);
		assert!(PharmacyQueue::<T>::contains_key(s.pharmacy, hash(0)));
	}

	/// Claimed by a pharmacy it is not directed to: the claim goes, and the queue entry.
	#[benchmark]
	fn hold() {
		let s = setup::<T>();
		let prescription = issued::<T>(&s, 0, None, 1);
		claimed::<T>(&s.pharmacist, prescription);
		#[extrinsic_call]
		_(RawOrigin::Signed(s.physician.clone()), prescription);
		assert_eq!(status_of::<T>(prescription), Some(PrescriptionStatus::OnHold));
		assert!(!PharmacyQueue::<T>::contains_key(s.pharmacy, prescription));
	}

	#[benchmark]
	fn resume() {
		let s = setup::<T>();
		let prescription = issued::<T>(&s, 0, Some(s.pharmacy), 1);
		PrescriptionsPallet::<T>::hold(RawOrigin::Signed(s.physician.clone()).into(), prescription)
			.unwrap_or_else(|e| panic!("benchmark setup hold failed: {e:?}"));
		#[extrinsic_call]
		_(RawOrigin::Signed(s.physician.clone()), prescription);
		assert_eq!(status_of::<T>(prescription), Some(PrescriptionStatus::Active));
	}

	/// Claimed: the claim goes, and the queue entry.
	#[benchmark]
	fn cancel() {
		let s = setup::<T>();
		let prescription = issued::<T>(&s, 0, None, 1);
		claimed::<T>(&s.pharmacist, prescription);
		#[extrinsic_call]
		_(RawOrigin::Signed(s.physician.clone()), prescription);
		assert_eq!(status_of::<T>(prescription), Some(PrescriptionStatus::Cancelled));
	}

	/// A fill dispensed and the next claimed (needs `MaxFills` of at least 2).
	#[benchmark]
	fn stop() {
		let s = setup::<T>();
		let prescription = issued::<T>(&s, 0, None, T::MaxFills::get());
		claimed::<T>(&s.pharmacist, prescription);
		dispensed::<T>(&s.pharmacist, prescription);
		claimed::<T>(&s.pharmacist, prescription);
		#[extrinsic_call]
		_(RawOrigin::Signed(s.physician.clone()), prescription);
		assert_eq!(status_of::<T>(prescription), Some(PrescriptionStatus::Stopped));
	}

	/// Claimed: the claim goes, and the queue entry.
	#[benchmark]
	fn enter_in_error() {
		let s = setup::<T>();
		let prescription = issued::<T>(&s, 0, None, 1);
		claimed::<T>(&s.pharmacist, prescription);
		#[extrinsic_call]
		_(RawOrigin::Signed(s.physician.clone()), prescription);
		assert_eq!(status_of::<T>(prescription), Some(PrescriptionStatus::EnteredInError));
	}

	/// Another pharmacy's claim timed out: it is replaced, one queue left and one entered.
	#[benchmark]
	fn claim() {
		let s = setup::<T>();
		let prescription = issued::<T>(&s, 0, None, 1);
		claimed::<T>(&s.other_pharmacist, prescription);
		advance::<T>(Params::<T>::get().claim_timeout.saturating_add(One::one()));
		#[extrinsic_call]
		_(RawOrigin::Signed(s.pharmacist.clone()), prescription);
		assert!(PharmacyQueue::<T>::contains_key(s.pharmacy, prescription));
		assert!(!PharmacyQueue::<T>::contains_key(s.other_pharmacy, prescription));
	}

	/// The last fill, logged in a full disclosure log that prunes its oldest entry.
	#[benchmark]
	fn dispense() {
		let s = setup::<T>();
		// The patient's log is full of entries past their retention: the dispense's entry
		// prunes the oldest (the log's most expensive append).
		T::Consent::benchmark_full_log(&s.patient, s.hospital, s.pharmacy);
		let prescription = issued::<T>(&s, 0, None, 1);
		claimed::<T>(&s.pharmacist, prescription);
		#[extrinsic_call]
		_(RawOrigin::Signed(s.pharmacist.clone()), prescription, hash(1));
		assert_eq!(status_of::<T>(prescription), Some(PrescriptionStatus::Completed));
		assert!(Dispenses::<T>::contains_key(prescription, 0));
	}

	/// Not directed to the pharmacy: the queue entry goes with the claim.
	#[benchmark]
	fn release() {
		let s = setup::<T>();
		let prescription = issued::<T>(&s, 0, None, 1);
		claimed::<T>(&s.pharmacist, prescription);
		#[extrinsic_call]
		_(RawOrigin::Signed(s.pharmacist.clone()), prescription);
		assert!(!PharmacyQueue::<T>::contains_key(s.pharmacy, prescription));
	}

	/// Directed to and claimed by one pharmacy, moved to the other.
	#[benchmark]
	fn redirect() {
		let s = setup::<T>();
		let prescription = issued::<T>(&s, 0, Some(s.pharmacy), 1);
		claimed::<T>(&s.pharmacist, prescription);
		#[extrinsic_call]
		_(RawOrigin::Signed(s.patient.clone()), prescription, Some(s.other_pharmacy));
		assert!(!PharmacyQueue::<T>::contains_key(s.pharmacy, prescription));
		assert!(PharmacyQueue::<T>::contains_key(s.other_pharmacy, prescription));
	}

	/// Expired while directed to and claimed by the pharmacy: the claim goes too.
	#[benchmark]
	fn dismiss() {
		let s = setup::<T>();
		let prescription = issued::<T>(&s, 0, Some(s.pharmacy), 1);
		claimed::<T>(&s.pharmacist, prescription);
		advance::<T>(Params::<T>::get().max_validity.saturating_add(One::one()));
		#[extrinsic_call]
		_(RawOrigin::Signed(s.pharmacist.clone()), prescription);
		assert!(!PharmacyQueue::<T>::contains_key(s.pharmacy, prescription));
		assert_eq!(Prescriptions::<T>::get(prescription).and_then(|p| p.claim), None);
	}

	#[benchmark]
	fn set_parameters() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let mut parameters = T::DefaultParameters::get();
		parameters.claim_timeout = parameters.claim_timeout.saturating_add(One::one());

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, parameters.clone());

		assert_eq!(Params::<T>::get(), parameters);
		Ok(())
	}

	impl_benchmark_test_suite!(PrescriptionsPallet, crate::mock::new_test_ext(), crate::mock::Test);
}
