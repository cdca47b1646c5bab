//! Benchmarks of every call, each in its worst case: a patient's consent index full, scopes and
//! purposes at their bounds, the disclosure log full (so appending prunes).

use super::*;
use crate::Pallet as Consent;
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{EnsureOrigin, Get},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use pallet_institutions::{InstitutionId, PractitionerRole, Registry};
use pallet_records::{Category, RecordIndex};
use sp_runtime::traits::Saturating;

const CATEGORIES: [Category; 11] = [
	Category::PatientSummary,
	Category::Laboratory,
	Category::Imaging,
	Category::Medication,
	Category::Allergy,
	Category::Discharge,
	Category::Prescription,
	Category::EmergencyDataSet,
	Category::Immunization,
	Category::MentalHealth,
	Category::Other,
];
const PURPOSES: [Purpose; 7] = [
	Purpose::Treatment,
	Purpose::EmergencyTreatment,
	Purpose::Payment,
	Purpose::Research,
	Purpose::Operations,
	Purpose::PublicHealth,
	Purpose::PatientRequest,
];

struct Setup<T: Config> {
	patient: T::AccountId,
	custodian: InstitutionId,
	device: T::AccountId,
	recipient: InstitutionId,
}

/// A custodian hospital with a device, a recipient hospital, a patient (a key that can sign
/// its emergency card) and one record.
fn setup<T: Config>() -> Setup<T> {
	let device: T::AccountId = account("device", 0, 0);
	let other_device: T::AccountId = account("device", 1, 0);
	let patient: T::AccountId = account("patient", 0, 0);
	let custodian = T::Registry::benchmark_hospital_with_device(&device);
	let recipient = T::Registry::benchmark_hospital_with_device(&other_device);
	T::Registry::benchmark_patient(&patient, custodian);
	T::Records::benchmark_record(custodian, &patient, &record_id::<T>(), Category::Laboratory);
	Setup { patient, custodian, device, recipient }
}

/// Gives `patient` an emergency card and returns its signature for `practitioner`.
fn card_of<T: Config>(patient: &T::AccountId, practitioner: &T::AccountId) -> T::CardSignature {
	let key = <T::BenchmarkHelper as card::BenchmarkHelper<_, _>>::card_key();
	CardKeys::<T>::insert(patient, &key);
	CardKeyHolders::<T>::insert(&key, patient);
	let statement = Consent::<T>::card_statement(patient, practitioner)
		.unwrap_or_else(|| panic!("setup registers the patient"));
	<T::BenchmarkHelper as card::BenchmarkHelper<_, _>>::sign(&key, &statement.signing_payload())
}

fn record_id<T: Config>() -> Vec<u8> {
	vec![b'r'; T::MaxRecordIdLen::get() as usize]
}

fn categories<N: Get<u32>>(n: u32) -> BoundedVec<Category, N> {
	BoundedVec::truncate_from(CATEGORIES.iter().copied().take(n as usize).collect())
}

fn purposes<T: Config>() -> BoundedVec<Purpose, T::MaxPurposes> {
	BoundedVec::truncate_from(PURPOSES.to_vec())
}

fn one<N: Get<u32>, X>(x: X) -> BoundedVec<X, N> {
	BoundedVec::truncate_from(vec![x])
}

fn far<T: Config>() -> BlockNumberFor<T> {
	frame_system::Pallet::<T>::block_number()
		.saturating_add(Params::<T>::get().max_consent_duration)
}

/// Grants `n` consents to `grantee` that do not cover Laboratory (so a check reads them all).
fn fill_index<T: Config>(s: &Setup<T>, n: u32) {
	for _ in 0..n {
		Consent::<T>::grant(
			RawOrigin::Signed(s.patient.clone()).into(),
			s.patient.clone(),
			s.recipient,
			one(Category::Imaging),
			Default::default(),
			one(Purpose::Treatment),
			None,
			far::<T>(),
			None,
		)
		.unwrap_or_else(|e| panic!("setup grant failed: {e:?}"));
	}
}

/// Fills the patient's disclosure log to its bound with entries of many custodians (each
/// within its share), of emergency accesses if `emergency`, and the list of kept emergency
/// entries too; then moves past the retention period, so the next entry prunes one (the
/// most work a new entry can cause).
fn fill_log<T: Config>(s: &Setup<T>, emergency: bool) {
	for i in 0..T::MaxDisclosuresPerPatient::get() {
		let entry = Disclosure {
			custodian: (!emergency).then_some(s.custodian),
			recipient: s.recipient,
			record_id: None,
			category: Category::Laboratory,
			purpose: Purpose::Treatment,
			basis: if emergency { Basis::Emergency(i.into()) } else { Basis::Consent(0) },
			at: frame_system::Pallet::<T>::block_number(),
			previous: Default::default(),
		};
		Consent::<T>::append_disclosure(&s.patient, entry)
			.unwrap_or_else(|e| panic!("setup entry refused: {e:?}"));
	}
	KeptEmergencyEntries::<T>::insert(
		&s.patient,
		BoundedVec::truncate_from(
			(0..T::MaxKeptEmergencyEntries::get()).map(|i| u32::MAX - i).collect(),
		),
	);
	let past = frame_system::Pallet::<T>::block_number()
		.saturating_add(Params::<T>::get().disclosure_retention);
	frame_system::Pallet::<T>::set_block_number(past);
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn grant() {
		let s = setup::<T>();
		fill_index::<T>(&s, T::MaxConsentsPerPatient::get().saturating_sub(1));
		let records = BoundedVec::truncate_from(
			(0..T::MaxScopeRecords::get())
				.map(|i| {
					let id = vec![i as u8; T::MaxRecordIdLen::get() as usize];
					(s.custodian, BoundedVec::truncate_from(id))
				})
				.collect(),
		);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(s.patient.clone()),
			s.patient.clone(),
			s.recipient,
			categories(T::MaxScopeCategories::get()),
			records,
			purposes::<T>(),
			None,
			far::<T>(),
			Some(s.custodian),
		);
		assert_eq!(ConsentsOf::<T>::get(&s.patient).len() as u32, T::MaxConsentsPerPatient::get());
	}

	#[benchmark]
	fn revoke() {
		let s = setup::<T>();
		fill_index::<T>(&s, 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(s.patient.clone()), 0);
		assert!(Consents::<T>::get(0).is_some_and(|c| c.revoked_from.is_some()));
	}

	#[benchmark]
	fn set_deny_provisions() {
		let s = setup::<T>();
		let cats = categories(T::MaxDenyCategories::get());
		#[extrinsic_call]
		_(RawOrigin::Signed(s.patient.clone()), s.patient.clone(), cats);
		assert!(!DenyProvisions::<T>::get(&s.patient).is_empty());
	}

	#[benchmark]
	fn open_emergency_access() {
		let s = setup::<T>();
		fill_log::<T>(&s, true);
		let physician: T::AccountId = account("physician", 0, 0);
		T::Registry::benchmark_practitioner(&physician, s.recipient, PractitionerRole::Physician);
		let card = card_of::<T>(&s.patient, &physician);
		let reason = EmergencyReason::LifeThreatening.commitment(&[7; 32]);
		#[extrinsic_call]
		_(RawOrigin::Signed(physician), s.patient.clone(), reason, card);
		assert!(Consent::<T>::open_emergency_access_of(
			&s.patient,
			s.recipient,
			frame_system::Pallet::<T>::block_number()
		)
		.is_some());
	}

	#[benchmark]
	fn flag_emergency_access() -> Result<(), BenchmarkError> {
		let s = setup::<T>();
		fill_log::<T>(&s, true);
		let physician: T::AccountId = account("physician", 0, 0);
		T::Registry::benchmark_practitioner(&physician, s.recipient, PractitionerRole::Nurse);
		let card = card_of::<T>(&s.patient, &physician);
		Consent::<T>::open_emergency_access(
			RawOrigin::Signed(physician).into(),
			s.patient.clone(),
			EmergencyReason::UnableToConsent.commitment(&[7; 32]),
			card,
		)
		.map_err(|_| BenchmarkError::Weightless)?;
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 0);
		assert!(EmergencyAccesses::<T>::get(0).is_some_and(|a| a.flagged));
		Ok(())
	}

	#[benchmark]
	fn log_release() {
		// The permitting consent is the last one the check reads; the log is full.
		let s = setup::<T>();
		fill_index::<T>(&s, T::MaxConsentsPerPatient::get().saturating_sub(1));
		Consent::<T>::grant(
			RawOrigin::Signed(s.patient.clone()).into(),
			s.patient.clone(),
			s.recipient,
			one(Category::Laboratory),
			Default::default(),
			one(Purpose::Treatment),
			None,
			far::<T>(),
			None,
		)
		.unwrap_or_else(|e| panic!("setup grant failed: {e:?}"));
		fill_log::<T>(&s, false);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(s.device.clone()),
			s.patient.clone(),
			s.recipient,
			record_id::<T>(),
			Purpose::Treatment,
		);
		let log = DisclosureLog::<T>::get(&s.patient);
		assert_eq!(log.next.saturating_sub(log.first), T::MaxDisclosuresPerPatient::get());
	}

	/// The `PatientAllowance` transaction extension's work for a fee-free consent call: the
	/// allowance check (done during validation) and spending one unit.
	#[benchmark]
	fn patient_allowance() {
		let s = setup::<T>();
		let origin: T::RuntimeOrigin = RawOrigin::Signed(s.patient.clone()).into();
		let now = frame_system::Pallet::<T>::block_number();
		#[block]
		{
			assert!(Consent::<T>::is_within_allowance(&origin, &s.patient));
			Consent::<T>::use_allowance(&s.patient, now);
		}
		assert_eq!(Allowance::<T>::get(&s.patient).1, 1);
	}

	#[benchmark]
	fn set_parameters() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let mut p = Params::<T>::get();
		p.patient_allowance = p.patient_allowance.saturating_add(1);
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, p.clone());
		assert_eq!(Params::<T>::get(), p);
		Ok(())
	}

	/// Worst case: a card is replaced (the old key's entry removed, two entries written).
	#[benchmark]
	fn set_emergency_card() {
		let s = setup::<T>();
		let physician: T::AccountId = account("physician", 0, 0);
		let old_card = card_of::<T>(&s.patient, &physician);
		let new_key: T::AccountId = account("card", 1, 0);
		#[extrinsic_call]
		_(RawOrigin::Signed(s.patient.clone()), s.patient.clone(), Some(new_key.clone()));
		assert_eq!(CardKeys::<T>::get(&s.patient), Some(new_key));
		assert!(!Consent::<T>::is_valid_card(&s.patient, &physician, &old_card));
	}

	impl_benchmark_test_suite!(Consent, crate::mock::new_test_ext(), crate::mock::Test);
}
