//! Only hashes, sizes, codes and accounts go on chain: after a hospital anchors records, every
//! storage key under the institutions, records, certificates, exchange, prescriptions and
//! claims pallets is accounted for by a typed storage item, every value decodes completely, and
//! the only byte strings are the institution's public name and the custodian's opaque record
//! ids.

use codec::Encode;
use frame_support::{assert_ok, traits::StorageVersion};
use medchain_runtime::{
	genesis_config_presets, AccountId, BuildStorage, Certificates, Institutions, Records, Runtime,
	RuntimeOrigin, System,
};
use pallet_institutions::{InstitutionKind, PractitionerRole};
use pallet_records::{Category, FormatCode, NewRecord};
use sp_core::H256;
use sp_io::hashing::twox_128;
use sp_keyring::Sr25519Keyring;

fn dev_ext() -> sp_io::TestExternalities {
	let config = genesis_config_presets::preset_genesis_config("development").unwrap();
	let mut ext = sp_io::TestExternalities::new(config.build_storage().unwrap());
	ext.execute_with(|| {
		System::set_block_number(1);
		// Written directly: `set_timestamp` would also run Aura's slot check.
		pallet_timestamp::Now::<Runtime>::put(1_760_000_000_000);
	});
	ext
}

/// Every raw key under a pallet's storage prefix.
fn raw_keys(pallet: &str) -> Vec<Vec<u8>> {
	let prefix = twox_128(pallet.as_bytes()).to_vec();
	let mut keys = Vec::new();
	let mut key = prefix.clone();
	while let Some(next) = sp_io::storage::next_key(&key) {
		if !next.starts_with(&prefix) {
			break;
		}
		keys.push(next.clone());
		key = next;
	}
	keys
}

fn storage_version_key(pallet: &str) -> Vec<u8> {
	let mut key = twox_128(pallet.as_bytes()).to_vec();
	key.extend(twox_128(b":__STORAGE_VERSION__:"));
	key
}

#[test]
fn anchored_items_hold_only_hashes_sizes_codes_and_accounts() {
	dev_ext().execute_with(|| {
		let admin: AccountId = Sr25519Keyring::Bob.to_account_id();
		let device: AccountId = Sr25519Keyring::Dave.to_account_id();
		let doctor: AccountId = Sr25519Keyring::Eve.to_account_id();
		let patient: AccountId = Sr25519Keyring::Ferdie.to_account_id();
		let signed = |who: &AccountId| RuntimeOrigin::signed(who.clone());
		let name = "Hôpital Saint-Louis".as_bytes().to_vec();

		assert_ok!(Institutions::admit(
			RuntimeOrigin::root(),
			admin.clone(),
			InstitutionKind::Hospital,
			name.clone()
		));
		assert_ok!(Institutions::add_device(signed(&admin), device.clone()));
		assert_ok!(Institutions::add_practitioner(
			signed(&admin),
			doctor.clone(),
			PractitionerRole::Physician,
			H256::repeat_byte(0xd0)
		));
		assert_ok!(Institutions::register_patient(signed(&device), patient.clone(), None));
		assert_ok!(Institutions::confirm_registration(signed(&patient), patient.clone(), None));
		assert_ok!(Records::anchor(
			signed(&device),
			patient.clone(),
			b"lab-1".to_vec(),
			Category::Laboratory,
			H256::repeat_byte(1),
			100,
			FormatCode::FhirJson
		));
		let batch = (2u8..5)
			.map(|i| NewRecord {
				patient: patient.clone(),
				record_id: vec![b'x', i],
				category: Category::Imaging,
				content_hash: H256::repeat_byte(i),
				size: 1_000 * i as u64,
				format: FormatCode::Dicom,
			})
			.collect();
		assert_ok!(Records::anchor_batch(signed(&device), batch));
		assert_ok!(Records::supersede(
			signed(&device),
			b"lab-1".to_vec(),
			1,
			H256::repeat_byte(9),
			120,
			FormatCode::FhirJson
		));
		assert_ok!(Records::anchor_root(signed(&device), H256::repeat_byte(0xaa), 1_000));

		let anchored_hashes: Vec<H256> =
			[1u8, 2, 3, 4, 9].iter().map(|b| H256::repeat_byte(*b)).collect();
		let record_ids: Vec<Vec<u8>> =
			vec![b"lab-1".to_vec(), b"x\x02".to_vec(), b"x\x03".to_vec(), b"x\x04".to_vec()];

		// --- records pallet: every key accounted for, every value decoded and checked. ---
		let mut typed = 0usize;
		for (custodian, record_id, entry) in pallet_records::Records::<Runtime>::iter() {
			typed += 1;
			assert_eq!(custodian, 0);
			assert!(record_ids.contains(&record_id.into_inner()), "only the opaque ids given");
			assert_eq!(entry.patient, patient);
			let first = entry.first;
			assert!(anchored_hashes.contains(&first.content_hash), "only the anchored hashes");
			assert!(first.size > 0 && first.anchored_by == device);
		}
		for ((_, record_id), _, version) in pallet_records::Versions::<Runtime>::iter() {
			typed += 1;
			assert!(record_ids.contains(&record_id.into_inner()));
			assert!(anchored_hashes.contains(&version.content_hash), "only the anchored hashes");
			assert!(version.size > 0 && version.anchored_by == device);
		}
		for (_, hash, version) in pallet_records::VersionOfHash::<Runtime>::iter() {
			typed += 1;
			assert!(anchored_hashes.contains(&hash) && version >= 1);
		}
		for (who, tally) in pallet_records::PatientTallies::<Runtime>::iter() {
			typed += 1;
			assert_eq!((who, tally.custodian, tally.active), (patient.clone(), 0, 4));
			let mut counts = tally.by_category.to_vec();
			counts.sort();
			assert_eq!(counts[counts.len() - 2..], [1, 3], "one laboratory record, three images");
			assert!(counts[..counts.len() - 2].iter().all(|n| *n == 0));
		}
		for (who, _, (custodian, record_id)) in pallet_records::PatientRecords::<Runtime>::iter() {
			typed += 1;
			assert_eq!(who, patient);
			assert_eq!(custodian, 0);
			assert!(record_ids.contains(&record_id.into_inner()));
		}
		for (custodian, root, entry) in pallet_records::Roots::<Runtime>::iter() {
			typed += 1;
			assert_eq!((custodian, root, entry.leaf_count), (0, H256::repeat_byte(0xaa), 1_000));
		}
		let keys = raw_keys("Records");
		let version_key = storage_version_key("Records");
		let untyped: Vec<_> = keys.iter().filter(|k| **k != version_key).collect();
		assert_eq!(untyped.len(), typed, "every key under Records is a known, typed item");
		// Records (each with its version 1), one later version and its hash, one tally, four
		// list entries, one root.
		assert_eq!(typed, 4 + 1 + 1 + 1 + 4 + 1);

		// --- institutions pallet: the name is the only free text. ---
		let mut typed = 0usize;
		for (_, inst) in pallet_institutions::Institutions::<Runtime>::iter() {
			typed += 1;
			assert_eq!(inst.name.to_vec(), name, "the public display name");
			assert_eq!(inst.admin, admin);
		}
		typed += pallet_institutions::AdminOf::<Runtime>::iter().count();
		typed += pallet_institutions::Devices::<Runtime>::iter().count();
		for (_, p) in pallet_institutions::Practitioners::<Runtime>::iter() {
			typed += 1;
			assert_eq!(p.licence_hash, H256::repeat_byte(0xd0), "a hash, not a licence number");
		}
		typed += pallet_institutions::Patients::<Runtime>::iter().count();
		// The pseudonym's custodian, remembered for good (issue 13); no guardian here.
		for (who, custodian) in pallet_institutions::PseudonymCustodians::<Runtime>::iter() {
			typed += 1;
			assert_eq!((who, custodian), (patient.clone(), 0));
		}
		typed += pallet_institutions::Guardianships::<Runtime>::iter().count();
		// Confirmed: no pending registration (nor its count) is left.
		typed += pallet_institutions::PendingRegistrations::<Runtime>::iter().count();
		typed += pallet_institutions::PendingCount::<Runtime>::iter().count();
		typed += pallet_institutions::NextInstitutionId::<Runtime>::exists() as usize;
		let keys = raw_keys("Institutions");
		let version_key = storage_version_key("Institutions");
		assert_eq!(keys.iter().filter(|k| **k != version_key).count(), typed);
		assert_eq!(typed, 1 + 1 + 1 + 1 + 1 + 1 + 1);

		// The storage versions are the ones the pallets declare.
		assert_eq!(
			sp_io::storage::get(&storage_version_key("Records")).map(|v| v.to_vec()),
			Some(StorageVersion::new(3).encode())
		);

		// --- certificates pallet (issue 17): a hash, the pseudonym, a kind code, dates. ---
		let certificate = H256::repeat_byte(0xce);
		let now_ms = 1_760_000_000_000u64;
		assert_ok!(Certificates::issue(
			signed(&doctor),
			patient.clone(),
			certificate,
			pallet_certificates::CertificateKind::SickLeave,
			now_ms,
			Some(now_ms + 5 * 86_400_000)
		));
		assert_ok!(Certificates::revoke(
			signed(&doctor),
			certificate,
			pallet_certificates::RevocationReason::IssuedInError
		));
		let mut typed = 0usize;
		for (hash, entry) in pallet_certificates::Certificates::<Runtime>::iter() {
			typed += 1;
			assert_eq!(hash, certificate, "the document's salted hash, nothing of its text");
			assert_eq!((entry.subject, entry.issuer), (patient.clone(), doctor.clone()));
		}
		for (institution, next) in pallet_certificates::NextStatusIndex::<Runtime>::iter() {
			typed += 1;
			assert_eq!((institution, next), (0, 1));
		}
		for (institution, chunk, bits) in pallet_certificates::StatusChunks::<Runtime>::iter() {
			typed += 1;
			assert_eq!((institution, chunk, bits.revoked[0]), (0, 0, 0x80));
		}
		for (who, _, hash) in pallet_certificates::SubjectCertificates::<Runtime>::iter() {
			typed += 1;
			assert_eq!((who, hash), (patient.clone(), certificate));
		}
		typed += pallet_certificates::SubjectCertificateCount::<Runtime>::iter().count();
		let keys = raw_keys("Certificates");
		let version_key = storage_version_key("Certificates");
		assert_eq!(keys.iter().filter(|k| **k != version_key).count(), typed);
		assert_eq!(typed, 5, "every key under Certificates is a known, typed item");
	});
}

#[test]
fn exchange_items_hold_only_ids_codes_hashes_sizes_and_amounts() {
	use medchain_runtime::{currency::MILLI_MED, Consent, Exchange};
	use pallet_consent::Purpose;
	dev_ext().execute_with(|| {
		let signed = |who: &AccountId| RuntimeOrigin::signed(who.clone());
		let custodian_admin: AccountId = Sr25519Keyring::Bob.to_account_id();
		let requester_admin: AccountId = Sr25519Keyring::Charlie.to_account_id();
		let relay_admin: AccountId = Sr25519Keyring::Alice.to_account_id();
		let custodian_device: AccountId = Sr25519Keyring::Dave.to_account_id();
		let requester_device: AccountId = Sr25519Keyring::Eve.to_account_id();
		let patient: AccountId = Sr25519Keyring::Ferdie.to_account_id();
		for (admin, kind) in [
			(&custodian_admin, InstitutionKind::Hospital),
			(&requester_admin, InstitutionKind::Hospital),
			(&relay_admin, InstitutionKind::RelayOperator),
		] {
			assert_ok!(Institutions::admit(
				RuntimeOrigin::root(),
				admin.clone(),
				kind,
				b"x".to_vec()
			));
		}
		assert_ok!(Institutions::add_device(signed(&custodian_admin), custodian_device.clone()));
		assert_ok!(Institutions::add_device(signed(&requester_admin), requester_device.clone()));
		assert_ok!(Institutions::register_patient(
			signed(&custodian_device),
			patient.clone(),
			None
		));
		assert_ok!(Institutions::confirm_registration(signed(&patient), patient.clone(), None));
		assert_ok!(Records::anchor(
			signed(&custodian_device),
			patient.clone(),
			b"lab-1".to_vec(),
			Category::Laboratory,
			H256::repeat_byte(1),
			100,
			FormatCode::FhirJson
		));
		assert_ok!(Consent::grant(
			signed(&patient),
			patient.clone(),
			1,
			frame_support::BoundedVec::truncate_from(vec![Category::Laboratory]),
			Default::default(),
			frame_support::BoundedVec::truncate_from(vec![Purpose::Treatment]),
			None,
			medchain_runtime::DAYS + 1_000,
			None
		));
		assert_ok!(Exchange::set_prices(
			signed(&custodian_admin),
			0,
			vec![(Category::Laboratory, 7 * MILLI_MED)]
		));
		// The price list is in force a day later (`price_change_delay`); the first request
		// then moves it from `PendingPrices` to `Prices`.
		let delay = medchain_runtime::configs::DefaultExchangeParameters::get().price_change_delay;
		System::set_block_number(System::block_number() + delay);
		// One exchange completed, one waiting for delivery.
		for _ in 0..2 {
			assert_ok!(Exchange::request(
				signed(&requester_device),
				0,
				patient.clone(),
				vec![b"lab-1".to_vec()],
				vec![],
				Purpose::Treatment,
				7 * MILLI_MED
			));
		}
		assert_ok!(Exchange::deliver(
			signed(&custodian_device),
			0,
			H256::repeat_byte(0xee),
			4_096,
			2,
			vec![(b"lab-1".to_vec(), 1)]
		));
		assert_ok!(Exchange::confirm(signed(&requester_device), 0));

		let mut typed = 0usize;
		for (_, r) in pallet_exchange::Requests::<Runtime>::iter() {
			typed += 1;
			assert_eq!((r.requester, r.custodian), (1, 0));
			assert_eq!((r.payer, r.patient.clone()), (requester_device.clone(), patient.clone()));
			assert_eq!(
				r.items.records.iter().map(|id| id.to_vec()).collect::<Vec<_>>(),
				vec![b"lab-1".to_vec()]
			);
			assert_eq!(r.fee, 7 * MILLI_MED);
		}
		for (_, d) in pallet_exchange::Deliveries::<Runtime>::iter() {
			typed += 1;
			assert_eq!(
				(d.package_hash, d.package_size, d.relay),
				(H256::repeat_byte(0xee), 4_096, 2)
			);
			assert_eq!(
				d.versions.iter().map(|(id, v)| (id.to_vec(), *v)).collect::<Vec<_>>(),
				vec![(b"lab-1".to_vec(), 1)]
			);
		}
		// The index of each institution's requests holds request ids only (issue 18): the
		// requester's and the custodian's list, each with its count.
		for (institution, n, id) in pallet_exchange::InstitutionRequests::<Runtime>::iter() {
			typed += 1;
			assert!(institution <= 1 && n < 2 && id < 2, "({institution}, {n}) -> {id}");
		}
		for (institution, count) in pallet_exchange::InstitutionRequestCount::<Runtime>::iter() {
			typed += 1;
			assert_eq!((institution <= 1, count), (true, 2));
		}
		typed += pallet_exchange::Pending::<Runtime>::iter().count();
		typed += pallet_exchange::PendingCount::<Runtime>::iter().count();
		typed += pallet_exchange::PendingByRequester::<Runtime>::iter().count();
		typed += pallet_exchange::PendingPrices::<Runtime>::iter().count();
		typed += pallet_exchange::Timers::<Runtime>::iter().count();
		typed += pallet_exchange::Prices::<Runtime>::iter().count();
		typed += pallet_exchange::NextRequestId::<Runtime>::exists() as usize;
		typed += pallet_exchange::TotalHeld::<Runtime>::exists() as usize;
		let keys = raw_keys("Exchange");
		let version_key = storage_version_key("Exchange");
		assert_eq!(keys.iter().filter(|k| **k != version_key).count(), typed);
		// 2 requests, 1 delivery, 2 × 2 index entries + 2 counts, 1 waiting + its count + its
		// requester's count, timers in 2 blocks (deadlines, dispute window), 1 price list (none
		// waiting), the id counter and the total held.
		assert_eq!(typed, 2 + 1 + 4 + 2 + 1 + 1 + 1 + 2 + 1 + 1 + 1);
		assert_eq!(pallet_exchange::TotalHeld::<Runtime>::get(), 7 * MILLI_MED);
	});
}

#[test]
fn smart_hospital_items_hold_only_hashes_pseudonyms_counts_and_amounts() {
	use medchain_runtime::{currency::MED, Claims, Consent, Prescriptions};
	use pallet_consent::Purpose;
	dev_ext().execute_with(|| {
		let signed = |who: &AccountId| RuntimeOrigin::signed(who.clone());
		let hospital_admin: AccountId = Sr25519Keyring::Bob.to_account_id();
		let pharmacy_admin: AccountId = Sr25519Keyring::Charlie.to_account_id();
		let insurer_admin: AccountId = Sr25519Keyring::Alice.to_account_id();
		let device: AccountId = Sr25519Keyring::Dave.to_account_id();
		let physician: AccountId = Sr25519Keyring::Eve.to_account_id();
		let pharmacist: AccountId = Sr25519Keyring::Ferdie.to_account_id();
		let insurer_device: AccountId = Sr25519Keyring::AliceStash.to_account_id();
		let patient: AccountId = Sr25519Keyring::One.to_account_id();
		for (admin, kind) in [
			(&hospital_admin, InstitutionKind::Hospital),
			(&pharmacy_admin, InstitutionKind::Pharmacy),
			(&insurer_admin, InstitutionKind::Insurer),
		] {
			assert_ok!(Institutions::admit(
				RuntimeOrigin::root(),
				admin.clone(),
				kind,
				b"x".to_vec()
			));
		}
		assert_ok!(Institutions::add_device(signed(&hospital_admin), device.clone()));
		assert_ok!(Institutions::add_device(signed(&insurer_admin), insurer_device.clone()));
		assert_ok!(Institutions::add_practitioner(
			signed(&hospital_admin),
			physician.clone(),
			PractitionerRole::Physician,
			H256::repeat_byte(0xd0)
		));
		assert_ok!(Institutions::add_practitioner(
			signed(&pharmacy_admin),
			pharmacist.clone(),
			PractitionerRole::Pharmacist,
			H256::repeat_byte(0xd1)
		));
		assert_ok!(Institutions::register_patient(signed(&device), patient.clone(), None));
		assert_ok!(Institutions::confirm_registration(signed(&patient), patient.clone(), None));

		// A prescription of two fills at the pharmacy, one dispensed.
		let prescription = H256::repeat_byte(0xa1);
		assert_ok!(Prescriptions::issue(
			signed(&physician),
			prescription,
			patient.clone(),
			Some(1),
			2,
			None,
			true
		));
		assert_ok!(Prescriptions::claim(signed(&pharmacist), prescription));
		assert_ok!(Prescriptions::dispense(
			signed(&pharmacist),
			prescription,
			H256::repeat_byte(0xa2)
		));
		let mut typed = 0usize;
		for (hash, p) in pallet_prescriptions::Prescriptions::<Runtime>::iter() {
			typed += 1;
			assert_eq!(hash, prescription, "the document's salted hash, nothing of its text");
			assert_eq!((p.patient, p.prescriber), (patient.clone(), physician.clone()));
			assert_eq!((p.institution, p.pharmacy, p.fills, p.dispensed), (0, Some(1), 2, 1));
		}
		for (hash, fill, d) in pallet_prescriptions::Dispenses::<Runtime>::iter() {
			typed += 1;
			assert_eq!((hash, fill, d.dispense_hash), (prescription, 0, H256::repeat_byte(0xa2)));
			assert_eq!((d.pharmacy, d.pharmacist), (1, pharmacist.clone()));
		}
		for (who, _, hash) in pallet_prescriptions::PatientPrescriptions::<Runtime>::iter() {
			typed += 1;
			assert_eq!((who, hash), (patient.clone(), prescription));
		}
		typed += pallet_prescriptions::PatientPrescriptionCount::<Runtime>::iter().count();
		typed += pallet_prescriptions::PharmacyQueue::<Runtime>::iter().count();
		typed += pallet_prescriptions::QueueLength::<Runtime>::iter().count();
		typed += pallet_prescriptions::Params::<Runtime>::exists() as usize;
		let keys = raw_keys("Prescriptions");
		let version_key = storage_version_key("Prescriptions");
		assert_eq!(keys.iter().filter(|k| **k != version_key).count(), typed);
		// The prescription, its dispense, the patient's list and count, the queue and its length.
		assert_eq!(typed, 6, "every key under Prescriptions is a known, typed item");

		// A claim with the patient's consent for payment, accepted by the insurer.
		assert_ok!(Consent::grant(
			signed(&patient),
			patient.clone(),
			2,
			frame_support::BoundedVec::truncate_from(vec![Category::Laboratory]),
			Default::default(),
			frame_support::BoundedVec::truncate_from(vec![Purpose::Payment]),
			None,
			medchain_runtime::DAYS,
			None
		));
		let claim = H256::repeat_byte(0xb1);
		assert_ok!(Claims::submit(
			signed(&device),
			claim,
			2,
			patient.clone(),
			Category::Laboratory,
			5 * MED,
			pallet_claims::ClaimUse::Claim,
			None
		));
		assert_ok!(Claims::accept(signed(&insurer_device), claim));
		let mut typed = 0usize;
		for (hash, c) in pallet_claims::Claims::<Runtime>::iter() {
			typed += 1;
			assert_eq!(hash, claim, "the claim's salted hash, nothing of its text");
			assert_eq!((c.hospital, c.insurer, c.patient.clone()), (0, 2, patient.clone()));
			assert_eq!((c.amount, c.held, c.category), (5 * MED, 5 * MED, Category::Laboratory));
		}
		typed += pallet_claims::InsurerQueue::<Runtime>::iter().count();
		typed += pallet_claims::InsurerQueueLen::<Runtime>::iter().count();
		typed += pallet_claims::HospitalClaims::<Runtime>::iter().count();
		typed += pallet_claims::HospitalClaimCount::<Runtime>::iter().count();
		typed += pallet_claims::PatientClaims::<Runtime>::iter().count();
		typed += pallet_claims::PatientClaimCount::<Runtime>::iter().count();
		typed += pallet_claims::Timers::<Runtime>::iter().count();
		typed += pallet_claims::Params::<Runtime>::exists() as usize;
		let keys = raw_keys("Claims");
		let version_key = storage_version_key("Claims");
		assert_eq!(keys.iter().filter(|k| **k != version_key).count(), typed);
		// The claim, the insurer's queue and length, the hospital's list and count, the
		// patient's list and count, the deadline timer.
		assert_eq!(typed, 8, "every key under Claims is a known, typed item");
	});
}
