//! "Which technician, which part, which station": complaints listed by
//! technician, part and advisor within the caller's scope, and the report's
//! counts by them (docs/complaints.md, "Technicians, parts and advisors").

use aftercare_proto::surveys::v1 as pb;
use aftercare_test_support::{Outcome, Signed, who};
use pb::complaint_service_client::ComplaintServiceClient;

use super::support::{Net, opening, start};
use crate::{both, leagues::month};

/// Opens a complaint at `station` tied to `advisor`, `technicians` and
/// `parts`; answers its id.
async fn open(
    net: &Net,
    station: &str,
    advisor: &str,
    technicians: &[&str],
    parts: &[&str],
) -> String {
    let mut o = opening(station, pb::ComplaintSeverity::Medium);
    let c = o.complaint.as_mut().expect("complaint");
    c.advisor_id = advisor.into();
    c.technician_ids = technicians.iter().map(|&t| t.into()).collect();
    c.part_numbers = parts.iter().map(|&p| p.into()).collect();
    net.client(who::oem()).open_complaint(o).await.answer().id
}

/// The ids `client` lists with `request`, sorted.
async fn listed(
    client: &mut ComplaintServiceClient<Signed>,
    request: pb::ListComplaintsRequest,
) -> Vec<String> {
    let mut ids: Vec<String> = client
        .list_complaints(request)
        .await
        .answer()
        .complaints
        .into_iter()
        .map(|c| c.id)
        .collect();
    ids.sort();
    ids
}

/// c1 (s1 in r1): adv-1, t1 and t2, p-1; c2 (s1): adv-1, t1, p-2 and p-1;
/// c3 (s1): adv-2, t3, no part; c4 (s2 in r2): adv-9, t1, p-1.
async fn worked(net: &Net) -> [String; 4] {
    [
        open(net, "s1", "adv-1", &["t1", "t2"], &["p-1"]).await,
        open(net, "s1", "adv-1", &["t1"], &["p-2", "p-1"]).await,
        open(net, "s1", "adv-2", &["t3"], &[]).await,
        open(net, "s2", "adv-9", &["t1"], &["p-1"]).await,
    ]
}

fn by(technician: &str, part: &str, advisor: &str) -> pb::ListComplaintsRequest {
    pb::ListComplaintsRequest {
        technician_id: technician.into(),
        part_number: part.into(),
        advisor_id: advisor.into(),
        ..Default::default()
    }
}

both!(
    a_region_manager_lists_its_regions_complaints_of_one_technician_or_part,
    start,
    |net: Net| async move {
        let [c1, c2, c3, c4] = worked(&net).await;
        let mut r1 = net.client(who::region("r1"));
        assert_eq!(
            listed(&mut r1, by("t1", "", "")).await,
            [c1.clone(), c2.clone()]
        );
        assert_eq!(
            listed(&mut r1, by("", "p-1", "")).await,
            [c1.clone(), c2.clone()]
        );
        assert_eq!(listed(&mut r1, by("t3", "", "")).await, vec![c3.clone()]);
        // The filters apply together.
        assert_eq!(listed(&mut r1, by("t1", "p-2", "")).await, vec![c2.clone()]);
        assert_eq!(
            listed(&mut r1, by("t1", "", "adv-1")).await,
            [c1.clone(), c2.clone()]
        );
        assert!(listed(&mut r1, by("t3", "p-1", "")).await.is_empty());
        // Another region's complaint of the same technician is not listed;
        // head office sees them all.
        assert!(listed(&mut r1, by("", "", "adv-9")).await.is_empty());
        let mut oem = net.client(who::oem());
        assert_eq!(listed(&mut oem, by("t1", "", "")).await, [c1, c2, c4]);
    }
);

both!(
    the_report_counts_complaints_by_technician_part_and_advisor,
    start,
    |net: Net| async move {
        worked(&net).await;
        let counts = |v: &[pb::ComplaintSubjectCount]| -> Vec<(String, i64)> {
            v.iter().map(|c| (c.id.clone(), c.complaints)).collect()
        };
        let want = |v: &[(&str, i64)]| -> Vec<(String, i64)> {
            v.iter().map(|&(id, n)| (id.to_owned(), n)).collect()
        };
        let r1 = net
            .client(who::region("r1"))
            .get_complaint_report(pb::GetComplaintReportRequest {
                region_id: "r1".into(),
                period: month(3),
                ..Default::default()
            })
            .await
            .answer();
        assert_eq!(
            counts(&r1.technicians),
            want(&[("t1", 2), ("t2", 1), ("t3", 1)])
        );
        assert_eq!(counts(&r1.parts), want(&[("p-1", 2), ("p-2", 1)]));
        assert_eq!(counts(&r1.advisors), want(&[("adv-1", 2), ("adv-2", 1)]));
        let network = net
            .client(who::oem())
            .get_complaint_report(pb::GetComplaintReportRequest {
                period: month(3),
                ..Default::default()
            })
            .await
            .answer();
        assert_eq!(
            counts(&network.technicians),
            want(&[("t1", 3), ("t2", 1), ("t3", 1)])
        );
        assert_eq!(counts(&network.parts), want(&[("p-1", 3), ("p-2", 1)]));
        assert_eq!(
            counts(&network.advisors),
            want(&[("adv-1", 2), ("adv-2", 1), ("adv-9", 1)])
        );
    }
);

both!(
    a_bad_technician_part_or_advisor_filter_names_the_field,
    start,
    |net: Net| async move {
        let mut oem = net.client(who::oem());
        let long = "x".repeat(64);
        for (request, field) in [
            (by(&long, "", ""), "technician_id"),
            (by("", &long, ""), "part_number"),
            (by("", "", "Not An Id"), "advisor_id"),
        ] {
            assert_eq!(oem.list_complaints(request).await.bad_field(), field);
        }
    }
);
