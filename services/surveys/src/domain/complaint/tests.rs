use super::*;

const H: i64 = 3_600_000_000;

#[test]
fn the_number_is_the_month_and_four_digits() {
    assert_eq!(number(2026, 3, 7), "CP-202603-0007");
    assert_eq!(number(2026, 12, 12345), "CP-202612-12345");
}

#[test]
fn every_cause_belongs_to_one_class() {
    let all: Vec<_> = Class::ALL.iter().flat_map(|c| causes(*c)).collect();
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(all.len(), unique.len());
    assert!(is_cause_of(Class::Process, "waiting-time"));
    assert!(!is_cause_of(Class::Quality, "waiting-time"));
}

#[test]
fn a_high_complaint_escalates_when_its_response_is_a_day_late() {
    let d = Deadlines::default().of(Severity::High);
    let due = Due::from(0, State::Open, d);
    assert_eq!(due.response, Some(24 * H));
    assert_eq!(
        escalation(State::Open, Owner::Dealer, due, 24 * H - 1, d),
        None
    );
    let (owner, next) = escalation(State::Open, Owner::Dealer, due, 25 * H, d).unwrap();
    assert_eq!(owner, Owner::Region);
    assert_eq!(next.response, Some(49 * H));
    assert_eq!(next.resolution, Some(97 * H));
}

#[test]
fn a_responded_complaint_escalates_on_its_resolution_and_head_office_is_the_top() {
    let d = Deadlines::default().of(Severity::Critical);
    let due = Due::from(0, State::Open, d);
    assert_eq!(
        escalation(State::Responded, Owner::Region, due, 47 * H, d),
        None
    );
    let (owner, next) = escalation(State::Responded, Owner::Region, due, 48 * H, d).unwrap();
    assert_eq!(owner, Owner::HeadOffice);
    assert_eq!((next.response, next.resolution), (None, Some(96 * H)));
    assert_eq!(
        escalate_time(State::Responded, Owner::HeadOffice, next),
        None
    );
    assert_eq!(
        escalation(State::Responded, Owner::HeadOffice, next, 1000 * H, d),
        None
    );
}

#[test]
fn the_lifecycle_goes_one_way_and_reopens_from_resolved_or_closed() {
    assert_eq!(
        transition(State::Open, Action::Responded),
        Ok(State::Responded)
    );
    assert!(transition(State::Open, Action::Resolved).is_err());
    assert_eq!(transition(State::Closed, Action::Reopened), Ok(State::Open));
    assert!(transition(State::Responded, Action::Reopened).is_err());
}

#[test]
fn severity_follows_the_service_index() {
    assert_eq!(severity_of_score(Some(150)), Severity::Critical);
    assert_eq!(severity_of_score(Some(399)), Severity::High);
    assert_eq!(severity_of_score(Some(400)), Severity::Medium);
    assert_eq!(severity_of_score(None), Severity::Medium);
}

#[test]
fn an_escalated_complaint_is_handled_by_its_owner_and_above() {
    use aftercare_auth::testing as who;
    let place = Place {
        station_id: "s1",
        dealer_id: "d1",
        region_id: "r1",
    };
    assert!(check_handle(&who::dealer("d1"), place, Owner::Dealer).is_ok());
    assert!(check_handle(&who::dealer("d1"), place, Owner::Region).is_err());
    assert!(check_handle(&who::dms("d1"), place, Owner::Dealer).is_err());
    assert!(check_handle(&who::region("r1"), place, Owner::Region).is_ok());
    assert!(check_handle(&who::region("r1"), place, Owner::HeadOffice).is_err());
    assert_eq!(
        check_handle(&who::region("r2"), place, Owner::Dealer),
        Err(Denied::Invisible)
    );
    assert!(check_handle(&who::oem(), place, Owner::HeadOffice).is_ok());
}
