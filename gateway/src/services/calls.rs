//! The chain calls of the services, built as the runtime's typed `RuntimeCall`s from the
//! pallets' own `Call` enums, so a change of a call's arguments in a pallet fails this crate's
//! build instead of a transaction.

use medchain_runtime::{AccountId, Balance, BlockNumber, RuntimeCall};
use pallet_certificates::CertificateKind;
use pallet_claims::ClaimUse;
use pallet_records::Category;
use sp_core::H256;

/// `pallet_claims::ClaimUse` by its FHIR code (`Claim.use`), in the order of its variants.
pub const CLAIM_USES: [&str; 2] = ["claim", "preauthorization"];

/// The values [`CLAIM_USES`] name.
const CLAIM_USE_VALUES: [ClaimUse; 2] = [ClaimUse::Claim, ClaimUse::Preauthorization];

/// `pallet_certificates::CertificateKind` by name, in the order of `CertificateKind::ALL`.
pub const CERTIFICATE_KINDS: [&str; CertificateKind::COUNT] =
	["SickLeave", "Vaccination", "Fitness", "Disability", "Death", "Other"];

/// The runtime's `MaxFills` (fills of one prescription).
pub const MAX_FILLS: u8 = medchain_runtime::configs::MaxPrescriptionFills::get();

/// The index of `name` in `names`, if it is one.
pub fn index_of(names: &[&str], name: &str) -> Option<u8> {
	names.iter().position(|n| *n == name).and_then(|i| u8::try_from(i).ok())
}

/// The value at `index` of `values`, or an error naming `what`.
fn value_at<V: Copy>(values: &[V], index: u8, what: &str) -> Result<V, String> {
	values.get(usize::from(index)).copied().ok_or_else(|| format!("no {what} has index {index}"))
}

/// `Claims::submit`.
pub struct Submit {
	/// The claim's content hash.
	pub claim: [u8; 32],
	/// The insurer institution.
	pub insurer: u32,
	/// The patient's pseudonym.
	pub patient: [u8; 32],
	/// The category of what the claim discloses.
	pub category: Category,
	/// The amount claimed.
	pub amount: Balance,
	/// Index in [`CLAIM_USES`].
	pub claim_use: u8,
	/// The preauthorization's hash.
	pub preauthorization: Option<[u8; 32]>,
}

/// The `Claims::submit` call.
pub fn claims_submit(s: &Submit) -> Result<RuntimeCall, String> {
	Ok(RuntimeCall::Claims(pallet_claims::Call::submit {
		claim: H256(s.claim),
		insurer: s.insurer,
		patient: AccountId::new(s.patient),
		category: s.category,
		amount: s.amount,
		claim_use: value_at(&CLAIM_USE_VALUES, s.claim_use, "Claims::submit claim use")?,
		preauthorization: s.preauthorization.map(H256),
	}))
}

/// `Claims::cancel` (`appeal: false`) or `Claims::appeal` of `claim`.
pub fn claims_close(claim: [u8; 32], appeal: bool) -> Result<RuntimeCall, String> {
	let claim = H256(claim);
	Ok(RuntimeCall::Claims(if appeal {
		pallet_claims::Call::appeal { claim }
	} else {
		pallet_claims::Call::cancel { claim }
	}))
}

/// `Prescriptions::issue`.
pub struct Issue {
	/// The prescription's content hash.
	pub hash: [u8; 32],
	/// The patient's pseudonym.
	pub patient: [u8; 32],
	/// The designated pharmacy.
	pub pharmacy: Option<u32>,
	/// The fills.
	pub fills: u8,
	/// The last block of the period of use.
	pub valid_until: Option<BlockNumber>,
	/// Whether generic substitution is allowed.
	pub substitution: bool,
}

/// The `Prescriptions::issue` call.
pub fn prescriptions_issue(i: &Issue) -> Result<RuntimeCall, String> {
	Ok(RuntimeCall::Prescriptions(pallet_prescriptions::Call::issue {
		hash: H256(i.hash),
		patient: AccountId::new(i.patient),
		pharmacy: i.pharmacy,
		fills: i.fills,
		valid_until: i.valid_until,
		substitution: i.substitution,
	}))
}

/// `Certificates::issue`.
pub struct Certify {
	/// The subject's pseudonym.
	pub subject: [u8; 32],
	/// The document's content hash.
	pub hash: [u8; 32],
	/// Index in [`CERTIFICATE_KINDS`].
	pub kind: u8,
	/// First moment of validity (ms since the Unix epoch).
	pub valid_from_ms: u64,
	/// End of validity, exclusive.
	pub valid_until_ms: Option<u64>,
}

/// The `Certificates::issue` call.
pub fn certificates_issue(c: &Certify) -> Result<RuntimeCall, String> {
	Ok(RuntimeCall::Certificates(pallet_certificates::Call::issue {
		subject: AccountId::new(c.subject),
		document_hash: H256(c.hash),
		kind: value_at(&CertificateKind::ALL, c.kind, "Certificates::issue kind")?,
		valid_from_ms: c.valid_from_ms,
		valid_until_ms: c.valid_until_ms,
	}))
}

#[cfg(test)]
mod tests {
	use super::*;

	/// The decoded call, as the runtime prints it.
	fn shown(call: &RuntimeCall) -> String {
		format!("{call:?}")
	}

	fn account(byte: u8) -> String {
		format!("{:?}", AccountId::new([byte; 32]))
	}

	#[test]
	fn claims_calls_decode_with_their_arguments() {
		let submit = Submit {
			claim: [0xc1; 32],
			insurer: 7,
			patient: [2; 32],
			category: Category::MentalHealth,
			amount: 10_000_000_000_000,
			claim_use: 1,
			preauthorization: Some([0xaa; 32]),
		};
		let call = claims_submit(&submit).unwrap();
		let text = shown(&call);
		assert!(text.starts_with("Claims(Call::submit {"), "{text}");
		for part in [
			format!("claim: 0x{}", "c1".repeat(32)),
			"insurer: 7".into(),
			format!("patient: {}", account(2)),
			"category: MentalHealth".into(),
			"amount: 10000000000000".into(),
			"claim_use: Preauthorization".into(),
			format!("preauthorization: Some(0x{})", "aa".repeat(32)),
		] {
			assert!(text.contains(&part), "{part} in {text}");
		}
		let plain = claims_submit(&Submit { claim_use: 0, preauthorization: None, ..submit });
		assert!(shown(&plain.unwrap()).contains("claim_use: Claim, preauthorization: None"));
		// An index the runtime does not know is refused, not guessed.
		let bad = Submit {
			claim: [0; 32],
			insurer: 1,
			patient: [0; 32],
			category: Category::Other,
			amount: 1,
			claim_use: 2,
			preauthorization: None,
		};
		assert!(claims_submit(&bad).unwrap_err().contains("Claims::submit"));
		// The names the API takes are the pallets' values, in order.
		for (name, value) in CLAIM_USES.iter().zip(CLAIM_USE_VALUES) {
			assert_eq!(name.to_lowercase(), format!("{value:?}").to_lowercase());
		}
		for (name, kind) in CERTIFICATE_KINDS.iter().zip(CertificateKind::ALL) {
			assert_eq!(*name, format!("{kind:?}"));
		}
		assert!(shown(&claims_close([9; 32], false).unwrap()).starts_with("Claims(Call::cancel {"));
		assert!(shown(&claims_close([9; 32], true).unwrap()).starts_with("Claims(Call::appeal {"));
	}

	#[test]
	fn prescription_and_certificate_calls_decode_with_their_arguments() {
		let issue = Issue {
			hash: [0xd1; 32],
			patient: [5; 32],
			pharmacy: Some(4),
			fills: 2,
			valid_until: Some(900),
			substitution: true,
		};
		let text = shown(&prescriptions_issue(&issue).unwrap());
		let expected = format!(
			"Prescriptions(Call::issue {{ hash: 0x{}, patient: {}, pharmacy: Some(4), fills: 2, valid_until: Some(900), substitution: true }})",
			"d1".repeat(32),
			account(5)
		);
		assert_eq!(text, expected);
		let certify = Certify {
			subject: [6; 32],
			hash: [0xce; 32],
			kind: 0,
			valid_from_ms: 1_764_000_000_000,
			valid_until_ms: Some(1_764_600_000_000),
		};
		let text = shown(&certificates_issue(&certify).unwrap());
		let expected = format!(
			"Certificates(Call::issue {{ subject: {}, document_hash: 0x{}, kind: SickLeave, valid_from_ms: 1764000000000, valid_until_ms: Some(1764600000000) }})",
			account(6),
			"ce".repeat(32)
		);
		assert_eq!(text, expected);
		let all: Vec<String> = (0..6u8)
			.map(|kind| shown(&certificates_issue(&Certify { kind, ..certify }).unwrap()))
			.collect();
		for (text, name) in all.iter().zip(CERTIFICATE_KINDS) {
			assert!(text.contains(&format!("kind: {name},")), "{text}");
		}
		assert!(certificates_issue(&Certify { kind: 6, ..certify }).is_err());
	}
}
