//! Unit tests of the claims pallet, split by concern: the life cycles of claims and
//! preauthorizations (`tests/lifecycle.rs`), every error the calls name (`tests/errors.rs`), the
//! money of all parties checked to the unit (`tests/funds.rs`), the bounds of the lists and
//! timers (`tests/bounds.rs`), and the runtime API's answers (`tests/queries.rs`). Every test
//! runs in `build_and_execute`, which checks the pallet's invariants when it ends.

use crate::{
	mock::*,
	pallet::{HoldReason, HospitalClaimCount, InsurerQueueLen, Params, PatientClaimCount, Timers},
	types::*,
	Error, Event,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::{
		fungible::{Inspect, InspectHold},
		Hooks,
	},
};
use pallet_records::Category;
use sp_core::H256;
use sp_runtime::DispatchResult;

mod bounds;
mod errors;
mod funds;
mod lifecycle;
mod queries;

fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

/// A claim hash.
fn h(n: u8) -> H256 {
	H256::repeat_byte(n)
}

/// A ClaimResponse hash.
fn response(n: u8) -> H256 {
	H256::repeat_byte(0xf0 | n)
}

/// Free balance.
fn free(who: u64) -> u64 {
	Balances::balance(&who)
}

/// Held for claims.
fn held(who: u64) -> u64 {
	Balances::balance_on_hold(&RuntimeHoldReason::Claims(HoldReason::ClaimFunds), &who)
}

/// The stored claim.
fn claim(hash: H256) -> ClaimOf<Test> {
	crate::Claims::<Test>::get(hash).expect("the claim exists")
}

fn status(hash: H256) -> ClaimStatus<u64> {
	claim(hash).status
}

/// Submits, by `device`, a claim of `amount` of `patient` to `insurer` about `category`.
fn submit_with(
	device: u64,
	hash: H256,
	insurer: u32,
	patient: u64,
	category: Category,
	amount: u64,
	claim_use: ClaimUse,
	preauthorization: Option<H256>,
) -> DispatchResult {
	Claims::submit(
		signed(device),
		hash,
		insurer,
		patient,
		category,
		amount,
		claim_use,
		preauthorization,
	)
}

/// The hospital claims `amount` for laboratory work on the patient from the insurer.
fn submit(hash: H256, amount: u64) -> DispatchResult {
	submit_with(
		HOSPITAL_DEVICE,
		hash,
		INSURER,
		PATIENT,
		Category::Laboratory,
		amount,
		ClaimUse::Claim,
		None,
	)
}

/// The hospital asks the insurer to preauthorize `amount` of imaging for the patient.
fn preauthorize(hash: H256, amount: u64) -> DispatchResult {
	submit_with(
		HOSPITAL_DEVICE,
		hash,
		INSURER,
		PATIENT,
		Category::Imaging,
		amount,
		ClaimUse::Preauthorization,
		None,
	)
}

fn accept(who: u64, hash: H256) -> DispatchResult {
	Claims::accept(signed(who), hash)
}

fn adjudicate(who: u64, hash: H256, approved: u64, patient_share: u64) -> DispatchResult {
	Claims::adjudicate(signed(who), hash, approved, patient_share, response(1))
}

fn reject(who: u64, hash: H256) -> DispatchResult {
	Claims::reject(signed(who), hash, RejectionReason::NotCovered)
}

fn cancel(who: u64, hash: H256) -> DispatchResult {
	Claims::cancel(signed(who), hash)
}

fn appeal(who: u64, hash: H256) -> DispatchResult {
	Claims::appeal(signed(who), hash)
}

fn settle(hash: H256, award: u64) -> DispatchResult {
	Claims::settle(RuntimeOrigin::root(), hash, award)
}

/// A claim of `amount`, submitted and accepted by the insurer's funded device.
fn under_review(hash: H256, amount: u64) {
	assert_ok!(submit(hash, amount));
	assert_ok!(accept(INSURER_DEVICE, hash));
}

fn check_invariants() {
	Claims::do_try_state().expect("the claims pallet's invariants hold");
}

#[test]
fn integrity_test_passes() {
	build_and_execute(|| {
		<crate::Pallet<Test> as Hooks<u64>>::integrity_test();
	});
}

#[test]
fn codes_are_encoded_in_their_order() {
	use codec::Encode;
	assert_eq!(ClaimUse::Claim.encode(), vec![0]);
	assert_eq!(ClaimUse::Preauthorization.encode(), vec![1]);
	assert_eq!(RejectionReason::NotCovered.encode(), vec![0]);
	assert_eq!(RejectionReason::Other.encode(), vec![5]);
	assert_eq!(ClaimStatus::<u64>::Settled { award: 7 }.encode(), vec![7, 7, 0, 0, 0, 0, 0, 0, 0]);
}
