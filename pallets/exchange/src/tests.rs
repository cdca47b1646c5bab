//! Unit tests of the exchange: every call's success and failure paths, the money of all three
//! parties checked to the unit, and the invariants after each scenario.

use crate::{mock::*, pallet::*, types::*, Error, Event};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
};
use pallet_consent::{Purpose, Reason};
use pallet_records::Category;
use sp_core::H256;

const PACKAGE: H256 = H256::repeat_byte(0xab);

fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn free(who: u64) -> u64 {
	Balances::balance(&who)
}

fn held(who: u64) -> u64 {
	Balances::balance_on_hold(&RuntimeHoldReason::Exchange(HoldReason::ExchangeFee), &who)
}

fn status(id: RequestId) -> Status<u64> {
	Requests::<Test>::get(id).expect("request exists").status
}

/// Hospital A asks B for "lab" for treatment; returns the request id.
fn request_lab() -> RequestId {
	let id = NextRequestId::<Test>::get();
	assert_ok!(Exchange::request(
		signed(DEVICE_A),
		HOSPITAL_B,
		PATIENT,
		vec![b"lab".to_vec()],
		vec![],
		Purpose::Treatment
	));
	id
}

/// B delivers version 2 of "lab" through the relay.
fn deliver_lab(id: RequestId) {
	assert_ok!(Exchange::deliver(
		signed(DEVICE_B),
		id,
		PACKAGE,
		4096,
		RELAY,
		vec![(b"lab".to_vec(), 2)]
	));
}

fn check_invariants() {
	Exchange::do_try_state().expect("exchange invariants hold");
}

#[test]
fn happy_path_pays_custodian_and_relay_to_the_unit() {
	with_parties().execute_with(|| {
		assert_ok!(Exchange::set_prices(
			signed(ADMIN_B),
			HOSPITAL_B,
			vec![(Category::Laboratory, 333), (Category::Imaging, 900)]
		));
		let issuance = Balances::total_issuance();

		let id = request_lab();
		System::assert_last_event(
			Event::ExchangeRequested {
				request: id,
				requester: HOSPITAL_A,
				custodian: HOSPITAL_B,
				patient: PATIENT,
				fee: 333,
				deadline: 11,
			}
			.into(),
		);
		assert_eq!(free(DEVICE_A), DEVICE_A_FUNDS - 333);
		assert_eq!(held(DEVICE_A), 333);
		assert_eq!(TotalHeld::<Test>::get(), 333);
		assert_eq!(Exchange::pending_page(HOSPITAL_B, 0).total, 1);
		check_invariants();

		run_to(3);
		deliver_lab(id);
		System::assert_last_event(
			Event::ExchangeDelivered {
				request: id,
				package_hash: PACKAGE,
				package_size: 4096,
				relay: RELAY,
				versions: 1,
				dispute_until: 8,
			}
			.into(),
		);
		assert_eq!(status(id), Status::Delivered { dispute_until: 8 });
		assert_eq!(Exchange::pending_page(HOSPITAL_B, 0).total, 0);
		// The release is in the patient's disclosure log.
		let log = pallet_consent::Pallet::<Test>::disclosures(&PATIENT, 0);
		assert_eq!(log.entries.len(), 1);
		assert_eq!(log.entries[0].1.custodian, Some(HOSPITAL_B));
		assert_eq!(log.entries[0].1.recipient, HOSPITAL_A);
		assert_eq!(log.entries[0].1.record_id, b"lab".to_vec());
		check_invariants();

		assert_ok!(Exchange::confirm(signed(DEVICE_A), id));
		// 10 % of 333 is 33.3: the relay gets 33, the custodian 300, nothing is lost.
		System::assert_last_event(
			Event::ExchangeCompleted {
				request: id,
				custodian_amount: 300,
				relay_amount: 33,
				automatic: false,
			}
			.into(),
		);
		assert_eq!(free(DEVICE_A), DEVICE_A_FUNDS - 333);
		assert_eq!(held(DEVICE_A), 0);
		assert_eq!(free(ADMIN_B), ADMIN_FUNDS + 300);
		assert_eq!(free(ADMIN_RELAY), ADMIN_FUNDS + 33);
		assert_eq!(TotalHeld::<Test>::get(), 0);
		assert_eq!(Balances::total_issuance(), issuance);
		assert_eq!(status(id), Status::Completed { at: 3, automatic: false });
		check_invariants();
	});
}

#[test]
fn request_by_category_uses_prices_and_default_fee() {
	with_parties().execute_with(|| {
		assert_ok!(Exchange::set_prices(
			signed(ADMIN_B),
			HOSPITAL_B,
			vec![(Category::Laboratory, 70)]
		));
		// Laboratory is priced (70), Allergy costs the default (50).
		assert_ok!(Exchange::request(
			signed(DEVICE_A),
			HOSPITAL_B,
			PATIENT,
			vec![],
			vec![Category::Allergy, Category::Laboratory],
			Purpose::Treatment
		));
		assert_eq!(Requests::<Test>::get(0).unwrap().fee, 120);
		assert_eq!(held(DEVICE_A), 120);
		// Both versions of "lab" and the allergy record are in scope of the categories.
		assert_ok!(Exchange::deliver(
			signed(DEVICE_B),
			0,
			PACKAGE,
			1,
			RELAY,
			vec![(b"lab".to_vec(), 1), (b"lab".to_vec(), 2), (b"allergy".to_vec(), 1)]
		));
		// One disclosure per record, not per version.
		assert_eq!(pallet_consent::Pallet::<Test>::disclosures(&PATIENT, 0).entries.len(), 2);
		assert_eq!(Deliveries::<Test>::get(0).unwrap().versions.len(), 3);
		check_invariants();
	});
}

#[test]
fn request_without_consent_is_rejected_with_the_reason() {
	with_parties().execute_with(|| {
		// No consent for mental health records.
		assert_noop!(
			Exchange::request(
				signed(DEVICE_A),
				HOSPITAL_B,
				PATIENT,
				vec![b"mental".to_vec()],
				vec![],
				Purpose::Treatment
			),
			Error::<Test>::RecordNotCovered
		);
		// The consent does not cover research.
		assert_noop!(
			Exchange::request(
				signed(DEVICE_A),
				HOSPITAL_B,
				PATIENT,
				vec![b"lab".to_vec()],
				vec![],
				Purpose::Research
			),
			Error::<Test>::PurposeNotCovered
		);
		// Clinic C has no consent at all.
		assert_noop!(
			Exchange::request(
				signed(DEVICE_C),
				HOSPITAL_B,
				PATIENT,
				vec![],
				vec![Category::Laboratory],
				Purpose::Treatment
			),
			Error::<Test>::NoConsent
		);
		// Another patient's record.
		assert_noop!(
			Exchange::request(
				signed(DEVICE_A),
				HOSPITAL_B,
				PATIENT,
				vec![b"other".to_vec()],
				vec![],
				Purpose::Treatment
			),
			Error::<Test>::UnknownRecord
		);
		assert_eq!(held(DEVICE_A), 0);
		assert_eq!(NextRequestId::<Test>::get(), 0);
	});
}

#[test]
fn emergency_access_covers_a_request_for_emergency_data() {
	with_parties().execute_with(|| {
		// No consent covers allergy records for emergency treatment...
		let request = || {
			Exchange::request(
				signed(DEVICE_A),
				HOSPITAL_B,
				PATIENT,
				vec![b"allergy".to_vec()],
				vec![],
				Purpose::EmergencyTreatment,
			)
		};
		assert_noop!(request(), Error::<Test>::PurposeNotCovered);
		// ...until a physician of A breaks the glass.
		assert_ok!(Consent::open_emergency_access(
			signed(PHYSICIAN_A),
			PATIENT,
			pallet_consent::EmergencyReason::PatientUnresponsive
		));
		assert_ok!(request());
		assert_ok!(Exchange::deliver(
			signed(DEVICE_B),
			0,
			PACKAGE,
			10,
			RELAY,
			vec![(b"allergy".to_vec(), 1)]
		));
		let log = pallet_consent::Pallet::<Test>::disclosures(&PATIENT, 0);
		assert_eq!(log.entries[0].1.basis, pallet_consent::Basis::Emergency(0));
		check_invariants();
	});
}

#[test]
fn revocation_before_delivery_refunds_and_releases_nothing() {
	with_parties().execute_with(|| {
		let id = request_lab();
		assert_ok!(Consent::revoke(signed(PATIENT), 0));
		run_to(2);
		deliver_lab(id);
		System::assert_last_event(
			Event::ExchangeRefunded {
				request: id,
				payer: DEVICE_A,
				amount: 50,
				cause: RefundCause::ConsentWithdrawn(Reason::Revoked),
			}
			.into(),
		);
		assert_eq!(
			status(id),
			Status::Refunded { at: 2, cause: RefundCause::ConsentWithdrawn(Reason::Revoked) }
		);
		assert_eq!(free(DEVICE_A), DEVICE_A_FUNDS);
		assert_eq!(held(DEVICE_A), 0);
		assert_eq!(free(ADMIN_B), ADMIN_FUNDS);
		assert!(Deliveries::<Test>::get(id).is_none());
		assert!(pallet_consent::Pallet::<Test>::disclosures(&PATIENT, 0).entries.is_empty());
		assert_eq!(Exchange::pending_page(HOSPITAL_B, 0).total, 0);
		// Nothing more can happen to it.
		assert_noop!(Exchange::confirm(signed(DEVICE_A), id), Error::<Test>::NotDelivered);
		check_invariants();
	});
}

#[test]
fn a_deny_provision_set_after_the_request_also_refunds() {
	with_parties().execute_with(|| {
		let id = request_lab();
		assert_ok!(Consent::set_deny_provisions(
			signed(PATIENT),
			PATIENT,
			vec![Category::Laboratory]
		));
		deliver_lab(id);
		assert_eq!(
			status(id),
			Status::Refunded {
				at: 1,
				cause: RefundCause::ConsentWithdrawn(Reason::DeniedByPatient)
			}
		);
		assert_eq!(free(DEVICE_A), DEVICE_A_FUNDS);
		check_invariants();
	});
}

#[test]
fn undelivered_request_is_refunded_at_its_deadline() {
	with_parties().execute_with(|| {
		let id = request_lab();
		assert_eq!(Requests::<Test>::get(id).unwrap().deadline, 11);
		run_to(10);
		assert_eq!(status(id), Status::Requested);
		assert_eq!(held(DEVICE_A), 50);
		run_to(11);
		assert_eq!(status(id), Status::Refunded { at: 11, cause: RefundCause::Expired });
		assert_eq!(free(DEVICE_A), DEVICE_A_FUNDS);
		assert_eq!(held(DEVICE_A), 0);
		assert!(Timers::<Test>::get(11).is_empty());
		assert_noop!(
			Exchange::deliver(signed(DEVICE_B), id, PACKAGE, 1, RELAY, vec![(b"lab".to_vec(), 2)]),
			Error::<Test>::NotPending
		);
		check_invariants();
	});
}

#[test]
fn unanswered_delivery_confirms_itself_when_the_window_closes() {
	with_parties().execute_with(|| {
		let id = request_lab();
		deliver_lab(id);
		run_to(5);
		assert_eq!(status(id), Status::Delivered { dispute_until: 6 });
		run_to(6);
		assert_eq!(status(id), Status::Completed { at: 6, automatic: true });
		// 10 % of 50.
		assert_eq!(free(ADMIN_B), ADMIN_FUNDS + 45);
		assert_eq!(free(ADMIN_RELAY), ADMIN_FUNDS + 5);
		assert_eq!(free(DEVICE_A), DEVICE_A_FUNDS - 50);
		assert_eq!(held(DEVICE_A), 0);
		assert_noop!(
			Exchange::dispute(signed(DEVICE_A), id, DisputeReason::MissingRecords),
			Error::<Test>::NotDelivered
		);
		check_invariants();
	});
}

#[test]
fn dispute_upheld_refunds_the_requester() {
	with_parties().execute_with(|| {
		let id = request_lab();
		deliver_lab(id);
		assert_ok!(Exchange::dispute(signed(DEVICE_A), id, DisputeReason::PackageMismatch));
		assert_eq!(status(id), Status::Disputed { reason: DisputeReason::PackageMismatch, at: 1 });
		// The window closing does not pay a disputed exchange.
		run_to(20);
		assert_eq!(held(DEVICE_A), 50);
		assert_noop!(
			Exchange::settle_dispute(signed(ADMIN_A), id, DisputeOutcome::Upheld),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_ok!(Exchange::settle_dispute(RuntimeOrigin::root(), id, DisputeOutcome::Upheld));
		System::assert_last_event(
			Event::DisputeSettled { request: id, outcome: DisputeOutcome::Upheld }.into(),
		);
		assert_eq!(status(id), Status::Refunded { at: 20, cause: RefundCause::DisputeUpheld });
		assert_eq!(free(DEVICE_A), DEVICE_A_FUNDS);
		assert_eq!(free(ADMIN_B), ADMIN_FUNDS);
		assert_eq!(free(ADMIN_RELAY), ADMIN_FUNDS);
		assert_noop!(
			Exchange::settle_dispute(RuntimeOrigin::root(), id, DisputeOutcome::Upheld),
			Error::<Test>::NotDisputed
		);
		check_invariants();
	});
}

#[test]
fn dispute_rejected_pays_custodian_and_relay() {
	with_parties().execute_with(|| {
		let id = request_lab();
		deliver_lab(id);
		assert_ok!(Exchange::dispute(signed(DEVICE_A), id, DisputeReason::MissingRecords));
		assert_ok!(Exchange::settle_dispute(RuntimeOrigin::root(), id, DisputeOutcome::Rejected));
		assert_eq!(status(id), Status::Completed { at: 1, automatic: false });
		assert_eq!(free(DEVICE_A), DEVICE_A_FUNDS - 50);
		assert_eq!(free(ADMIN_B), ADMIN_FUNDS + 45);
		assert_eq!(free(ADMIN_RELAY), ADMIN_FUNDS + 5);
		check_invariants();
	});
}

#[test]
fn dispute_after_the_window_is_rejected() {
	with_parties().execute_with(|| {
		let id = request_lab();
		deliver_lab(id);
		// Exactly at `dispute_until` the exchange has auto-confirmed.
		run_to(6);
		assert_noop!(
			Exchange::dispute(signed(DEVICE_A), id, DisputeReason::Undecryptable),
			Error::<Test>::NotDelivered
		);
		// A requester cannot claim the chain's own reason.
		let id = request_lab();
		deliver_lab(id);
		assert_noop!(
			Exchange::dispute(signed(DEVICE_A), id, DisputeReason::PayoutFailed),
			Error::<Test>::NotDelivered
		);
	});
}

#[test]
fn wrong_parties_and_double_delivery_are_rejected() {
	with_parties().execute_with(|| {
		let id = request_lab();
		let deliver = |who: u64| {
			Exchange::deliver(signed(who), id, PACKAGE, 1, RELAY, vec![(b"lab".to_vec(), 2)])
		};
		// Not the custodian's device: the requester, another institution's device, a stranger.
		assert_noop!(deliver(DEVICE_A), Error::<Test>::NotCustodian);
		assert_noop!(deliver(DEVICE_C), Error::<Test>::NotCustodian);
		assert_noop!(deliver(STRANGER), Error::<Test>::NotCustodian);
		assert_noop!(Exchange::decline(signed(DEVICE_A), id), Error::<Test>::NotCustodian);
		// Confirmation before delivery.
		assert_noop!(Exchange::confirm(signed(DEVICE_A), id), Error::<Test>::NotDelivered);
		assert_ok!(deliver(DEVICE_B));
		// Double delivery.
		assert_noop!(deliver(DEVICE_B), Error::<Test>::NotPending);
		// Confirmation or dispute by anyone but the requester's devices.
		assert_noop!(Exchange::confirm(signed(STRANGER), id), Error::<Test>::NotRequester);
		assert_noop!(Exchange::confirm(signed(DEVICE_B), id), Error::<Test>::NotRequester);
		assert_noop!(Exchange::confirm(signed(ADMIN_A), id), Error::<Test>::NotRequester);
		assert_noop!(
			Exchange::dispute(signed(DEVICE_C), id, DisputeReason::MissingRecords),
			Error::<Test>::NotRequester
		);
		assert_noop!(Exchange::confirm(signed(DEVICE_A), 77), Error::<Test>::UnknownRequest);
		assert_ok!(Exchange::confirm(signed(DEVICE_A), id));
		// Double confirmation.
		assert_noop!(Exchange::confirm(signed(DEVICE_A), id), Error::<Test>::NotDelivered);
		check_invariants();
	});
}

#[test]
fn delivery_receipts_are_checked() {
	with_parties().execute_with(|| {
		let id = request_lab();
		let deliver = |size: u64, relay: u32, versions: Vec<(Vec<u8>, u32)>| {
			Exchange::deliver(signed(DEVICE_B), id, PACKAGE, size, relay, versions)
		};
		let lab = || vec![(b"lab".to_vec(), 2)];
		assert_noop!(deliver(0, RELAY, lab()), Error::<Test>::EmptyPackage);
		assert_noop!(deliver(1, RELAY, vec![]), Error::<Test>::EmptyDelivery);
		assert_noop!(deliver(1, CLINIC_C, lab()), Error::<Test>::NotRelayOperator);
		assert_noop!(deliver(1, 42, lab()), Error::<Test>::NotRelayOperator);
		// Version 3 of "lab" was never anchored; "allergy" was not requested; "other" is
		// another patient's; an empty id.
		assert_noop!(
			deliver(1, RELAY, vec![(b"lab".to_vec(), 3)]),
			Error::<Test>::VersionNotAnchored
		);
		assert_noop!(
			deliver(1, RELAY, vec![(b"lab".to_vec(), 0)]),
			Error::<Test>::VersionNotAnchored
		);
		assert_noop!(
			deliver(1, RELAY, vec![(b"allergy".to_vec(), 1)]),
			Error::<Test>::RecordNotRequested
		);
		assert_noop!(
			deliver(1, RELAY, vec![(b"other".to_vec(), 1)]),
			Error::<Test>::VersionNotAnchored
		);
		assert_noop!(deliver(1, RELAY, vec![(vec![], 1)]), Error::<Test>::BadRecordId);
		assert_noop!(
			deliver(1, RELAY, vec![(b"lab".to_vec(), 2), (b"lab".to_vec(), 2)]),
			Error::<Test>::Duplicate
		);
		assert_noop!(
			deliver(1, RELAY, vec![(b"lab".to_vec(), 1); 5]),
			Error::<Test>::TooManyRecords
		);
		// A suspended relay operator cannot carry packages.
		assert_ok!(Institutions::suspend(RuntimeOrigin::root(), RELAY));
		assert_noop!(deliver(1, RELAY, lab()), Error::<Test>::NotRelayOperator);
		assert_eq!(status(id), Status::Requested);
	});
}

#[test]
fn requests_are_checked() {
	with_parties().execute_with(|| {
		let request = |who: u64, custodian: u32, ids: Vec<Vec<u8>>, categories: Vec<Category>| {
			Exchange::request(signed(who), custodian, PATIENT, ids, categories, Purpose::Treatment)
		};
		let lab = || vec![b"lab".to_vec()];
		assert_noop!(request(STRANGER, HOSPITAL_B, lab(), vec![]), Error::<Test>::NotActiveDevice);
		assert_noop!(request(DEVICE_A, RELAY, lab(), vec![]), Error::<Test>::NotRecordKeeper);
		assert_noop!(request(DEVICE_A, 42, lab(), vec![]), Error::<Test>::NotRecordKeeper);
		assert_noop!(request(DEVICE_B, HOSPITAL_B, lab(), vec![]), Error::<Test>::SameInstitution);
		assert_noop!(request(DEVICE_A, HOSPITAL_B, vec![], vec![]), Error::<Test>::EmptyRequest);
		assert_noop!(
			request(DEVICE_A, HOSPITAL_B, vec![b"a".to_vec(); 4], vec![]),
			Error::<Test>::TooManyRecords
		);
		assert_noop!(
			request(DEVICE_A, HOSPITAL_B, vec![b"lab".to_vec(), b"lab".to_vec()], vec![]),
			Error::<Test>::Duplicate
		);
		assert_noop!(
			request(DEVICE_A, HOSPITAL_B, vec![], vec![Category::Allergy, Category::Allergy]),
			Error::<Test>::Duplicate
		);
		assert_noop!(
			request(DEVICE_A, HOSPITAL_B, vec![vec![7; 17]], vec![]),
			Error::<Test>::BadRecordId
		);
		assert_noop!(
			Exchange::request(
				signed(DEVICE_A),
				HOSPITAL_B,
				STRANGER,
				lab(),
				vec![],
				Purpose::Treatment
			),
			Error::<Test>::UnknownPatient
		);
		// A suspended requester's device is no longer active.
		assert_ok!(Institutions::suspend(RuntimeOrigin::root(), HOSPITAL_A));
		assert_noop!(request(DEVICE_A, HOSPITAL_B, lab(), vec![]), Error::<Test>::NotActiveDevice);
	});
}

#[test]
fn insufficient_balance_is_rejected_and_holds_nothing() {
	with_parties().execute_with(|| {
		// Clinic C's device has 60; give C a consent, price Laboratory at 100.
		assert_ok!(Consent::grant(
			signed(PATIENT),
			PATIENT,
			CLINIC_C,
			vec![Category::Laboratory],
			vec![],
			vec![Purpose::Treatment],
			None,
			500,
			None
		));
		assert_ok!(Exchange::set_prices(
			signed(ADMIN_B),
			HOSPITAL_B,
			vec![(Category::Laboratory, 100)]
		));
		assert_noop!(
			Exchange::request(
				signed(DEVICE_C),
				HOSPITAL_B,
				PATIENT,
				vec![b"lab".to_vec()],
				vec![],
				Purpose::Treatment
			),
			Error::<Test>::InsufficientBalance
		);
		assert_eq!(free(DEVICE_C), DEVICE_C_FUNDS);
		// 55 leaves the existential deposit: allowed.
		assert_ok!(Exchange::set_prices(
			signed(ADMIN_B),
			HOSPITAL_B,
			vec![(Category::Laboratory, 55)]
		));
		assert_ok!(Exchange::request(
			signed(DEVICE_C),
			HOSPITAL_B,
			PATIENT,
			vec![b"lab".to_vec()],
			vec![],
			Purpose::Treatment
		));
		assert_eq!(held(DEVICE_C), 55);
		assert_eq!(free(DEVICE_C), 5);
		check_invariants();
	});
}

#[test]
fn fee_shares_lose_no_dust() {
	with_parties().execute_with(|| {
		let issuance = Balances::total_issuance();
		let mut paid_b = 0;
		let mut paid_relay = 0;
		let mut spent = 0;
		// Odd fees and odd shares; each exchange confirmed.
		for (fee, share) in [(1, 100), (7, 333), (999, 1), (1001, 999), (13, 1000), (17, 0)] {
			assert_ok!(Exchange::set_parameters(
				RuntimeOrigin::root(),
				Parameters {
					relay_share_per_mille: share,
					default_fee: 50,
					delivery_window: 10,
					dispute_window: 5
				}
			));
			assert_ok!(Exchange::set_prices(
				signed(ADMIN_B),
				HOSPITAL_B,
				vec![(Category::Laboratory, fee)]
			));
			let id = request_lab();
			deliver_lab(id);
			let entry = Requests::<Test>::get(id).unwrap();
			let (custodian_amount, relay_amount) = Exchange::shares(&entry);
			assert_eq!(custodian_amount + relay_amount, fee);
			assert_eq!(relay_amount, fee * share as u64 / 1000);
			assert_ok!(Exchange::confirm(signed(DEVICE_A), id));
			paid_b += custodian_amount;
			paid_relay += relay_amount;
			spent += fee;
			check_invariants();
		}
		assert_eq!(free(ADMIN_B), ADMIN_FUNDS + paid_b);
		assert_eq!(free(ADMIN_RELAY), ADMIN_FUNDS + paid_relay);
		assert_eq!(free(DEVICE_A), DEVICE_A_FUNDS - spent);
		assert_eq!(paid_b + paid_relay, spent);
		assert_eq!(Balances::total_issuance(), issuance);
	});
}

#[test]
fn a_relay_share_change_does_not_affect_open_requests() {
	with_parties().execute_with(|| {
		let id = request_lab();
		assert_ok!(Exchange::set_parameters(
			RuntimeOrigin::root(),
			Parameters {
				relay_share_per_mille: 500,
				default_fee: 80,
				delivery_window: 3,
				dispute_window: 2
			}
		));
		deliver_lab(id);
		assert_ok!(Exchange::confirm(signed(DEVICE_A), id));
		assert_eq!(free(ADMIN_RELAY), ADMIN_FUNDS + 5);
		assert_eq!(Requests::<Test>::get(id).unwrap().deadline, 11);
	});
}

#[test]
fn payees_that_cannot_receive_are_caught() {
	with_parties().execute_with(|| {
		// The relay's admin account moves to a fresh account with nothing: a 1-unit share
		// would leave it below the existential deposit.
		assert_ok!(Institutions::set_admin(signed(ADMIN_RELAY), 77));
		assert_ok!(Exchange::set_prices(
			signed(ADMIN_B),
			HOSPITAL_B,
			vec![(Category::Laboratory, 10)]
		));
		let id = request_lab();
		assert_noop!(
			Exchange::deliver(signed(DEVICE_B), id, PACKAGE, 1, RELAY, vec![(b"lab".to_vec(), 2)]),
			Error::<Test>::PayeeCannotReceive
		);
		// Deliverable once the new admin account exists; then it is emptied before the
		// window closes: the automatic payout fails and the exchange awaits governance.
		assert_ok!(Balances::transfer_allow_death(signed(ADMIN_A), 77, 10));
		deliver_lab(id);
		assert_ok!(Balances::transfer_allow_death(signed(77), ADMIN_A, 10));
		run_to(6);
		assert_eq!(status(id), Status::Disputed { reason: DisputeReason::PayoutFailed, at: 6 });
		System::assert_has_event(Event::PayoutFailed { request: id }.into());
		assert_eq!(held(DEVICE_A), 10);
		assert_eq!(free(ADMIN_B), ADMIN_FUNDS);
		check_invariants();
		assert_ok!(Exchange::settle_dispute(RuntimeOrigin::root(), id, DisputeOutcome::Upheld));
		assert_eq!(free(DEVICE_A), DEVICE_A_FUNDS);
		check_invariants();
	});
}

#[test]
fn decline_refunds_at_once() {
	with_parties().execute_with(|| {
		let id = request_lab();
		assert_ok!(Exchange::decline(signed(DEVICE_B), id));
		assert_eq!(status(id), Status::Refunded { at: 1, cause: RefundCause::Declined });
		assert_eq!(free(DEVICE_A), DEVICE_A_FUNDS);
		assert_noop!(Exchange::decline(signed(DEVICE_B), id), Error::<Test>::NotPending);
		// Its deadline timer fires later and does nothing.
		run_to(11);
		assert_eq!(status(id), Status::Refunded { at: 1, cause: RefundCause::Declined });
		check_invariants();
	});
}

#[test]
fn custodian_queue_is_bounded_and_paged() {
	with_parties().execute_with(|| {
		let a = request_lab();
		run_to(2);
		let b = request_lab();
		run_to(3);
		let c = request_lab();
		assert_noop!(
			Exchange::request(
				signed(DEVICE_A),
				HOSPITAL_B,
				PATIENT,
				vec![b"lab".to_vec()],
				vec![],
				Purpose::Treatment
			),
			Error::<Test>::CustodianQueueFull
		);
		let first = Exchange::pending_page(HOSPITAL_B, 0);
		assert_eq!(first.total, 3);
		assert_eq!(first.requests.iter().map(|r| r.id).collect::<Vec<_>>(), vec![a, b]);
		let second = Exchange::pending_page(HOSPITAL_B, 1);
		assert_eq!(second.requests.iter().map(|r| r.id).collect::<Vec<_>>(), vec![c]);
		assert!(Exchange::pending_page(HOSPITAL_B, 2).requests.is_empty());
		assert!(Exchange::pending_page(HOSPITAL_A, 0).requests.is_empty());
		deliver_lab(b);
		let view = Exchange::request_view(b).unwrap();
		assert_eq!(view.delivery.unwrap().versions[0].record_id, RecordIdView(b"lab".to_vec()));
		assert_eq!(Exchange::pending_page(HOSPITAL_B, 0).total, 2);
		assert!(Exchange::request_view(99).is_none());
		check_invariants();
	});
}

#[test]
fn full_timer_lists_move_to_the_next_block_with_room() {
	with_parties().execute_with(|| {
		// Two timers per block: the third request made in the same block gets deadline 12.
		let ids: Vec<_> = (0..3)
			.map(|_| {
				let id = request_lab();
				assert_ok!(Exchange::decline(signed(DEVICE_B), id));
				id
			})
			.collect();
		assert_eq!(Timers::<Test>::get(11).to_vec(), vec![ids[0], ids[1]]);
		assert_eq!(Timers::<Test>::get(12).to_vec(), vec![ids[2]]);
		assert_eq!(Requests::<Test>::get(ids[2]).unwrap().deadline, 12);
		// Fill 16 blocks: the next request finds no room.
		for block in 12..(11 + crate::TIMER_SEARCH_BLOCKS as u64) {
			Timers::<Test>::mutate(block, |l| while l.try_push(1000).is_ok() {});
		}
		assert_noop!(
			Exchange::request(
				signed(DEVICE_A),
				HOSPITAL_B,
				PATIENT,
				vec![b"lab".to_vec()],
				vec![],
				Purpose::Treatment
			),
			Error::<Test>::TimersFull
		);
	});
}

#[test]
fn prices_are_set_by_the_custodian_admin_only() {
	with_parties().execute_with(|| {
		assert_noop!(
			Exchange::set_prices(signed(DEVICE_B), HOSPITAL_B, vec![]),
			Error::<Test>::NotInstitutionAdmin
		);
		assert_noop!(
			Exchange::set_prices(signed(ADMIN_A), HOSPITAL_B, vec![]),
			Error::<Test>::NotInstitutionAdmin
		);
		assert_noop!(
			Exchange::set_prices(signed(ADMIN_RELAY), RELAY, vec![]),
			Error::<Test>::NotRecordKeeper
		);
		assert_noop!(
			Exchange::set_prices(
				signed(ADMIN_B),
				HOSPITAL_B,
				vec![(Category::Allergy, 1), (Category::Allergy, 2)]
			),
			Error::<Test>::Duplicate
		);
		let five = vec![
			(Category::Allergy, 1),
			(Category::Laboratory, 1),
			(Category::Imaging, 1),
			(Category::Other, 1),
			(Category::Discharge, 1),
		];
		assert_noop!(
			Exchange::set_prices(signed(ADMIN_B), HOSPITAL_B, five),
			Error::<Test>::TooManyPrices
		);
		assert_ok!(Exchange::set_prices(
			signed(ADMIN_B),
			HOSPITAL_B,
			vec![(Category::Laboratory, 9), (Category::Allergy, 3)]
		));
		// Stored sorted by category.
		assert_eq!(
			Prices::<Test>::get(HOSPITAL_B).to_vec(),
			vec![(Category::Laboratory, 9), (Category::Allergy, 3)]
		);
		assert_ok!(Exchange::set_prices(signed(ADMIN_B), HOSPITAL_B, vec![]));
		assert!(!Prices::<Test>::contains_key(HOSPITAL_B));
	});
}

#[test]
fn parameters_are_governed_and_validated() {
	with_parties().execute_with(|| {
		let p = |share: u16, delivery: u64, dispute: u64| Parameters {
			relay_share_per_mille: share,
			default_fee: 1,
			delivery_window: delivery,
			dispute_window: dispute,
		};
		assert_noop!(
			Exchange::set_parameters(signed(ADMIN_A), p(1, 1, 1)),
			sp_runtime::DispatchError::BadOrigin
		);
		for bad in [p(1001, 1, 1), p(1, 0, 1), p(1, 1, 0)] {
			assert_noop!(
				Exchange::set_parameters(RuntimeOrigin::root(), bad),
				Error::<Test>::InvalidParameters
			);
		}
		assert_ok!(Exchange::set_parameters(RuntimeOrigin::root(), p(1000, 1, 1)));
		assert_eq!(Params::<Test>::get(), p(1000, 1, 1));
	});
}

#[test]
fn try_state_catches_tampered_holds() {
	with_parties().execute_with(|| {
		let id = request_lab();
		check_invariants();
		TotalHeld::<Test>::put(49);
		assert!(Exchange::do_try_state().is_err());
		TotalHeld::<Test>::put(50);
		Requests::<Test>::mutate(id, |r| r.as_mut().unwrap().fee = 51);
		assert!(Exchange::do_try_state().is_err());
		Requests::<Test>::mutate(id, |r| r.as_mut().unwrap().fee = 50);
		Timers::<Test>::remove(11);
		assert!(Exchange::do_try_state().is_err());
	});
}

#[test]
fn integrity_test_passes() {
	use frame_support::traits::Hooks;
	new_test_ext().execute_with(Exchange::integrity_test);
}
