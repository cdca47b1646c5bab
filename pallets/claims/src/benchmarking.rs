//! Benchmarks of the claims pallet's calls and block-start work, each in its worst case: the
//! patient holds the most consents for the insurer, the one for payment scanned last; a claim
//! names an approved preauthorization (read and checked); the block of each deadline or appeal
//! window and the next ones are full, so the timer goes to the last block searched; payouts
//! and releases move real held funds; every timer at the start of a block releases a hold.
//! Each benchmark ends with the invariants checked.
//!
//! The insurer's device is added through the institutions pallet (its `Registry` helpers make
//! hospitals with devices only), hence `T: pallet_institutions::Config`: the runtime's
//! registry is that pallet.

use super::*;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::{
	traits::{
		fungible::{Inspect, Mutate},
		EnsureOrigin, Get, Hooks,
	},
	BoundedVec,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use pallet_consent::{DisclosureGate, Purpose};
use pallet_institutions::{InstitutionId, InstitutionKind, Registry};
use sp_core::H256;
use sp_runtime::traits::{One, Saturating};

/// The category of the claims benchmarked.
const CATEGORY: Category = Category::Laboratory;

/// The invariants hold after the benchmark (checked outside the measured part).
fn assert_invariants<T: Config>() {
	let outcome = Pallet::<T>::do_try_state();
	assert!(outcome.is_ok(), "invariants after the benchmark: {outcome:?}");
}

/// The `i`-th claim hash.
fn hash(i: u32) -> H256 {
	// `from_low_u64_be` needs std; the same bytes by hand.
	let mut bytes = [0u8; 32];
	bytes[24..].copy_from_slice(&(u64::from(i) + 1).to_be_bytes());
	H256(bytes)
}

/// The smallest amount the currency keeps (at least one unit).
fn unit<T: Config>() -> BalanceOf<T> {
	T::Currency::minimum_balance().max(One::one())
}

/// The amount of every claim benchmarked.
fn amount<T: Config>() -> BalanceOf<T> {
	unit::<T>().saturating_mul(1_000u32.into())
}

/// The parties of a claim.
struct Parties<T: Config> {
	hospital_device: T::AccountId,
	insurer: InstitutionId,
	insurer_device: T::AccountId,
	patient: T::AccountId,
}

/// An active insurer with a funded device.
fn insurer<T: Config + pallet_institutions::Config>() -> (InstitutionId, T::AccountId) {
	let admin: T::AccountId = account("insurer-admin", 0, 0);
	let insurer = T::Registry::benchmark_institution(InstitutionKind::Insurer, &admin);
	let device: T::AccountId = account("insurer-device", 0, 0);
	let added = pallet_institutions::Pallet::<T>::add_device(
		RawOrigin::Signed(admin).into(),
		device.clone(),
	);
	assert!(added.is_ok(), "benchmark insurer device: {added:?}");
	T::Currency::set_balance(&device, unit::<T>().saturating_mul(1_000_000_000u32.into()));
	(insurer, device)
}

/// The `i`-th hospital (with a device, its admin able to receive) and a patient of it who
/// consents to `insurer` receiving laboratory information for payment. In the worst case the
/// patient holds the most consents for the insurer, the others for treatment only, scanned
/// first.
fn parties<T: Config>(
	i: u32,
	(insurer, insurer_device): (InstitutionId, T::AccountId),
	worst: bool,
) -> Parties<T> {
	let hospital_device: T::AccountId = account("hospital-device", i, 0);
	let hospital = T::Registry::benchmark_hospital_with_device(&hospital_device);
	if let Some(admin) = T::Registry::admin_of(hospital) {
		T::Currency::set_balance(&admin, unit::<T>());
	}
	let patient: T::AccountId = account("patient", i, 0);
	T::Registry::benchmark_patient(&patient, hospital);
	if worst {
		for _ in 1..T::Consent::benchmark_max_consents() {
			T::Consent::benchmark_consent(&patient, insurer, CATEGORY, Purpose::Treatment);
		}
	}
	T::Consent::benchmark_consent(&patient, insurer, CATEGORY, Purpose::Payment);
	Parties { hospital_device, insurer, insurer_device, patient }
}

/// The parties of a claim at the worst case of the consent check.
fn worst_parties<T: Config + pallet_institutions::Config>() -> Parties<T> {
	parties::<T>(0, insurer::<T>(), true)
}

/// The hospital submits `claim`.
fn submit_claim<T: Config>(
	p: &Parties<T>,
	claim: H256,
	claim_use: ClaimUse,
	preauthorization: Option<H256>,
) {
	let outcome = Pallet::<T>::submit(
		RawOrigin::Signed(p.hospital_device.clone()).into(),
		claim,
		p.insurer,
		p.patient.clone(),
		CATEGORY,
		amount::<T>(),
		claim_use,
		preauthorization,
	);
	assert!(outcome.is_ok(), "benchmark submission: {outcome:?}");
}

/// The hospital submits `claim` and the insurer accepts it (the amount is held).
fn claim_under_review<T: Config>(p: &Parties<T>, claim: H256) {
	submit_claim(p, claim, ClaimUse::Claim, None);
	let outcome = Pallet::<T>::accept(RawOrigin::Signed(p.insurer_device.clone()).into(), claim);
	assert!(outcome.is_ok(), "benchmark acceptance: {outcome:?}");
}

/// The insurer approves `approved` of `claim`.
fn adjudicate_claim<T: Config>(p: &Parties<T>, claim: H256, approved: BalanceOf<T>) {
	let outcome = Pallet::<T>::adjudicate(
		RawOrigin::Signed(p.insurer_device.clone()).into(),
		claim,
		approved,
		BalanceOf::<T>::default(),
		H256::repeat_byte(0xcc),
	);
	assert!(outcome.is_ok(), "benchmark adjudication: {outcome:?}");
}

/// Fills the timer lists of `TIMER_SEARCH_BLOCKS - 1` blocks from `from` with stale timers of
/// `filler` (an existing claim), so a timer wanted at `from` goes to the last block searched.
fn fill_timers<T: Config>(from: BlockNumberFor<T>, filler: H256) {
	let mut at = from;
	for _ in 1..TIMER_SEARCH_BLOCKS {
		let mut list: BoundedVec<_, T::MaxTimersPerBlock> = Timers::<T>::get(at);
		while list.try_push((filler, TimerKind::AppealWindow)).is_ok() {}
		Timers::<T>::insert(at, list);
		at = at.saturating_add(One::one());
	}
}

/// The block the search ends at for a timer wanted `after` blocks from now.
fn last_searched<T: Config>(after: BlockNumberFor<T>) -> BlockNumberFor<T> {
	frame_system::Pallet::<T>::block_number()
		.saturating_add(after)
		.saturating_add((TIMER_SEARCH_BLOCKS - 1).into())
}

#[benchmarks(where T: pallet_institutions::Config)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn submit() {
		let p = worst_parties::<T>();
		// An approved preauthorization to name.
		let preauthorization = hash(0);
		submit_claim(&p, preauthorization, ClaimUse::Preauthorization, None);
		let accepted = Pallet::<T>::accept(
			RawOrigin::Signed(p.insurer_device.clone()).into(),
			preauthorization,
		);
		assert!(accepted.is_ok(), "benchmark acceptance: {accepted:?}");
		adjudicate_claim(&p, preauthorization, amount::<T>());
		let period = Params::<T>::get().adjudication_period;
		let now = frame_system::Pallet::<T>::block_number();
		fill_timers::<T>(now.saturating_add(period), preauthorization);
		let claim = hash(1);

		// The search ends where it ends at the call's block.
		let expected = last_searched::<T>(period);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(p.hospital_device.clone()),
			claim,
			p.insurer,
			p.patient.clone(),
			CATEGORY,
			amount::<T>(),
			ClaimUse::Claim,
			Some(preauthorization),
		);

		let entry = Claims::<T>::get(claim);
		assert_eq!(entry.as_ref().map(|c| c.status), Some(ClaimStatus::Submitted));
		assert_eq!(entry.map(|c| c.deadline), Some(expected));
		assert_invariants::<T>();
	}

	#[benchmark]
	fn accept() {
		let p = worst_parties::<T>();
		let claim = hash(0);
		submit_claim(&p, claim, ClaimUse::Claim, None);

		#[extrinsic_call]
		_(RawOrigin::Signed(p.insurer_device.clone()), claim);

		let entry = Claims::<T>::get(claim);
		assert_eq!(entry.as_ref().map(|c| c.status), Some(ClaimStatus::UnderReview));
		assert_eq!(entry.map(|c| c.held), Some(amount::<T>()));
		assert_invariants::<T>();
	}

	#[benchmark]
	fn adjudicate() {
		let p = worst_parties::<T>();
		let claim = hash(0);
		claim_under_review(&p, claim);
		// A partial decision: a payout, and an appeal window whose timer goes furthest.
		let window = Params::<T>::get().appeal_window;
		let now = frame_system::Pallet::<T>::block_number();
		fill_timers::<T>(now.saturating_add(window), claim);
		let approved = amount::<T>().saturating_sub(unit::<T>());

		// The search ends where it ends at the call's block.
		let expected = last_searched::<T>(window);
		#[extrinsic_call]
		_(
			RawOrigin::Signed(p.insurer_device.clone()),
			claim,
			approved,
			BalanceOf::<T>::default(),
			H256::repeat_byte(0xcc),
		);

		let entry = Claims::<T>::get(claim);
		assert_eq!(
			entry.as_ref().map(|c| c.status),
			Some(ClaimStatus::Adjudicated { outcome: Outcome::Partial })
		);
		assert_eq!(entry.and_then(|c| c.appeal_until), Some(expected));
		assert_invariants::<T>();
	}

	#[benchmark]
	fn reject() {
		let p = worst_parties::<T>();
		let claim = hash(0);
		claim_under_review(&p, claim);
		let window = Params::<T>::get().appeal_window;
		let now = frame_system::Pallet::<T>::block_number();
		fill_timers::<T>(now.saturating_add(window), claim);

		// The search ends where it ends at the call's block.
		let expected = last_searched::<T>(window);
		#[extrinsic_call]
		_(RawOrigin::Signed(p.insurer_device.clone()), claim, RejectionReason::NotCovered);

		let entry = Claims::<T>::get(claim);
		assert_eq!(
			entry.as_ref().map(|c| c.status),
			Some(ClaimStatus::Rejected { reason: RejectionReason::NotCovered })
		);
		assert_eq!(entry.and_then(|c| c.appeal_until), Some(expected));
		assert_invariants::<T>();
	}

	#[benchmark]
	fn cancel() {
		let p = worst_parties::<T>();
		let claim = hash(0);
		// Under review: the hold is released.
		claim_under_review(&p, claim);

		#[extrinsic_call]
		_(RawOrigin::Signed(p.hospital_device.clone()), claim);

		assert_eq!(Claims::<T>::get(claim).map(|c| c.status), Some(ClaimStatus::Cancelled));
		assert_invariants::<T>();
	}

	#[benchmark]
	fn appeal() {
		let p = worst_parties::<T>();
		let claim = hash(0);
		claim_under_review(&p, claim);
		let rejected = Pallet::<T>::reject(
			RawOrigin::Signed(p.insurer_device.clone()).into(),
			claim,
			RejectionReason::NotCovered,
		);
		assert!(rejected.is_ok(), "benchmark rejection: {rejected:?}");

		#[extrinsic_call]
		_(RawOrigin::Signed(p.hospital_device.clone()), claim);

		assert_eq!(Claims::<T>::get(claim).map(|c| c.status), Some(ClaimStatus::Appealed));
		assert_invariants::<T>();
	}

	#[benchmark]
	fn settle() -> Result<(), BenchmarkError> {
		let p = worst_parties::<T>();
		let claim = hash(0);
		claim_under_review(&p, claim);
		adjudicate_claim(&p, claim, unit::<T>());
		Pallet::<T>::appeal(RawOrigin::Signed(p.hospital_device.clone()).into(), claim)?;
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		// Part of the rest to the hospital, part back to the insurer: a payout and a release.
		let award = unit::<T>();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, claim, award);

		assert_eq!(Claims::<T>::get(claim).map(|c| c.status), Some(ClaimStatus::Settled { award }));
		assert_invariants::<T>();
		Ok(())
	}

	#[benchmark]
	fn set_parameters() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let mut parameters = T::DefaultParameters::get();
		parameters.appeal_window = parameters.appeal_window.saturating_add(One::one());

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, parameters.clone());

		assert_eq!(Params::<T>::get(), parameters);
		assert_invariants::<T>();
		Ok(())
	}

	#[benchmark]
	fn on_initialize(n: Linear<0, { T::MaxTimersPerBlock::get() }>) {
		// Appeal windows end in one block, apart from the deadlines.
		Params::<T>::put(Parameters {
			adjudication_period: 1000u32.into(),
			appeal_window: 10u32.into(),
		});
		let insurer = insurer::<T>();
		// Each rejected claim at a hospital and patient of its own: every timer releases a
		// hold when the window closes.
		let claims: Vec<H256> = (0..n)
			.map(|i| {
				let p = parties::<T>(i, insurer.clone(), false);
				let claim = hash(i);
				claim_under_review(&p, claim);
				let rejected = Pallet::<T>::reject(
					RawOrigin::Signed(p.insurer_device.clone()).into(),
					claim,
					RejectionReason::NotCovered,
				);
				assert!(rejected.is_ok(), "benchmark rejection: {rejected:?}");
				claim
			})
			.collect();
		let now = frame_system::Pallet::<T>::block_number();
		let due: BlockNumberFor<T> = now.saturating_add(10u32.into());
		assert_eq!(Timers::<T>::get(due).len() as u32, n);
		frame_system::Pallet::<T>::set_block_number(due);

		#[block]
		{
			Pallet::<T>::on_initialize(due);
		}

		for claim in claims {
			let entry = Claims::<T>::get(claim);
			assert_eq!(entry.as_ref().map(|c| c.appeal_until), Some(None));
			assert_eq!(entry.map(|c| c.held), Some(BalanceOf::<T>::default()));
		}
		assert_invariants::<T>();
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
