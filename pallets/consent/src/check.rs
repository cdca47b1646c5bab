//! The consent check: may `grantee` receive this record (or category) of `patient` for
//! `purpose` at block `at`? The rules, in order (docs/consent.md):
//!
//! 1. the patient must be registered, the grantee institution active;
//! 2. a record target must exist, be active and belong to the patient; its category and
//!    custodian are then known;
//! 3. emergency data (allergy, medication, emergency data set) for purpose
//!    `EmergencyTreatment` is permitted while an emergency access opened by a practitioner of
//!    the grantee is open — unexpired, not flagged by governance, its practitioner still
//!    active at the grantee — deny provisions do not stop break-glass access;
//! 4. a deny provision of the patient on the category denies (deny wins over any consent);
//! 5. a consent of the patient for the grantee permits when it is not revoked by `at`, its
//!    period contains `at`, it covers the purpose, its custodian limit (if any) matches, and
//!    its scope covers the category or the record;
//! 6. otherwise deny, with the reason of the consent that came closest (the one that failed
//!    the latest rule), or `NoConsent`.

use crate::{
	pallet::{
		Config, Consents, ConsentsOf, DenyProvisions, EmergencyAccesses, OpenEmergency, Pallet,
	},
	types::*,
};
use frame_system::pallet_prelude::BlockNumberFor;
use pallet_institutions::Registry;
use pallet_records::{Category, RecordIndex};

/// How far a consent got through rule 5: later stages are closer to permitting.
fn stage(reason: Reason) -> u8 {
	match reason {
		Reason::Revoked => 1,
		Reason::NotYetValid | Reason::Expired => 2,
		Reason::PurposeMismatch => 3,
		Reason::CustodianMismatch => 4,
		Reason::OutOfScope => 5,
		_ => 0,
	}
}

impl<T: Config> Pallet<T> {
	/// Decides whether `grantee` may receive `target` of `patient` for `purpose` at block `at`.
	pub fn check(
		patient: &T::AccountId,
		grantee: pallet_institutions::InstitutionId,
		target: &Target,
		purpose: Purpose,
		at: BlockNumberFor<T>,
	) -> Decision {
		if let Some(denial) = Self::check_parties(patient, grantee) {
			return denial;
		}
		let (category, custodian, record_id) = match target {
			Target::Record { custodian, record_id } => {
				match T::Records::record_facts(*custodian, record_id) {
					Some((owner, category)) if &owner == patient => {
						(category, Some(*custodian), Some(record_id.as_slice()))
					},
					_ => return Decision::deny(Reason::UnknownRecord, None),
				}
			},
			Target::Category { category, custodian } => (*category, *custodian, None),
		};
		Self::decide(patient, grantee, category, custodian, record_id, purpose, at)
	}

	/// The check for a record the caller has already resolved (it is `patient`'s, of
	/// `category`, held by `custodian`), without looking it up again.
	pub(crate) fn check_resolved_record(
		patient: &T::AccountId,
		grantee: pallet_institutions::InstitutionId,
		category: Category,
		custodian: pallet_institutions::InstitutionId,
		record_id: &[u8],
		purpose: Purpose,
		at: BlockNumberFor<T>,
	) -> Decision {
		if let Some(denial) = Self::check_parties(patient, grantee) {
			return denial;
		}
		Self::decide(patient, grantee, category, Some(custodian), Some(record_id), purpose, at)
	}

	/// Rule 1: a registered patient and an active grantee.
	fn check_parties(
		patient: &T::AccountId,
		grantee: pallet_institutions::InstitutionId,
	) -> Option<Decision> {
		if !T::Registry::is_patient(patient) {
			return Some(Decision::deny(Reason::UnknownPatient, None));
		}
		if !T::Registry::is_active(grantee) {
			return Some(Decision::deny(Reason::GranteeInactive, None));
		}
		None
	}

	/// Rules 3 to 6, once the target's category and custodian are known.
	fn decide(
		patient: &T::AccountId,
		grantee: pallet_institutions::InstitutionId,
		category: Category,
		custodian: Option<pallet_institutions::InstitutionId>,
		record_id: Option<&[u8]>,
		purpose: Purpose,
		at: BlockNumberFor<T>,
	) -> Decision {
		if purpose == Purpose::EmergencyTreatment && category.is_emergency_data() {
			if let Some(id) = Self::open_emergency_access_of(patient, grantee, at) {
				return Decision::Permit(Basis::Emergency(id));
			}
		}

		if DenyProvisions::<T>::get(patient).contains(&category) {
			return Decision::deny(Reason::DeniedByPatient, None);
		}

		let mut closest: Option<(Reason, ConsentId)> = None;
		for id in ConsentsOf::<T>::get(patient) {
			let Some(consent) = Consents::<T>::get(id) else { continue };
			if consent.grantee != grantee {
				continue;
			}
			let Some(reason) =
				Self::evaluate(&consent, category, custodian, record_id, purpose, at)
			else {
				return Decision::Permit(Basis::Consent(id));
			};
			if closest.is_none_or(|(r, _)| stage(reason) > stage(r)) {
				closest = Some((reason, id));
			}
		}
		match closest {
			Some((reason, id)) => Decision::deny(reason, Some(id)),
			None => Decision::deny(Reason::NoConsent, None),
		}
	}

	/// Rule 5 for one consent: `None` when it permits, else why not.
	fn evaluate(
		consent: &crate::pallet::ConsentOf<T>,
		category: Category,
		custodian: Option<pallet_institutions::InstitutionId>,
		record_id: Option<&[u8]>,
		purpose: Purpose,
		at: BlockNumberFor<T>,
	) -> Option<Reason> {
		if consent.revoked_from.is_some_and(|from| at >= from) {
			return Some(Reason::Revoked);
		}
		if at < consent.valid_from {
			return Some(Reason::NotYetValid);
		}
		if at >= consent.valid_until {
			return Some(Reason::Expired);
		}
		if !consent.purposes.contains(&purpose) {
			return Some(Reason::PurposeMismatch);
		}
		if let Some(limit) = consent.custodian {
			if custodian != Some(limit) {
				return Some(Reason::CustodianMismatch);
			}
		}
		let by_category = consent.scope.categories.contains(&category);
		let by_record = match (custodian, record_id) {
			(Some(c), Some(id)) => {
				consent.scope.records.iter().any(|(rc, rid)| *rc == c && rid.as_slice() == id)
			},
			_ => false,
		};
		(!by_category && !by_record).then_some(Reason::OutOfScope)
	}

	/// The emergency access of a practitioner of `institution` to `patient`, if in force at
	/// `at`: opened by then, not expired, not flagged, and its practitioner still an active
	/// practitioner of `institution` (removing the practitioner closes its accesses).
	pub fn open_emergency_access_of(
		patient: &T::AccountId,
		institution: pallet_institutions::InstitutionId,
		at: BlockNumberFor<T>,
	) -> Option<EmergencyAccessId> {
		let id = OpenEmergency::<T>::get(patient, institution)?;
		let access = EmergencyAccesses::<T>::get(id)?;
		let practitioner_active = T::Registry::active_practitioner(&access.practitioner)
			.is_some_and(|(inst, _)| inst == institution);
		(at >= access.opened_at && at < access.expires_at && !access.flagged && practitioner_active)
			.then_some(id)
	}
}
