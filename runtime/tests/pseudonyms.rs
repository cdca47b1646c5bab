//! Privacy by design (issue 13, docs/privacy.md): one person is a patient at two hospitals,
//! with a pseudonym at each (derived from one secret), a guardian acting through a key per
//! ward and custodian, records, consents, an exchange, an emergency card and break-glass
//! accesses at both. Then every storage item and every event is walked: nothing joins the
//! two pseudonyms' data (no key, value or event field holds both sides' identifiers, and no
//! high-entropy value is shared between the two sides), and no emergency reason is stored in
//! clear. The emergency card flow reaches the allergy data at both custodians with nothing but
//! the card; a forged or replayed card is refused.
//!
//! On the layout before issue 13 the scenario itself is refused here: one account registered
//! at both hospitals was a "care relationship", now `PatientAlreadyRegistered`.

use codec::Encode;
use frame_support::{assert_noop, assert_ok, BoundedVec};
use medchain_runtime::{
	currency::MILLI_MED, genesis_config_presets, AccountId, BuildStorage, Consent, Exchange,
	Institutions, Records, Runtime, RuntimeOrigin, Signature, System,
};
use pallet_consent::{EmergencyCardStatement, EmergencyReason, Purpose};
use pallet_institutions::{InstitutionId, InstitutionKind, PractitionerRole};
use pallet_records::{Category, FormatCode};
use sp_core::{sr25519, Pair, H256};
use sp_keyring::Sr25519Keyring;
use std::collections::BTreeSet;

fn dev_ext() -> sp_io::TestExternalities {
	let config = genesis_config_presets::preset_genesis_config("development").unwrap();
	let mut ext = sp_io::TestExternalities::new(config.build_storage().unwrap());
	ext.execute_with(|| {
		System::set_block_number(1);
		pallet_timestamp::Now::<Runtime>::put(1_760_000_000_000);
	});
	ext
}

fn pair(uri: &str) -> sr25519::Pair {
	sr25519::Pair::from_string(uri, None).unwrap()
}

fn id(p: &sr25519::Pair) -> AccountId {
	p.public().into()
}

fn signed(who: &AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who.clone())
}

/// The keys of one person at one custodian, derived as the patient's app does
/// (`medchain_client::identity`): hard derivations of the person's secret with the genesis
/// hash and the custodian in the path.
struct Side {
	custodian: InstitutionId,
	device: AccountId,
	pseudonym: sr25519::Pair,
	guardian: sr25519::Pair,
	card_key: sr25519::Pair,
	hashes: Vec<H256>,
}

impl Side {
	fn new(genesis: &H256, custodian: InstitutionId, device: AccountId, salt: u8) -> Self {
		let g = hex(genesis.as_bytes());
		let pseudonym = pair(&format!("//Person//medchain//{g}//custodian//{custodian}"));
		let ward = hex(id(&pseudonym).as_ref());
		let guardian = pair(&format!("//Parent//medchain//{g}//guardian//{custodian}//{ward}"));
		let seed = sp_io::hashing::blake2_256(
			format!("//Person//medchain//{g}//card//{custodian}//0").as_bytes(),
		);
		let hashes = (0..3).map(|i| H256::repeat_byte(salt + i)).collect();
		Side {
			custodian,
			device,
			pseudonym,
			guardian,
			card_key: sr25519::Pair::from_seed(&seed),
			hashes,
		}
	}

	fn patient(&self) -> AccountId {
		id(&self.pseudonym)
	}

	/// What identifies this side: the pseudonym, its guardian key, its card key, the hashes
	/// anchored for it.
	fn tokens(&self) -> Vec<Vec<u8>> {
		let mut t: Vec<Vec<u8>> = [&self.pseudonym, &self.guardian, &self.card_key]
			.iter()
			.map(|p| id(p).encode())
			.collect();
		t.extend(self.hashes.iter().map(|h| h.as_bytes().to_vec()));
		t
	}

	/// The card entry's signature for `practitioner`, as the emergency department makes it.
	fn card_for(&self, practitioner: &AccountId) -> Signature {
		let statement = EmergencyCardStatement {
			genesis_hash: System::block_hash(0),
			custodian: self.custodian,
			pseudonym: self.patient(),
			practitioner: practitioner.clone(),
		};
		Signature::Sr25519(self.card_key.sign(&statement.signing_payload()))
	}
}

fn hex(bytes: &[u8]) -> String {
	bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
	haystack.windows(needle.len()).any(|w| w == needle)
}

/// Every storage item (key, value), except the event list, which is walked event by event.
fn all_items() -> Vec<(Vec<u8>, Vec<u8>)> {
	let events_key =
		[sp_io::hashing::twox_128(b"System"), sp_io::hashing::twox_128(b"Events")].concat();
	let mut items = Vec::new();
	let mut key = Vec::new();
	while let Some(next) = sp_io::storage::next_key(&key) {
		if next != events_key {
			let value = sp_io::storage::get(&next).map(|v| v.to_vec()).unwrap_or_default();
			items.push((next.clone(), value));
		}
		key = next;
	}
	items
}

/// The 32-byte windows of `bytes` that look random (many distinct byte values): hashes and
/// keys, not counters, ids or padding.
fn random_windows(bytes: &[u8]) -> BTreeSet<Vec<u8>> {
	bytes
		.windows(32)
		.filter(|w| w.iter().collect::<BTreeSet<_>>().len() >= 20)
		.map(|w| w.to_vec())
		.collect()
}

#[test]
fn nothing_on_chain_links_two_pseudonyms_of_one_person() {
	dev_ext().execute_with(|| {
		let genesis = System::block_hash(0);
		// Hospital A (0), hospital C (1), the emergency department's hospital B (2), a relay (3).
		let (admin_a, admin_c, admin_b) = (
			Sr25519Keyring::Bob.to_account_id(),
			Sr25519Keyring::Charlie.to_account_id(),
			Sr25519Keyring::Alice.to_account_id(),
		);
		let relay_admin = id(&pair("//RelayAdmin"));
		for (admin, kind) in [
			(&admin_a, InstitutionKind::Hospital),
			(&admin_c, InstitutionKind::Hospital),
			(&admin_b, InstitutionKind::Hospital),
			(&relay_admin, InstitutionKind::RelayOperator),
		] {
			assert_ok!(Institutions::admit(
				RuntimeOrigin::root(),
				admin.clone(),
				kind,
				b"x".into()
			));
		}
		let device_b = Sr25519Keyring::Ferdie.to_account_id();
		let physician = id(&pair("//EdPhysician"));
		let nurse = id(&pair("//EdNurse"));
		let a = Side::new(&genesis, 0, Sr25519Keyring::Dave.to_account_id(), 0x10);
		let c = Side::new(&genesis, 1, Sr25519Keyring::Eve.to_account_id(), 0x40);
		assert_ok!(Institutions::add_device(signed(&admin_a), a.device.clone()));
		assert_ok!(Institutions::add_device(signed(&admin_c), c.device.clone()));
		assert_ok!(Institutions::add_device(signed(&admin_b), device_b.clone()));
		for (who, role) in
			[(&physician, PractitionerRole::Physician), (&nurse, PractitionerRole::Nurse)]
		{
			assert_ok!(Institutions::add_practitioner(
				signed(&admin_b),
				who.clone(),
				role,
				H256::zero()
			));
		}
		let public: Vec<AccountId> = vec![
			admin_a.clone(),
			admin_c.clone(),
			admin_b.clone(),
			relay_admin.clone(),
			a.device.clone(),
			c.device.clone(),
			device_b.clone(),
			physician.clone(),
			nurse.clone(),
		];

		// Registration: each custodian registers the pseudonym made for it, with the guardian's
		// key for that ward there; the guardian confirms at A, the patient at C.
		for side in [&a, &c] {
			let (p, g) = (side.patient(), id(&side.guardian));
			assert_ok!(Institutions::register_patient(
				signed(&side.device),
				p.clone(),
				Some(g.clone())
			));
		}
		assert_ok!(Institutions::confirm_registration(
			signed(&id(&a.guardian)),
			a.patient(),
			Some(id(&a.guardian))
		));
		assert_ok!(Institutions::confirm_registration(
			signed(&c.patient()),
			c.patient(),
			Some(id(&c.guardian))
		));
		// Reusing a key across custodians is refused: the pseudonym, the guardian key.
		assert_noop!(
			Institutions::register_patient(signed(&c.device), a.patient(), None),
			pallet_institutions::Error::<Runtime>::PatientAlreadyRegistered
		);
		assert_noop!(
			Institutions::register_patient(
				signed(&c.device),
				id(&pair("//Other")),
				Some(id(&a.guardian))
			),
			pallet_institutions::Error::<Runtime>::GuardianAlreadyActs
		);

		// Records: allergy and lab at A, allergy and mental health at C.
		for (side, cats) in [
			(&a, [Category::Allergy, Category::Laboratory]),
			(&c, [Category::Allergy, Category::MentalHealth]),
		] {
			for (i, cat) in cats.iter().enumerate() {
				assert_ok!(Records::anchor(
					signed(&side.device),
					side.patient(),
					format!("r{i}").into_bytes(),
					*cat,
					side.hashes[i],
					100,
					FormatCode::FhirJson
				));
			}
		}
		// Consents to B: the guardian for A's records, the patient for C's; deny provisions.
		let grant = |who: &AccountId, patient: AccountId, cat: Category| {
			Consent::grant(
				signed(who),
				patient,
				2,
				BoundedVec::truncate_from(vec![cat]),
				Default::default(),
				BoundedVec::truncate_from(vec![Purpose::Treatment]),
				None,
				medchain_runtime::DAYS,
				None,
			)
		};
		assert_ok!(grant(&id(&a.guardian), a.patient(), Category::Laboratory));
		assert_ok!(grant(&c.patient(), c.patient(), Category::Allergy));
		assert_ok!(Consent::set_deny_provisions(
			signed(&c.patient()),
			c.patient(),
			BoundedVec::truncate_from(vec![Category::MentalHealth])
		));
		// A consent of A's pseudonym cannot name C.
		assert_noop!(
			Consent::grant(
				signed(&a.patient()),
				a.patient(),
				2,
				BoundedVec::truncate_from(vec![Category::Laboratory]),
				Default::default(),
				BoundedVec::truncate_from(vec![Purpose::Treatment]),
				None,
				medchain_runtime::DAYS,
				Some(1)
			),
			pallet_consent::Error::<Runtime>::OtherCustodian
		);
		// An exchange under consent: B asks A for the lab result, A delivers, B confirms.
		let max_fee = 100 * MILLI_MED;
		assert_ok!(Exchange::request(
			signed(&device_b),
			0,
			a.patient(),
			vec![b"r1".to_vec()],
			vec![],
			Purpose::Treatment,
			max_fee
		));
		assert_ok!(Exchange::deliver(
			signed(&a.device),
			0,
			a.hashes[2],
			1_000,
			3,
			vec![(b"r1".to_vec(), 1)]
		));
		assert_ok!(Exchange::confirm(signed(&device_b), 0));

		// The emergency card: the guardian registers A's card key, the patient C's.
		assert_ok!(Consent::set_emergency_card(
			signed(&id(&a.guardian)),
			a.patient(),
			Some(id(&a.card_key))
		));
		assert_ok!(Consent::set_emergency_card(
			signed(&c.patient()),
			c.patient(),
			Some(id(&c.card_key))
		));
		// One card key per pseudonym.
		assert_noop!(
			Consent::set_emergency_card(signed(&c.patient()), c.patient(), Some(id(&a.card_key))),
			pallet_consent::Error::<Runtime>::CardKeyInUse
		);

		// Forged cards open nothing: another key, another pseudonym's entry, a signature made
		// for another practitioner (seen on chain and replayed).
		// A fresh salt for every access: one salt for two accesses would make their
		// commitments equal, and so link the two pseudonyms (the walk below finds that).
		let salts = [[0x77; 32], [0x78; 32]];
		let commitment = EmergencyReason::PatientUnresponsive.commitment(&salts[0]);
		let forged = Side::new(&H256::repeat_byte(9), 0, a.device.clone(), 0x70);
		let attempts = [
			(a.patient(), forged.card_for(&physician)),
			(a.patient(), c.card_for(&physician)),
			(a.patient(), a.card_for(&nurse)),
		];
		for (patient, card) in attempts {
			assert_noop!(
				Consent::open_emergency_access(signed(&physician), patient, commitment, card),
				pallet_consent::Error::<Runtime>::InvalidEmergencyCard
			);
		}
		// With the card, B's physician reaches the allergy data at both custodians.
		for (k, side) in [&a, &c].into_iter().enumerate() {
			assert_ok!(Consent::open_emergency_access(
				signed(&physician),
				side.patient(),
				EmergencyReason::PatientUnresponsive.commitment(&salts[k]),
				side.card_for(&physician)
			));
			assert_ok!(Exchange::request(
				signed(&device_b),
				side.custodian,
				side.patient(),
				vec![],
				vec![Category::Allergy],
				Purpose::EmergencyTreatment,
				max_fee
			));
			let request = 1 + k as u64;
			assert_ok!(Exchange::deliver(
				signed(&side.device),
				request,
				H256::repeat_byte(0xa0 + k as u8),
				500,
				3,
				vec![(b"r0".to_vec(), 1)]
			));
		}
		// Each pseudonym's log shows the emergency access and the release it allowed.
		for side in [&a, &c] {
			let page = Consent::disclosures(&side.patient(), 0);
			let bases: Vec<_> = page.entries.iter().map(|(_, e)| e.basis).collect();
			assert!(bases.iter().any(|b| matches!(b, pallet_consent::Basis::Emergency(_))));
			assert!(
				page.entries.iter().any(|(_, e)| e.category == Category::Allergy
					&& e.purpose == Purpose::EmergencyTreatment),
				"{bases:?}"
			);
		}

		// The walk: storage items and events.
		let events: Vec<Vec<u8>> = System::events().iter().map(|r| r.event.encode()).collect();
		let mut items: Vec<Vec<u8>> = all_items()
			.into_iter()
			// The first 32 bytes of a key name the pallet and item: shared by design.
			.map(|(k, v)| [k.get(32..).unwrap_or_default(), &v[..]].concat())
			.collect();
		items.extend(events);
		let (ta, tc) = (a.tokens(), c.tokens());
		let touches = |item: &[u8], tokens: &[Vec<u8>]| tokens.iter().any(|t| contains(item, t));
		let public_windows: BTreeSet<Vec<u8>> = public.iter().map(|p| p.encode()).collect();
		let (mut side_a, mut side_c) = (BTreeSet::new(), BTreeSet::new());
		let (mut count_a, mut count_c) = (0, 0);
		for item in &items {
			let (in_a, in_c) = (touches(item, &ta), touches(item, &tc));
			assert!(!(in_a && in_c), "an item holds both pseudonyms' data: {}", hex(item));
			// Institutions' accounts are public (and the same practitioner may treat anyone):
			// masked out, with the windows that straddle them.
			let mut masked = item.clone();
			for p in &public_windows {
				while let Some(at) = masked.windows(32).position(|w| w == &p[..]) {
					masked[at..at + 32].fill(0);
				}
			}
			let windows = random_windows(&masked);
			if in_a {
				count_a += 1;
				side_a.extend(windows);
			} else if in_c {
				count_c += 1;
				side_c.extend(windows);
			}
		}
		// The walk saw both sides' data (registration, records, consents, logs, cards, events).
		assert!(count_a > 20 && count_c > 20, "{count_a} / {count_c} items");
		let shared: Vec<_> = side_a.intersection(&side_c).map(|w| hex(w)).collect();
		assert!(shared.is_empty(), "values shared between the two sides: {shared:?}");

		// No emergency reason in clear: each access holds a salted commitment that no reason
		// opens without the salt, and the hospital's salt opens it to the true reason.
		let reasons = [
			EmergencyReason::PatientUnresponsive,
			EmergencyReason::LifeThreatening,
			EmergencyReason::UnableToConsent,
		];
		let mut accesses = 0;
		for (_, access) in pallet_consent::EmergencyAccesses::<Runtime>::iter() {
			accesses += 1;
			for r in reasons {
				assert_ne!(access.reason_commitment, H256(sp_io::hashing::blake2_256(&r.encode())));
				assert_ne!(access.reason_commitment, r.commitment(&[0; 32]));
			}
			assert!(
				salts.iter().any(|salt| {
					EmergencyReason::PatientUnresponsive.commitment(salt)
						== access.reason_commitment
				}),
				"the hospital's salt opens the commitment to the true reason"
			);
		}
		assert_eq!(accesses, 2);
	});
}
