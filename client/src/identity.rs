//! The patient's side of the identity model (docs/privacy.md, "The identity model"): one
//! secret in the patient's app, a pseudonym per custodian derived from it, an emergency card,
//! the commitment to an emergency reason, and one history from the logs of all pseudonyms.
//!
//! Every key is a hard derivation of the patient's secret with this chain's genesis hash and
//! the custodian in the path, so nobody without the secret can tell that two pseudonyms (or
//! two card keys) belong to one person:
//!
//! | key | path below the secret |
//! |---|---|
//! | pseudonym at custodian `c` | `//medchain//<genesis>//custodian//<c>` |
//! | guardian key for ward `w` at `c` | `//medchain//<genesis>//guardian//<c>//<w hex>` |
//! | card key of the pseudonym at `c`, generation `n` | seed = BLAKE2b-256 of `<secret>//medchain//<genesis>//card//<c>//<n>` |
//! | card key a guardian makes for ward `w` at `c`, generation `n` | seed = BLAKE2b-256 of `<secret>//medchain//<genesis>//guardian//<c>//<w hex>//card//<n>` |
//!
//! The card key is made from a seed (not a derivation path) so that the card can carry that
//! seed alone: whoever holds the card can sign emergency statements for that one pseudonym and
//! nothing else (it is not the pseudonym's key, which grants consents).

use crate::{from_hex, to_hex, Error};
use frame_support::BoundedVec;
use medchain_runtime::RuntimeCall;
use medchain_runtime::{AccountId, Signature};
use pallet_consent::{EmergencyCardStatement, EmergencyReason, Purpose};
use pallet_institutions::InstitutionId;
use pallet_records::Category;
use serde_json::{json, Value};
use sp_core::{sr25519, Pair, H256};

/// The patient's secret: a secret URI (a BIP-39 phrase, or `//Name` in development), kept in
/// the patient's app and never sent anywhere.
#[derive(Clone)]
pub struct PatientSecret(String);

impl core::fmt::Debug for PatientSecret {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.write_str("PatientSecret(..)")
	}
}

impl PatientSecret {
	/// A secret from its URI. Fails if the URI is not a valid sr25519 secret.
	pub fn new(uri: &str) -> Result<Self, Error> {
		sr25519::Pair::from_string(uri, None)
			.map_err(|e| Error::Decode(format!("not a secret URI: {e:?}")))?;
		Ok(Self(uri.to_string()))
	}

	fn derive(&self, path: &str) -> sr25519::Pair {
		// The secret was checked in `new`, and hard junctions of text always parse.
		sr25519::Pair::from_string(&format!("{}{path}", self.0), None)
			.unwrap_or_else(|e| panic!("a checked secret derives: {e:?}"))
	}

	/// The key of the patient's pseudonym at `custodian` on the chain of `genesis`.
	pub fn pseudonym(&self, genesis: &H256, custodian: InstitutionId) -> sr25519::Pair {
		self.derive(&format!("//medchain//{}//custodian//{custodian}", to_hex(genesis.as_bytes())))
	}

	/// The account of the pseudonym at `custodian`.
	pub fn pseudonym_account(&self, genesis: &H256, custodian: InstitutionId) -> AccountId {
		self.pseudonym(genesis, custodian).public().into()
	}

	/// The key with which this person (as a guardian) acts for `ward` (the ward's pseudonym)
	/// at `custodian`: one key per ward and custodian, so the guardian link joins nothing.
	pub fn guardian_key(
		&self,
		genesis: &H256,
		custodian: InstitutionId,
		ward: &AccountId,
	) -> sr25519::Pair {
		let ward: &[u8] = ward.as_ref();
		self.derive(&format!(
			"//medchain//{}//guardian//{custodian}//{}",
			to_hex(genesis.as_bytes()),
			to_hex(ward)
		))
	}

	/// The seed of the card key of the pseudonym at `custodian`, generation `generation`
	/// (a new generation replaces a lost card).
	pub fn card_seed(&self, genesis: &H256, custodian: InstitutionId, generation: u32) -> [u8; 32] {
		let uri = format!(
			"{}//medchain//{}//card//{custodian}//{generation}",
			self.0,
			to_hex(genesis.as_bytes())
		);
		sp_crypto_hashing::blake2_256(uri.as_bytes())
	}

	/// The seed of the card key that this person, as a guardian, makes for `ward` at
	/// `custodian`, generation `generation`: under the guardian key's path, so it is neither the
	/// guardian's own card at that custodian nor another ward's (the web app's `wardCardSeed`).
	pub fn ward_card_seed(
		&self,
		genesis: &H256,
		custodian: InstitutionId,
		ward: &AccountId,
		generation: u32,
	) -> [u8; 32] {
		let ward: &[u8] = ward.as_ref();
		let uri = format!(
			"{}//medchain//{}//guardian//{custodian}//{}//card//{generation}",
			self.0,
			to_hex(genesis.as_bytes()),
			to_hex(ward)
		);
		sp_crypto_hashing::blake2_256(uri.as_bytes())
	}
}

/// One entry of an emergency card: a pseudonym and the seed of its card key.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct CardEntry {
	/// The custodian the pseudonym is registered at.
	pub custodian: InstitutionId,
	/// The pseudonym.
	pub pseudonym: AccountId,
	/// The seed of the card key registered for it (`consent::set_emergency_card`).
	pub card_seed: [u8; 32],
}

impl CardEntry {
	/// The card key.
	pub fn card_key(&self) -> sr25519::Pair {
		sr25519::Pair::from_seed(&self.card_seed)
	}

	/// The card key's account id, as `set_emergency_card` takes it.
	pub fn card_key_account(&self) -> AccountId {
		self.card_key().public().into()
	}

	/// The `card_signature` of `open_emergency_access` for `practitioner` (who sends it).
	pub fn sign_for(&self, genesis: &H256, practitioner: &AccountId) -> Signature {
		let statement = EmergencyCardStatement {
			genesis_hash: *genesis,
			custodian: self.custodian,
			pseudonym: self.pseudonym.clone(),
			practitioner: practitioner.clone(),
		};
		Signature::Sr25519(self.card_key().sign(&statement.signing_payload()))
	}
}

/// An emergency card: what the patient carries (a QR code or a wallet pass) so that an
/// emergency department can reach each pseudonym's emergency data, and nothing more.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct EmergencyCard {
	/// The chain the card is for.
	pub genesis: H256,
	/// One entry per custodian.
	pub entries: Vec<CardEntry>,
}

impl EmergencyCard {
	/// The card of `secret` for `custodians`, card key generation `generation`.
	pub fn issue(
		secret: &PatientSecret,
		genesis: H256,
		custodians: &[InstitutionId],
		generation: u32,
	) -> Self {
		let entries = custodians
			.iter()
			.map(|&custodian| CardEntry {
				custodian,
				pseudonym: secret.pseudonym_account(&genesis, custodian),
				card_seed: secret.card_seed(&genesis, custodian, generation),
			})
			.collect();
		Self { genesis, entries }
	}

	/// The card a guardian (`guardian`) makes for `ward`, registered at `custodian`: one entry,
	/// card key generation `generation` (`PatientSecret::ward_card_seed`).
	pub fn issue_for_ward(
		guardian: &PatientSecret,
		genesis: H256,
		custodian: InstitutionId,
		ward: &AccountId,
		generation: u32,
	) -> Self {
		let entry = CardEntry {
			custodian,
			pseudonym: ward.clone(),
			card_seed: guardian.ward_card_seed(&genesis, custodian, ward, generation),
		};
		Self { genesis, entries: vec![entry] }
	}

	/// The card as the text of its QR code (JSON).
	pub fn to_text(&self) -> String {
		let entries: Vec<Value> = self
			.entries
			.iter()
			.map(|e| {
				let pseudonym: &[u8] = e.pseudonym.as_ref();
				json!({"custodian": e.custodian, "pseudonym": to_hex(pseudonym),
					"cardSeed": to_hex(&e.card_seed)})
			})
			.collect();
		json!({"medchainEmergencyCard": 1, "genesis": to_hex(self.genesis.as_bytes()),
			"entries": entries})
		.to_string()
	}

	/// A card read from its QR text. Fails on anything malformed (a card is checked against the
	/// chain when it is used: `open_emergency_access` refuses a forged one).
	pub fn from_text(text: &str) -> Result<Self, Error> {
		let bad = |what: &str| Error::Decode(format!("emergency card: {what}"));
		let v: Value = serde_json::from_str(text).map_err(|e| bad(&e.to_string()))?;
		if v["medchainEmergencyCard"] != json!(1) {
			return Err(bad("not a version-1 MedChain emergency card"));
		}
		let bytes32 = |v: &Value, what: &str| -> Result<[u8; 32], Error> {
			let b = from_hex(v.as_str().ok_or_else(|| bad(what))?)?;
			b.try_into().map_err(|_| bad(what))
		};
		let genesis = H256(bytes32(&v["genesis"], "genesis")?);
		let entries = v["entries"]
			.as_array()
			.ok_or_else(|| bad("entries"))?
			.iter()
			.map(|e| {
				Ok(CardEntry {
					custodian: e["custodian"]
						.as_u64()
						.and_then(|c| u32::try_from(c).ok())
						.ok_or_else(|| bad("custodian"))?,
					pseudonym: AccountId::from(bytes32(&e["pseudonym"], "pseudonym")?),
					card_seed: bytes32(&e["cardSeed"], "cardSeed")?,
				})
			})
			.collect::<Result<Vec<_>, Error>>()?;
		Ok(Self { genesis, entries })
	}
}

/// What the app sends when the patient shares with `grantee` once: one `grant` per
/// custodian, each signed by the pseudonym at that custodian (a consent of a pseudonym covers
/// its own custodian's records only), for `categories` and `purposes` until `valid_until`.
/// Fails if a list is longer than the runtime's bound.
pub fn grants_everywhere(
	secret: &PatientSecret,
	genesis: &H256,
	custodians: &[InstitutionId],
	grantee: InstitutionId,
	categories: &[Category],
	purposes: &[Purpose],
	valid_until: u32,
) -> Result<Vec<(sr25519::Pair, RuntimeCall)>, Error> {
	let too_long = |what: &str| Error::Decode(format!("too many {what} for one consent"));
	let categories: BoundedVec<_, _> =
		categories.to_vec().try_into().map_err(|_| too_long("categories"))?;
	let purposes: BoundedVec<_, _> =
		purposes.to_vec().try_into().map_err(|_| too_long("purposes"))?;
	Ok(custodians
		.iter()
		.map(|&custodian| {
			let key = secret.pseudonym(genesis, custodian);
			let call = RuntimeCall::Consent(pallet_consent::Call::grant {
				patient: key.public().into(),
				grantee,
				categories: categories.clone(),
				records: Default::default(),
				purposes: purposes.clone(),
				valid_from: None,
				valid_until,
				custodian: None,
			});
			(key, call)
		})
		.collect())
}

/// Whether `commitment` (from an `EmergencyAccessOpened` event) is `reason` with `salt`, as the
/// hospital says: how the patient opens the reason of an emergency access.
pub fn opens_commitment(commitment: &H256, reason: EmergencyReason, salt: &[u8; 32]) -> bool {
	reason.commitment(salt) == *commitment
}

/// One history from the disclosure pages (`consent_disclosures` answers) of several
/// pseudonyms: every entry with the pseudonym it belongs to, oldest first (by block, then by
/// the pseudonym's log index). Kept emergency entries are included once.
pub fn merged_history(pages: &[(AccountId, Value)]) -> Vec<(AccountId, u64, Value)> {
	let mut all: Vec<(u64, AccountId, u64, Value)> = Vec::new();
	for (pseudonym, page) in pages {
		let lists = [&page["entries"], &page["keptEmergency"]];
		for list in lists {
			for item in list.as_array().into_iter().flatten() {
				let (Some(index), entry) = (item[0].as_u64(), &item[1]) else { continue };
				if all.iter().any(|(_, p, i, _)| p == pseudonym && *i == index) {
					continue;
				}
				let at = entry["at"].as_u64().unwrap_or_default();
				all.push((at, pseudonym.clone(), index, entry.clone()));
			}
		}
	}
	all.sort_by_key(|e| (e.0, e.2));
	all.into_iter().map(|(_, p, i, e)| (p, i, e)).collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	fn genesis() -> H256 {
		H256::repeat_byte(7)
	}

	#[test]
	fn pseudonyms_differ_per_custodian_and_chain_and_are_stable() {
		let secret = PatientSecret::new("//Patient").unwrap();
		let a = secret.pseudonym_account(&genesis(), 0);
		let c = secret.pseudonym_account(&genesis(), 2);
		assert_ne!(a, c);
		assert_eq!(a, secret.pseudonym_account(&genesis(), 0));
		assert_ne!(a, secret.pseudonym_account(&H256::repeat_byte(8), 0));
		let root: AccountId =
			sr25519::Pair::from_string("//Patient", None).unwrap().public().into();
		assert!(a != root && c != root, "the master key is never a pseudonym");
		let ward = secret.pseudonym_account(&genesis(), 0);
		let parent = PatientSecret::new("//Parent").unwrap();
		assert_ne!(
			parent.guardian_key(&genesis(), 0, &ward).public(),
			parent.guardian_key(&genesis(), 2, &ward).public()
		);
		assert!(PatientSecret::new("not a secret//").is_err());
	}

	/// Fixed vectors, shared with the web app's tests (app/tests/unit/derive.test.ts), so that
	/// the app and this client derive the same pseudonyms and card keys. They were computed
	/// independently with py-sr25519-bindings (schnorrkel) and sp_core's junction rules.
	#[test]
	fn keys_match_the_vectors_shared_with_the_web_app() {
		let secret = PatientSecret::new(
			"bottom drive obey lake curtain smoke basket hold race lonely fit walk",
		)
		.unwrap();
		let account_hex = |a: AccountId| {
			let bytes: &[u8] = a.as_ref();
			to_hex(bytes)
		};
		assert_eq!(
			account_hex(secret.pseudonym_account(&genesis(), 0)),
			"0xdc81dc0b1f22f4eef16d2615d83121a3723fa640bc7bd6f2a89e47bb4718a30b"
		);
		assert_eq!(
			account_hex(secret.pseudonym_account(&genesis(), 2)),
			"0x7ccece14e69aee794e115b74592e30760e23162e80821aa17f04a188b706967a"
		);
		let card = EmergencyCard::issue(&secret, genesis(), &[0], 0);
		assert_eq!(
			to_hex(&card.entries[0].card_seed),
			"0x43458494aa00a7875eb7d0dfb2ad54f507ef19a4ce840cd39e1ff56d6fbe96a1"
		);
		assert_eq!(
			account_hex(card.entries[0].card_key_account()),
			"0xaa0714839bb24a27536f4544f09ca8519c52baa3e65b192e1019bff2a3956f3e"
		);
		assert_eq!(
			to_hex(&secret.card_seed(&genesis(), 0, 1)),
			"0x8aef6f2d25cdaabd412bb10da4590120d2f3b2330877489bf578949b7e8df614"
		);
		// The guardian key for the phrase's own pseudonym at 0 as a ward (app keyring.test.ts).
		let ward = secret.pseudonym_account(&genesis(), 0);
		assert_eq!(
			to_hex(&secret.guardian_key(&genesis(), 0, &ward).public().0),
			"0x8ed3fb9cec4fc86048e028f66bd7f99847cc7bcd41a930a1619efcb90a9e5017"
		);
		assert_eq!(
			to_hex(&secret.guardian_key(&genesis(), 2, &ward).public().0),
			"0xe689977346c1df767accecd348f368a46e98314c36abd52a0123dee48114de09"
		);
		// The card the phrase, as guardian of that ward, makes for it (app keyring.test.ts).
		let card = EmergencyCard::issue_for_ward(&secret, genesis(), 0, &ward, 0);
		assert_eq!(
			to_hex(&card.entries[0].card_seed),
			"0xa27b0d0c59237960d310e3e53b029efbf76dcf580034d027772ad3f95b305a51"
		);
		assert_eq!(
			account_hex(card.entries[0].card_key_account()),
			"0x9a759fbba1e8bf3643fcc1f01b770244dd1cd8b351ef3afec74fa32b56c40b48"
		);
		assert_eq!(
			to_hex(&secret.ward_card_seed(&genesis(), 0, &ward, 1)),
			"0x5853ba8e86b885db9c94af5594ab74121f3a11474ecdd865b3b000ff95c98d2b"
		);
		assert_eq!(
			to_hex(&secret.ward_card_seed(&genesis(), 2, &ward, 0)),
			"0x364ed75b5381cbe9f393eb4f944003f0d04f16efd60ca96cc5a591f804ae1464"
		);
	}

	#[test]
	fn a_wards_card_is_its_own() {
		let guardian = PatientSecret::new("//Guardian").unwrap();
		let ward = PatientSecret::new("//Ward").unwrap().pseudonym_account(&genesis(), 0);
		let other = PatientSecret::new("//Other").unwrap().pseudonym_account(&genesis(), 0);
		let card = EmergencyCard::issue_for_ward(&guardian, genesis(), 0, &ward, 0);
		assert_eq!(card.entries.len(), 1);
		assert_eq!(card.entries[0].pseudonym, ward);
		assert_eq!(EmergencyCard::from_text(&card.to_text()).unwrap(), card);
		let seeds = [
			card.entries[0].card_seed,
			guardian.card_seed(&genesis(), 0, 0),
			guardian.ward_card_seed(&genesis(), 0, &other, 0),
			guardian.ward_card_seed(&genesis(), 2, &ward, 0),
			guardian.ward_card_seed(&genesis(), 0, &ward, 1),
			guardian.ward_card_seed(&H256::repeat_byte(8), 0, &ward, 0),
		];
		let distinct: std::collections::BTreeSet<_> = seeds.iter().collect();
		assert_eq!(distinct.len(), seeds.len());
		// The card key is neither the ward's pseudonym nor the guardian key.
		let key = card.entries[0].card_key_account();
		assert_ne!(key, ward);
		assert_ne!(key, AccountId::from(guardian.guardian_key(&genesis(), 0, &ward).public()));
	}

	#[test]
	fn a_card_round_trips_through_its_text_and_refuses_garbage() {
		let secret = PatientSecret::new("//Patient").unwrap();
		let card = EmergencyCard::issue(&secret, genesis(), &[0, 2], 0);
		assert_eq!(EmergencyCard::from_text(&card.to_text()).unwrap(), card);
		assert_ne!(card.entries[0].card_key_account(), card.entries[1].card_key_account());
		assert_ne!(card.entries[0].card_key_account(), card.entries[0].pseudonym);
		let renewed = EmergencyCard::issue(&secret, genesis(), &[0, 2], 1);
		assert_ne!(renewed.entries[0].card_seed, card.entries[0].card_seed);
		assert!(EmergencyCard::from_text("{}").is_err());
		assert!(EmergencyCard::from_text("not json").is_err());
		let mut v: Value = serde_json::from_str(&card.to_text()).unwrap();
		v["entries"][0]["cardSeed"] = json!("0x1234");
		assert!(EmergencyCard::from_text(&v.to_string()).is_err());
	}

	#[test]
	fn a_commitment_opens_only_with_its_reason_and_salt() {
		let c = EmergencyReason::LifeThreatening.commitment(&[1; 32]);
		assert!(opens_commitment(&c, EmergencyReason::LifeThreatening, &[1; 32]));
		assert!(!opens_commitment(&c, EmergencyReason::UnableToConsent, &[1; 32]));
		assert!(!opens_commitment(&c, EmergencyReason::LifeThreatening, &[2; 32]));
	}

	#[test]
	fn sharing_once_grants_at_every_custodian_with_its_own_pseudonym() {
		let secret = PatientSecret::new("//Patient").unwrap();
		let grants = grants_everywhere(
			&secret,
			&genesis(),
			&[0, 2],
			5,
			&[Category::Laboratory],
			&[Purpose::Treatment],
			1_000,
		)
		.unwrap();
		assert_eq!(grants.len(), 2);
		for ((key, call), custodian) in grants.iter().zip([0, 2]) {
			let pseudonym = secret.pseudonym_account(&genesis(), custodian);
			assert_eq!(AccountId::from(key.public()), pseudonym);
			let RuntimeCall::Consent(pallet_consent::Call::grant { patient, grantee, .. }) = call
			else {
				panic!("a grant: {call:?}")
			};
			assert_eq!((patient, *grantee), (&pseudonym, 5));
		}
		assert!(grants_everywhere(
			&secret,
			&genesis(),
			&[0],
			5,
			&[Category::Laboratory; 40],
			&[],
			1
		)
		.is_err());
	}

	#[test]
	fn histories_of_pseudonyms_merge_by_block() {
		let a = AccountId::from([1; 32]);
		let c = AccountId::from([2; 32]);
		let page = |items: Value| json!({"entries": items, "keptEmergency": []});
		let merged = merged_history(&[
			(a.clone(), page(json!([[1, {"at": 30}], [0, {"at": 10}]]))),
			(c.clone(), page(json!([[0, {"at": 20}]]))),
		]);
		let order: Vec<(AccountId, u64)> = merged.iter().map(|(p, i, _)| (p.clone(), *i)).collect();
		assert_eq!(order, vec![(a.clone(), 0), (c, 0), (a, 1)]);
	}
}
