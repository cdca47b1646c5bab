//! The pallet's invariants, checked by `try-runtime` after each block, by every unit test at
//! its end and after every benchmark:
//!
//! - conservation: the funds held for `ClaimFunds` on each payer equal the sum of `held` over
//!   that payer's claims, so every payout and release moved exactly what the claims say;
//! - `held` is zero where nothing may be held (submitted, complete, cancelled, settled, a
//!   decision whose appeal window closed, every preauthorization, any claim the insurer never
//!   accepted); otherwise it is the unpaid rest `amount − approved` on the payer (the whole
//!   amount under review, rejected or escalated after acceptance);
//! - `approved + patient_share ≤ amount`; `approved` is non-zero exactly when a
//!   ClaimResponse hash is stored (the claim was adjudicated);
//! - a claim is in its insurer's queue exactly when it waits for the insurer, in its
//!   hospital's open claims exactly when it is open; the counts match the lists, without zero
//!   entries, within their bounds;
//! - a claim waiting for the insurer has its deadline timer, an appealable decision its
//!   appeal-window timer; every timer names a stored claim; no timer list is empty;
//! - each patient's list holds exactly the patient's claims, each once, in slots `0..count`,
//!   within `MaxClaimsPerPatient`;
//! - a named preauthorization is a stored preauthorization of the same parties.

use crate::{
	pallet::{
		Claims, Config, HoldReason, HospitalClaimCount, HospitalClaims, InsurerQueue,
		InsurerQueueLen, Pallet, PatientClaimCount, PatientClaims, Timers,
	},
	types::*,
};
use alloc::collections::{btree_map::BTreeMap, btree_set::BTreeSet};
use frame_support::{
	ensure,
	traits::{fungible::InspectHold, Get},
};
use pallet_institutions::InstitutionId;
use sp_core::H256;
use sp_runtime::{
	traits::{Saturating, Zero},
	TryRuntimeError,
};

/// Checks that `counts` (a stored count per key) equal `expected` (counted from the claims),
/// without zero entries and within `bound`.
fn counts_match<K: Ord>(
	counts: impl Iterator<Item = (K, u32)>,
	expected: &BTreeMap<K, u32>,
	bound: u32,
	what: &'static str,
) -> Result<(), TryRuntimeError> {
	let mut seen = 0usize;
	for (key, count) in counts {
		ensure!(count > 0 && count <= bound, what);
		ensure!(expected.get(&key) == Some(&count), what);
		seen += 1;
	}
	ensure!(seen == expected.len(), what);
	Ok(())
}

impl<T: Config> Pallet<T> {
	/// Checks the invariants listed in this module's documentation.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let reason: T::RuntimeHoldReason = HoldReason::ClaimFunds.into();
		let mut per_payer: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut queued: BTreeMap<InstitutionId, u32> = BTreeMap::new();
		let mut open: BTreeMap<InstitutionId, u32> = BTreeMap::new();
		let mut per_patient: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		let mut timed = BTreeSet::new();
		for (_, list) in Timers::<T>::iter() {
			ensure!(!list.is_empty(), "an empty timer list is stored");
			for (claim, kind) in list {
				ensure!(Claims::<T>::contains_key(claim), "a timer of a missing claim");
				timed.insert((claim, kind));
			}
		}
		let mut total = 0usize;
		for (hash, c) in Claims::<T>::iter() {
			total += 1;
			Self::check_funds(&c)?;
			if let Some(payer) = c.payer.as_ref() {
				let held = per_payer.entry(payer.clone()).or_default();
				*held = held.saturating_add(c.held);
			}
			let in_queue = InsurerQueue::<T>::get(c.insurer, hash);
			ensure!(in_queue.is_some() == c.status.awaits_insurer(), "queue and status disagree");
			ensure!(in_queue.is_none_or(|at| at == c.submitted_at), "a queue entry's block");
			if in_queue.is_some() {
				*queued.entry(c.insurer).or_default() += 1;
				ensure!(timed.contains(&(hash, TimerKind::Deadline)), "no deadline timer");
			}
			let listed = HospitalClaims::<T>::get(c.hospital, hash);
			ensure!(listed.is_some() == c.is_open(), "open claims and status disagree");
			if listed.is_some() {
				*open.entry(c.hospital).or_default() += 1;
			}
			if let Some(until) = c.appeal_until {
				ensure!(c.status.is_appealable(), "an appeal window of a claim not appealable");
				ensure!(
					timed.contains(&(hash, TimerKind::AppealWindow))
						&& Timers::<T>::get(until).contains(&(hash, TimerKind::AppealWindow)),
					"an appealable decision without its timer"
				);
			}
			if let Some(p) = c.preauthorization {
				let p = Claims::<T>::get(p).ok_or("a missing preauthorization is named")?;
				ensure!(
					p.claim_use == ClaimUse::Preauthorization
						&& p.patient == c.patient
						&& p.hospital == c.hospital
						&& p.insurer == c.insurer,
					"a named preauthorization does not fit"
				);
			}
			*per_patient.entry(c.patient).or_default() += 1;
		}
		for (payer, held) in per_payer {
			ensure!(
				T::Currency::balance_on_hold(&reason, &payer) == held,
				"a payer's held funds differ from its claims' held amounts"
			);
		}
		counts_match(
			InsurerQueueLen::<T>::iter(),
			&queued,
			T::MaxOpenPerInsurer::get(),
			"an insurer's queue length differs from its claims waiting",
		)?;
		ensure!(
			InsurerQueue::<T>::iter().count()
				== queued.values().map(|n| *n as usize).sum::<usize>(),
			"the insurer queues hold a claim not waiting"
		);
		counts_match(
			HospitalClaimCount::<T>::iter(),
			&open,
			T::MaxOpenPerHospital::get(),
			"a hospital's open count differs from its open claims",
		)?;
		ensure!(
			HospitalClaims::<T>::iter().count()
				== open.values().map(|n| *n as usize).sum::<usize>(),
			"the hospital lists hold a closed claim"
		);
		Self::check_patient_lists(&per_patient, total)
	}

	/// The funds and amounts of one claim.
	fn check_funds(c: &ClaimOf<T>) -> Result<(), TryRuntimeError> {
		ensure!(c.held <= c.amount, "more held than claimed");
		ensure!(
			c.approved.saturating_add(c.patient_share) <= c.amount,
			"approved and patient share exceed the amount"
		);
		ensure!(
			c.approved.is_zero() == c.response_hash.is_none(),
			"an approved amount without a ClaimResponse, or the other way round"
		);
		// What the insurer still holds after accepting and paying the approved part.
		let unpaid =
			if c.payer.is_some() { c.amount.saturating_sub(c.approved) } else { Zero::zero() };
		let expected = match c.status {
			_ if c.claim_use == ClaimUse::Preauthorization => Zero::zero(),
			ClaimStatus::Submitted
			| ClaimStatus::Cancelled
			| ClaimStatus::Settled { .. }
			| ClaimStatus::Adjudicated { outcome: Outcome::Complete } => Zero::zero(),
			// A decision whose appeal window closed released what was held.
			ClaimStatus::Rejected { .. } | ClaimStatus::Adjudicated { .. }
				if c.appeal_until.is_none() =>
			{
				Zero::zero()
			},
			// Under review, decided and appealable, appealed, escalated.
			_ => unpaid,
		};
		ensure!(c.held == expected, "held differs from what the status holds");
		Ok(())
	}

	/// Each patient's list holds exactly the patient's claims.
	fn check_patient_lists(
		per_patient: &BTreeMap<T::AccountId, u32>,
		total: usize,
	) -> Result<(), TryRuntimeError> {
		let mut listed = BTreeSet::<H256>::new();
		let mut patients = 0usize;
		for (patient, count) in PatientClaimCount::<T>::iter() {
			ensure!(count > 0, "an empty patient count is stored");
			ensure!(count <= T::MaxClaimsPerPatient::get(), "too many claims for a patient");
			ensure!(per_patient.get(&patient) == Some(&count), "a patient's count is wrong");
			for slot in 0..count {
				let hash =
					PatientClaims::<T>::get(&patient, slot).ok_or("a patient's list has a gap")?;
				let c = Claims::<T>::get(hash).ok_or("a patient's list names a missing claim")?;
				ensure!(c.patient == patient, "a patient's list names another's claim");
				ensure!(listed.insert(hash), "a claim is listed twice");
			}
			patients += 1;
		}
		ensure!(patients == per_patient.len(), "a patient with claims has no count");
		ensure!(
			listed.len() == total && PatientClaims::<T>::iter().count() == total,
			"a patient list entry beyond its count"
		);
		Ok(())
	}
}
