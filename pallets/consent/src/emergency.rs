//! Emergency (break-glass) access: a physician or nurse of an active hospital opens access to
//! a patient's emergency data without a consent; governance flags accesses for review. The
//! rules (docs/consent.md, "Emergency (break-glass) procedure"):
//!
//! 1. only a physician or nurse of an active hospital opens an access, for a registered
//!    pseudonym, with the patient's emergency card for it (rule 2 of [`crate::card`])
//!    and a salted commitment to the reason code (the reason itself stays off chain);
//! 2. at most `emergency_limit` accesses per practitioner key and `institution_emergency_limit`
//!    per institution (all its practitioners) in each `emergency_period`;
//! 3. the access covers the emergency categories for purpose `EmergencyTreatment` until
//!    `expires_at`, while it is unflagged and its practitioner still active at the hospital
//!    (rule 3 of [`crate::check`]);
//! 4. opening and flagging are entries of the patient's disclosure log, never refused for the
//!    log's sake (rule 5 of [`crate::log`]);
//! 5. a flagged access closes at once and counts once more against its institution.

use crate::{
	pallet::{
		Config, DisclosureOf, EmergencyAccesses, EmergencyUsage, Error, Event, FlaggedEmergencies,
		InstitutionEmergencyUsage, NextEmergencyAccessId, OpenEmergency, Pallet, Params,
	},
	types::*,
};
use frame_support::{ensure, pallet_prelude::DispatchResult};
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_institutions::{InstitutionId, InstitutionKind, PractitionerRole, Registry};
use pallet_records::Category;
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
	/// Rules 1, 2 and 4: `who` opens emergency access to `patient`'s emergency data.
	pub(crate) fn do_open_emergency_access(
		who: T::AccountId,
		patient: T::AccountId,
		reason_commitment: sp_core::H256,
		card_signature: T::CardSignature,
	) -> DispatchResult {
		let institution = match T::Registry::active_practitioner(&who) {
			Some((inst, PractitionerRole::Physician | PractitionerRole::Nurse))
				if T::Registry::active_kind(inst) == Some(InstitutionKind::Hospital) =>
			{
				inst
			},
			_ => return Err(Error::<T>::NotEmergencyPractitioner.into()),
		};
		ensure!(T::Registry::is_patient(&patient), Error::<T>::UnknownPatient);
		ensure!(
			Self::is_valid_card(&patient, &who, &card_signature),
			Error::<T>::InvalidEmergencyCard
		);
		let now = frame_system::Pallet::<T>::block_number();
		let params = Params::<T>::get();
		let (start, count) =
			Self::current_usage(EmergencyUsage::<T>::get(&who), now, params.emergency_period);
		ensure!(count < params.emergency_limit, Error::<T>::EmergencyRateLimited);
		let (inst_start, inst_count) = Self::current_usage(
			InstitutionEmergencyUsage::<T>::get(institution),
			now,
			params.emergency_period,
		);
		ensure!(
			inst_count < params.institution_emergency_limit,
			Error::<T>::InstitutionEmergencyRateLimited
		);

		let id = NextEmergencyAccessId::<T>::get();
		let expires_at = now.saturating_add(params.emergency_window);
		NextEmergencyAccessId::<T>::put(id.saturating_add(1));
		EmergencyUsage::<T>::insert(&who, (start, count.saturating_add(1)));
		InstitutionEmergencyUsage::<T>::insert(
			institution,
			(inst_start, inst_count.saturating_add(1)),
		);
		EmergencyAccesses::<T>::insert(
			id,
			EmergencyAccess {
				patient: patient.clone(),
				practitioner: who.clone(),
				institution,
				reason_commitment,
				opened_at: now,
				expires_at,
				flagged: false,
			},
		);
		OpenEmergency::<T>::insert(&patient, institution, id);
		// Rule 5 of the log: an emergency entry is never refused.
		let _ = Self::append_disclosure(
			&patient,
			Self::emergency_entry(institution, Basis::Emergency(id), now),
		);
		Self::deposit_event(Event::EmergencyAccessOpened {
			access: id,
			patient,
			practitioner: who,
			institution,
			reason_commitment,
			expires_at,
		});
		Ok(())
	}

	/// Rules 4 and 5: governance flags `access` for review.
	pub(crate) fn do_flag_emergency_access(access: EmergencyAccessId) -> DispatchResult {
		let mut entry =
			EmergencyAccesses::<T>::get(access).ok_or(Error::<T>::UnknownEmergencyAccess)?;
		ensure!(!entry.flagged, Error::<T>::AlreadyFlagged);
		let now = frame_system::Pallet::<T>::block_number();
		entry.flagged = true;
		if entry.expires_at > now {
			entry.expires_at = now;
		}
		let (patient, institution) = (entry.patient.clone(), entry.institution);
		EmergencyAccesses::<T>::insert(access, entry);
		let period = Params::<T>::get().emergency_period;
		InstitutionEmergencyUsage::<T>::mutate(institution, |usage| {
			let (start, count) = Self::current_usage(*usage, now, period);
			*usage = (start, count.saturating_add(1));
		});
		FlaggedEmergencies::<T>::mutate(institution, |n| *n = n.saturating_add(1));
		// Rule 5 of the log: an emergency entry is never refused.
		let index = Self::append_disclosure(
			&patient,
			Self::emergency_entry(institution, Basis::EmergencyReview(access), now),
		)
		.unwrap_or_default();
		Self::deposit_event(Event::EmergencyAccessFlagged { access, patient, institution, index });
		Ok(())
	}

	/// A rate-limit counter as it stands at `now`: a new period starts once `period` blocks
	/// have passed since the last one started.
	fn current_usage(
		(start, count): (BlockNumberFor<T>, u32),
		now: BlockNumberFor<T>,
		period: BlockNumberFor<T>,
	) -> (BlockNumberFor<T>, u32) {
		if now >= start.saturating_add(period) {
			(now, 0)
		} else {
			(start, count)
		}
	}

	/// The disclosure entry for an emergency access opened (or flagged) for `institution`.
	fn emergency_entry(
		institution: InstitutionId,
		basis: Basis,
		now: BlockNumberFor<T>,
	) -> DisclosureOf<T> {
		Disclosure {
			custodian: None,
			recipient: institution,
			record_id: None,
			category: Category::EmergencyDataSet,
			purpose: Purpose::EmergencyTreatment,
			basis,
			at: now,
			previous: Default::default(),
		}
	}
}
