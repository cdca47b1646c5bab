//! Benchmarks of every call, each in its worst case: the caller is a colleague of the issuer
//! (rule 7 reads the admin and then the practitioner), the institution's status chunk and
//! counters exist already (so they are read and rewritten, not created), and the subject has
//! certificates already. Every subject is registered at the benchmark's hospital (rule 4).

use super::*;
use crate::Pallet as CertificatesPallet;
use frame_benchmarking::v2::*;
use frame_support::traits::Get;
use frame_system::RawOrigin;
use pallet_consent::DisclosureGate;
use pallet_institutions::{InstitutionKind, PractitionerRole, Registry};
use sp_core::H256;

/// A hospital with two physicians and a registered patient.
struct Setup<AccountId> {
	/// Issues the certificates of the setup.
	issuer: AccountId,
	/// Another physician of the hospital: the caller of the benchmarked call.
	colleague: AccountId,
	/// A patient of the hospital.
	subject: AccountId,
}

fn setup<T: Config>() -> Setup<T::AccountId> {
	let admin: T::AccountId = account("admin", 0, 0);
	let issuer: T::AccountId = account("physician", 0, 0);
	let colleague: T::AccountId = account("physician", 1, 0);
	let subject: T::AccountId = account("subject", 0, 0);
	let hospital = T::Registry::benchmark_institution(InstitutionKind::Hospital, &admin);
	T::Registry::benchmark_practitioner(&issuer, hospital, PractitionerRole::Physician);
	T::Registry::benchmark_practitioner(&colleague, hospital, PractitionerRole::Physician);
	T::Registry::benchmark_patient(&subject, hospital);
	Setup { issuer, colleague, subject }
}

fn hash(i: u32) -> H256 {
	H256(sp_io::hashing::blake2_256(&i.to_le_bytes()))
}

/// Validity of the benchmarks' certificates: from now, for `MaxValidityMs`.
fn validity<T: Config>() -> (u64, Option<u64>) {
	let from = CertificatesPallet::<T>::now_ms();
	(from, Some(from.saturating_add(T::MaxValidityMs::get())))
}

/// Issues certificate `i` about the setup's subject through the call itself.
fn issued<T: Config>(s: &Setup<T::AccountId>, i: u32) -> H256 {
	let (from, until) = validity::<T>();
	CertificatesPallet::<T>::issue(
		RawOrigin::Signed(s.issuer.clone()).into(),
		s.subject.clone(),
		hash(i),
		CertificateKind::SickLeave,
		from,
		until,
	)
	.unwrap_or_else(|e| panic!("benchmark setup issue failed: {e:?}"));
	hash(i)
}

/// Issues certificate `i` and suspends it, so its institution's first status chunk exists.
fn suspended<T: Config>(s: &Setup<T::AccountId>, i: u32) -> H256 {
	let document_hash = issued::<T>(s, i);
	CertificatesPallet::<T>::suspend(
		RawOrigin::Signed(s.issuer.clone()).into(),
		document_hash,
		SuspensionReason::UnderReview,
	)
	.unwrap_or_else(|e| panic!("benchmark setup suspend failed: {e:?}"));
	document_hash
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// The institution's next index and the subject's count exist already.
	#[benchmark]
	fn issue() {
		let s = setup::<T>();
		suspended::<T>(&s, 0);
		let (from, until) = validity::<T>();
		#[extrinsic_call]
		_(
			RawOrigin::Signed(s.colleague),
			s.subject.clone(),
			hash(1),
			CertificateKind::SickLeave,
			from,
			until,
		);
		assert_eq!(SubjectCertificateCount::<T>::get(&s.subject), 2);
	}

	/// Another certificate of the chunk is suspended: the chunk is read and rewritten.
	#[benchmark]
	fn suspend() {
		let s = setup::<T>();
		suspended::<T>(&s, 0);
		let document_hash = issued::<T>(&s, 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(s.colleague), document_hash, SuspensionReason::Disputed);
		let verification = CertificatesPallet::<T>::verify(document_hash);
		assert_eq!(verification.map(|v| v.validity), Some(Validity::Suspended));
	}

	/// Another certificate of the chunk stays suspended: the chunk is rewritten, not removed.
	#[benchmark]
	fn reinstate() {
		let s = setup::<T>();
		suspended::<T>(&s, 0);
		let document_hash = suspended::<T>(&s, 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(s.colleague), document_hash);
		let verification = CertificatesPallet::<T>::verify(document_hash);
		assert_eq!(verification.map(|v| v.validity), Some(Validity::Valid));
	}

	/// A suspended certificate: both of its bits change.
	#[benchmark]
	fn revoke() {
		let s = setup::<T>();
		suspended::<T>(&s, 0);
		let document_hash = suspended::<T>(&s, 1);
		#[extrinsic_call]
		_(RawOrigin::Signed(s.colleague), document_hash, RevocationReason::IssuedInError);
		let verification = CertificatesPallet::<T>::verify(document_hash);
		assert_eq!(verification.map(|v| v.validity), Some(Validity::Revoked));
	}

	/// A suspended certificate (its bit is cleared) replaced by a new one (a new index and
	/// list entry).
	#[benchmark]
	fn supersede() {
		let s = setup::<T>();
		suspended::<T>(&s, 0);
		let old = suspended::<T>(&s, 1);
		let (from, until) = validity::<T>();
		#[extrinsic_call]
		_(RawOrigin::Signed(s.colleague), old, hash(2), from, until);
		let verification = CertificatesPallet::<T>::verify(hash(2));
		assert_eq!(verification.and_then(|v| v.supersedes), Some(old));
	}

	/// The holder's disclosure log is full of entries past their retention: the new entry
	/// prunes the oldest (the log's most expensive append).
	#[benchmark]
	fn log_verification() {
		let s = setup::<T>();
		let document_hash = issued::<T>(&s, 0);
		let institution = CertificatesPallet::<T>::verify(document_hash)
			.map(|v| v.institution)
			.unwrap_or_default();
		T::Consent::benchmark_full_log(&s.subject, institution, institution);
		#[extrinsic_call]
		_(RawOrigin::Signed(s.subject.clone()), document_hash, H256::repeat_byte(7));
		let index = T::Consent::benchmark_max_disclosures();
		frame_system::Pallet::<T>::assert_last_event(
			Event::<T>::VerificationLogged { document_hash, subject: s.subject, index }.into(),
		);
	}

	impl_benchmark_test_suite!(CertificatesPallet, crate::mock::new_test_ext(), crate::mock::Test);
}
