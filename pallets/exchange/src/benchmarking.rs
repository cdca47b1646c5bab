//! Benchmarks of the exchange's calls and block-start work, each in its worst case: the
//! patient holds the most consents with the permitting ones scanned last, a request has up to
//! the most records and the most categories (each resolved and checked one by one) and moves a
//! full waiting price list into force, a new price list first moves the waiting one into
//! force, every delivered version is a distinct record (one release logged each), every timer
//! pays out both shares. Each benchmark ends with the invariants checked.

use super::*;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{
	fungible::{Inspect, Mutate},
	EnsureOrigin, Get, Hooks,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use pallet_consent::{DisclosureGate, Purpose};
use pallet_institutions::{InstitutionId, InstitutionKind, Registry};
use pallet_records::{Category, RecordIndex};
use sp_core::H256;
use sp_runtime::traits::{Bounded, One, Saturating};

/// Every category, in code order.
const ALL_CATEGORIES: [Category; 11] = [
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

/// The invariants hold after the benchmark (checked outside the measured part).
fn assert_invariants<T: Config>() {
	let outcome = Pallet::<T>::do_try_state();
	assert!(outcome.is_ok(), "invariants after the benchmark: {outcome:?}");
}

/// A full price list of `unit` per category, waiting and in force from `now` (the worst case
/// of the next fee computation: the list is read and moved into force).
fn due_price_list<T: Config>(custodian: InstitutionId, unit: BalanceOf<T>) {
	let prices = ALL_CATEGORIES
		.iter()
		.take(T::MaxPrices::get() as usize)
		.map(|c| (*c, unit))
		.collect::<Vec<_>>();
	PendingPrices::<T>::insert(
		custodian,
		PriceChange {
			prices: frame_support::BoundedVec::truncate_from(prices),
			effective_from: frame_system::Pallet::<T>::block_number(),
		},
	);
}

/// The parties of an exchange, set up for benchmarking.
struct Parties<T: Config> {
	requester: InstitutionId,
	requester_device: T::AccountId,
	custodian_device: T::AccountId,
	custodian: InstitutionId,
	relay: InstitutionId,
	patient: T::AccountId,
}

fn record_id(i: u32) -> Vec<u8> {
	let mut id = b"r".to_vec();
	id.extend_from_slice(&i.to_le_bytes());
	id
}

/// A requester, a custodian, a relay operator and a patient of the custodian; the patient's
/// consents fill the index, the ones for the requester (covering `categories`) last.
fn parties<T: Config>(categories: &[Category]) -> Parties<T> {
	let requester_device: T::AccountId = account("requester-device", 0, 0);
	let requester = T::Registry::benchmark_hospital_with_device(&requester_device);
	let custodian_device: T::AccountId = account("custodian-device", 0, 0);
	let custodian = T::Registry::benchmark_hospital_with_device(&custodian_device);
	let relay_admin: T::AccountId = account("relay-admin", 0, 0);
	let relay = T::Registry::benchmark_institution(InstitutionKind::RelayOperator, &relay_admin);
	let patient: T::AccountId = account("patient", 0, 0);
	T::Registry::benchmark_patient(&patient, custodian);

	let unit = T::Currency::minimum_balance();
	T::Currency::set_balance(&requester_device, unit.saturating_mul(1_000_000_000u32.into()));
	for institution in [custodian, relay] {
		if let Some(admin) = T::Registry::admin_of(institution) {
			T::Currency::set_balance(&admin, unit);
		}
	}
	Prices::<T>::insert(
		custodian,
		frame_support::BoundedVec::truncate_from(
			[Category::Laboratory, Category::Imaging]
				.into_iter()
				.map(|c| (c, unit))
				.collect::<Vec<_>>(),
		),
	);
	// Records requested by id are laboratory records in these benchmarks.
	let mut covered = categories.to_vec();
	if !covered.contains(&Category::Laboratory) {
		covered.insert(0, Category::Laboratory);
	}
	let others = T::Consent::benchmark_max_consents().saturating_sub(covered.len() as u32);
	for _ in 0..others {
		T::Consent::benchmark_consent(&patient, relay, Category::Laboratory, Purpose::Treatment);
	}
	for category in covered {
		T::Consent::benchmark_consent(&patient, requester, category, Purpose::Treatment);
	}
	Parties { requester, requester_device, custodian_device, custodian, relay, patient }
}

/// `count` records of `category` of the patient at the custodian.
fn records<T: Config>(p: &Parties<T>, count: u32, category: Category) -> Vec<Vec<u8>> {
	(0..count)
		.map(|i| {
			let id = record_id(i);
			T::Records::benchmark_record(p.custodian, &p.patient, &id, category);
			id
		})
		.collect()
}

/// A request for `categories`, made by the requester; returns its id.
fn request_categories<T: Config>(p: &Parties<T>, categories: Vec<Category>) -> RequestId {
	let id = NextRequestId::<T>::get();
	let outcome = Pallet::<T>::request(
		RawOrigin::Signed(p.requester_device.clone()).into(),
		p.custodian,
		p.patient.clone(),
		Vec::new(),
		categories,
		Purpose::Treatment,
		BalanceOf::<T>::max_value(),
	);
	assert!(outcome.is_ok(), "benchmark request failed: {outcome:?}");
	id
}

/// A delivered request of one laboratory record of the `i`-th patient of its own (so that many
/// deliveries stay within each patient's disclosure-log share of the custodian); returns its
/// id.
fn delivered_for_patient<T: Config>(p: &Parties<T>, i: u32) -> RequestId {
	let patient: T::AccountId = account("timer-patient", i, 0);
	T::Registry::benchmark_patient(&patient, p.custodian);
	T::Consent::benchmark_consent(&patient, p.requester, Category::Laboratory, Purpose::Treatment);
	let record = record_id(i);
	T::Records::benchmark_record(p.custodian, &patient, &record, Category::Laboratory);
	let id = NextRequestId::<T>::get();
	let requested = Pallet::<T>::request(
		RawOrigin::Signed(p.requester_device.clone()).into(),
		p.custodian,
		patient,
		Vec::new(),
		alloc::vec![Category::Laboratory],
		Purpose::Treatment,
		BalanceOf::<T>::max_value(),
	);
	assert!(requested.is_ok(), "benchmark request failed: {requested:?}");
	let outcome = Pallet::<T>::deliver(
		RawOrigin::Signed(p.custodian_device.clone()).into(),
		id,
		H256::repeat_byte(1),
		1024,
		p.relay,
		alloc::vec![(record, 1)],
	);
	assert!(outcome.is_ok(), "benchmark delivery failed: {outcome:?}");
	id
}

/// A delivered request of one record; returns its id.
fn delivered<T: Config>(p: &Parties<T>, record: Vec<u8>) -> RequestId {
	let id = request_categories(p, alloc::vec![Category::Laboratory]);
	let outcome = Pallet::<T>::deliver(
		RawOrigin::Signed(p.custodian_device.clone()).into(),
		id,
		H256::repeat_byte(1),
		1024,
		p.relay,
		alloc::vec![(record, 1)],
	);
	assert!(outcome.is_ok(), "benchmark delivery failed: {outcome:?}");
	id
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn set_prices(n: Linear<0, { T::MaxPrices::get() }>) {
		let admin: T::AccountId = account("admin", 0, 0);
		let custodian = T::Registry::benchmark_institution(InstitutionKind::Hospital, &admin);
		// A delay: the new list waits; the full list waiting is due and moves into force first.
		let mut parameters = T::DefaultParameters::get();
		parameters.price_change_delay = 10u32.into();
		Params::<T>::put(parameters);
		let unit = T::Currency::minimum_balance();
		due_price_list::<T>(custodian, unit);
		// In reverse order: the call sorts.
		let mut prices: Vec<_> =
			ALL_CATEGORIES.iter().cycle().take(n as usize).map(|c| (*c, unit)).collect();
		prices.reverse();
		let distinct = n as usize <= ALL_CATEGORIES.len();

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), custodian, prices);

		assert!(!Prices::<T>::get(custodian).is_empty());
		if distinct {
			assert_eq!(PendingPrices::<T>::get(custodian).map(|c| c.prices.len() as u32), Some(n));
		}
		assert_invariants::<T>();
	}

	#[benchmark]
	fn request(
		n: Linear<
			1,
			{ T::MaxRecordsPerRequest::get().saturating_add(T::MaxCategoriesPerRequest::get()) },
		>,
	) {
		// Up to the most record ids, then up to the most categories (each holding a record).
		let record_count = n.min(T::MaxRecordsPerRequest::get());
		let categories: Vec<Category> =
			ALL_CATEGORIES.iter().copied().take(n.saturating_sub(record_count) as usize).collect();
		let p = parties::<T>(&categories);
		let ids = records::<T>(&p, record_count, Category::Laboratory);
		for (i, category) in categories.iter().enumerate() {
			let id = record_id(u32::MAX - i as u32);
			T::Records::benchmark_record(p.custodian, &p.patient, &id, *category);
		}
		due_price_list::<T>(p.custodian, T::Currency::minimum_balance());

		#[extrinsic_call]
		_(
			RawOrigin::Signed(p.requester_device.clone()),
			p.custodian,
			p.patient.clone(),
			ids,
			categories,
			Purpose::Treatment,
			BalanceOf::<T>::max_value(),
		);

		assert_eq!(Requests::<T>::get(0).map(|r| r.status), Some(Status::Requested));
		assert!(!PendingPrices::<T>::contains_key(p.custodian));
		assert_invariants::<T>();
	}

	#[benchmark]
	fn deliver(n: Linear<1, { T::MaxVersionsPerDelivery::get() }>) {
		let p = parties::<T>(&[Category::Laboratory]);
		let versions: Vec<_> =
			records::<T>(&p, n, Category::Laboratory).into_iter().map(|id| (id, 1)).collect();
		let id = request_categories(&p, alloc::vec![Category::Laboratory]);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(p.custodian_device.clone()),
			id,
			H256::repeat_byte(1),
			1024,
			p.relay,
			versions,
		);

		assert!(matches!(Requests::<T>::get(id).map(|r| r.status), Some(Status::Delivered { .. })));
		assert_invariants::<T>();
	}

	#[benchmark]
	fn deliver_refused(n: Linear<1, { T::MaxVersionsPerDelivery::get() }>) {
		// The last record's category is denied after the request: n - 1 releases are logged,
		// then rolled back, and the fee is refunded.
		let p = parties::<T>(&[Category::Laboratory, Category::Imaging]);
		let mut versions: Vec<_> =
			records::<T>(&p, n - 1, Category::Laboratory).into_iter().map(|id| (id, 1)).collect();
		let last = record_id(n);
		T::Records::benchmark_record(p.custodian, &p.patient, &last, Category::Imaging);
		versions.push((last, 1));
		// A laboratory record even when none is delivered: the request names the category.
		T::Records::benchmark_record(
			p.custodian,
			&p.patient,
			&record_id(n + 1),
			Category::Laboratory,
		);
		let id = request_categories(&p, alloc::vec![Category::Laboratory, Category::Imaging]);
		T::Consent::benchmark_deny(&p.patient, Category::Imaging);

		#[extrinsic_call]
		deliver(
			RawOrigin::Signed(p.custodian_device.clone()),
			id,
			H256::repeat_byte(1),
			1024,
			p.relay,
			versions,
		);

		assert!(matches!(Requests::<T>::get(id).map(|r| r.status), Some(Status::Refunded { .. })));
		assert_invariants::<T>();
	}

	#[benchmark]
	fn confirm() {
		let p = parties::<T>(&[Category::Laboratory]);
		let record = records::<T>(&p, 1, Category::Laboratory).remove(0);
		let id = delivered(&p, record);

		#[extrinsic_call]
		_(RawOrigin::Signed(p.requester_device.clone()), id);

		assert!(matches!(Requests::<T>::get(id).map(|r| r.status), Some(Status::Completed { .. })));
		assert_invariants::<T>();
	}

	#[benchmark]
	fn dispute() {
		let p = parties::<T>(&[Category::Laboratory]);
		let record = records::<T>(&p, 1, Category::Laboratory).remove(0);
		let id = delivered(&p, record);

		#[extrinsic_call]
		_(RawOrigin::Signed(p.requester_device.clone()), id, DisputeReason::MissingRecords);

		assert!(matches!(Requests::<T>::get(id).map(|r| r.status), Some(Status::Disputed { .. })));
		assert_invariants::<T>();
	}

	#[benchmark]
	fn settle_dispute() -> Result<(), BenchmarkError> {
		let p = parties::<T>(&[Category::Laboratory]);
		let record = records::<T>(&p, 1, Category::Laboratory).remove(0);
		let id = delivered(&p, record);
		Pallet::<T>::dispute(
			RawOrigin::Signed(p.requester_device.clone()).into(),
			id,
			DisputeReason::MissingRecords,
		)?;
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		// Paying out (two transfers) costs more than refunding (one release).
		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, DisputeOutcome::Rejected);

		assert!(matches!(Requests::<T>::get(id).map(|r| r.status), Some(Status::Completed { .. })));
		assert_invariants::<T>();
		Ok(())
	}

	#[benchmark]
	fn decline() {
		let p = parties::<T>(&[Category::Laboratory]);
		records::<T>(&p, 1, Category::Laboratory);
		let id = request_categories(&p, alloc::vec![Category::Laboratory]);

		#[extrinsic_call]
		_(RawOrigin::Signed(p.custodian_device.clone()), id);

		assert!(matches!(Requests::<T>::get(id).map(|r| r.status), Some(Status::Refunded { .. })));
		assert_invariants::<T>();
	}

	#[benchmark]
	fn set_parameters() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let mut parameters = T::DefaultParameters::get();
		parameters.relay_share_per_mille = 250;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, parameters.clone());

		assert_eq!(Params::<T>::get(), parameters);
		assert_invariants::<T>();
		Ok(())
	}

	#[benchmark]
	fn on_initialize(n: Linear<0, { T::MaxTimersPerBlock::get() }>) {
		let p = parties::<T>(&[Category::Laboratory]);
		// Dispute windows end in one block, apart from the delivery deadlines.
		let mut parameters = T::DefaultParameters::get();
		parameters.delivery_window = 1000u32.into();
		parameters.dispute_window = 10u32.into();
		Params::<T>::put(parameters);
		let ids: Vec<_> = (0..n).map(|i| delivered_for_patient(&p, i)).collect();
		let now = frame_system::Pallet::<T>::block_number();
		let due: BlockNumberFor<T> = now.saturating_add(10u32.into());
		assert_eq!(Timers::<T>::get(due).len() as u32, n);
		frame_system::Pallet::<T>::set_block_number(due.saturating_sub(One::one()));

		#[block]
		{
			Pallet::<T>::on_initialize(due);
		}

		for id in ids {
			assert!(matches!(
				Requests::<T>::get(id).map(|r| r.status),
				Some(Status::Completed { automatic: true, .. })
			));
		}
		assert_invariants::<T>();
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
