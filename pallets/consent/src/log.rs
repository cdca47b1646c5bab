//! The disclosure log: every release of a patient's record (and every emergency access
//! opened or flagged) is an entry, hash-chained to the previous one. The rules
//! (docs/consent.md, "The disclosure log"):
//!
//! 1. a patient's log keeps a contiguous range of the newest `MaxDisclosuresPerPatient`
//!    entries; when a new entry would exceed it, the oldest is pruned and the hash of the
//!    newest pruned entry is kept (`LogState::pruned_head`), so the oldest kept entry's
//!    `previous` proves nothing in between was dropped;
//! 2. an entry younger than the governance `disclosure_retention` is never pruned by a
//!    release: the release is refused ([`LogRefusal::Full`]) instead;
//! 3. (until issue 13, one custodian's releases held at most a share of a patient's log; a
//!    pseudonym has one custodian, so there is no other custodian to protect and the rule
//!    is gone: the emergency entries it also protected are covered by rules 4 and 5);
//! 4. an entry recording an emergency access (opened or flagged) is never deleted by pruning:
//!    it leaves the range but stays stored, its index listed in `KeptEmergencyEntries`
//!    (at most `MaxKeptEmergencyEntries`; only a newer emergency entry displaces the oldest);
//! 5. the opening of an emergency access is never refused for the log's sake: it prunes the
//!    oldest entry whatever its age (break-glass is rate-limited per practitioner and per
//!    institution, and reviewable).

use crate::{
	pallet::{
		Config, DisclosureLog, DisclosureOf, Disclosures, KeptEmergencyEntries, Pallet, Params,
	},
	types::*,
};
use alloc::vec::Vec;
use codec::Encode;
use frame_support::traits::Get;
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H256;
use sp_runtime::traits::Saturating;

/// Why the log refused an entry.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum LogRefusal {
	/// Rule 2: the log is full of entries younger than the retention period.
	Full,
}

/// Whether an entry records an emergency access (opened or flagged) rather than a release.
pub fn is_emergency_entry<B, M: Get<u32>>(entry: &Disclosure<B, M>) -> bool {
	entry.custodian.is_none()
		&& matches!(entry.basis, Basis::Emergency(_) | Basis::EmergencyReview(_))
}

impl<T: Config> Pallet<T> {
	/// The hash of an entry, as the next entry's `previous`.
	pub fn entry_hash(entry: &DisclosureOf<T>) -> H256 {
		H256(sp_io::hashing::blake2_256(&entry.encode()))
	}

	/// Whether `entry` may be appended to `patient`'s log now (rules 2 and 3), without
	/// writing anything.
	pub(crate) fn may_append(
		patient: &T::AccountId,
		entry: &DisclosureOf<T>,
		now: BlockNumberFor<T>,
	) -> Result<(), LogRefusal> {
		let log = DisclosureLog::<T>::get(patient);
		if is_emergency_entry(entry)
			|| log.next.saturating_sub(log.first) < T::MaxDisclosuresPerPatient::get()
		{
			return Ok(());
		}
		let retention = Params::<T>::get().disclosure_retention;
		match Disclosures::<T>::get(patient, log.first) {
			Some(oldest) if now < oldest.at.saturating_add(retention) => Err(LogRefusal::Full),
			_ => Ok(()),
		}
	}

	/// Appends an entry (its `previous` is set here) after checking rules 2 and 3; prunes the
	/// oldest if the log is full (rules 1, 4, 5). Returns the entry's index.
	pub(crate) fn append_disclosure(
		patient: &T::AccountId,
		mut entry: DisclosureOf<T>,
	) -> Result<u32, LogRefusal> {
		let now = frame_system::Pallet::<T>::block_number();
		Self::may_append(patient, &entry, now)?;
		let mut log = DisclosureLog::<T>::get(patient);
		entry.previous = log.head;
		let index = log.next;
		log.head = Self::entry_hash(&entry);
		Disclosures::<T>::insert(patient, index, entry);
		log.next = log.next.saturating_add(1);
		if log.next.saturating_sub(log.first) > T::MaxDisclosuresPerPatient::get() {
			Self::prune_oldest(patient, &mut log);
		}
		DisclosureLog::<T>::insert(patient, log);
		Ok(index)
	}

	/// Takes the oldest entry out of the kept range: a release is deleted (its custodian's
	/// share freed), an emergency entry stays stored and is listed as kept (rule 4).
	fn prune_oldest(patient: &T::AccountId, log: &mut LogState) {
		let first = log.first;
		log.first = log.first.saturating_add(1);
		let Some(oldest) = Disclosures::<T>::get(patient, first) else { return };
		log.pruned_head = Self::entry_hash(&oldest);
		if is_emergency_entry(&oldest) {
			KeptEmergencyEntries::<T>::mutate(patient, |kept| {
				if kept.is_full() && !kept.is_empty() {
					let dropped = kept.remove(0);
					Disclosures::<T>::remove(patient, dropped);
				}
				// Room was made above (the bound is at least one).
				let _ = kept.try_push(first);
			});
			return;
		}
		Disclosures::<T>::remove(patient, first);
	}

	/// Page `page` (from 0) of a patient's disclosures, newest first.
	pub fn disclosures(patient: &T::AccountId, page: u32) -> DisclosuresPage<BlockNumberFor<T>> {
		let log = DisclosureLog::<T>::get(patient);
		let page_size = T::DisclosurePageSize::get();
		let skip = page.saturating_mul(page_size);
		let newest = log.next.saturating_sub(skip);
		let oldest = newest.saturating_sub(page_size).max(log.first);
		let entries: Vec<_> = (oldest..newest)
			.rev()
			.filter_map(|i| Some((i, Self::view(Disclosures::<T>::get(patient, i)?))))
			.collect();
		let kept_emergency = if page == 0 {
			KeptEmergencyEntries::<T>::get(patient)
				.iter()
				.rev()
				.filter_map(|i| Some((*i, Self::view(Disclosures::<T>::get(patient, i)?))))
				.collect()
		} else {
			Vec::new()
		};
		DisclosuresPage { log, page, page_size, entries, kept_emergency }
	}

	/// An entry as the runtime API and JSON show it.
	fn view(d: DisclosureOf<T>) -> DisclosureView<BlockNumberFor<T>> {
		let hash = Self::entry_hash(&d);
		DisclosureView {
			custodian: d.custodian,
			recipient: d.recipient,
			record_id: d.record_id.map(|r| r.into_inner()).unwrap_or_default(),
			category: d.category,
			purpose: d.purpose,
			basis: d.basis,
			at: d.at,
			previous: d.previous,
			hash,
		}
	}
}
