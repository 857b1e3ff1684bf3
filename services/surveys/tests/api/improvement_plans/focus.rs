//! The focus: a dealer's weakest items, dimensions and factors from its
//! scored responses, beside the network's.

use aftercare_proto::surveys::v1 as pb;
use tonic::Code;

use super::support::{NOVEMBER, PlanHarness, month, start};
use crate::{
    both,
    support::{code_of, field_of, who},
};

fn request(dealer: &str) -> pb::ProposeImprovementFocusRequest {
    pb::ProposeImprovementFocusRequest {
        dealer_id: dealer.into(),
        period: month(11),
        limit: 0,
    }
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-6)
}

both!(
    the_focus_names_the_weakest_attributes,
    start,
    |p: PlanHarness| async move {
        // d1: tan-1 gaps −4, −3, −5; rel-1 gaps −1, −1, 0. d2: +1 and +1.
        p.respond_all("d1", "r1", NOVEMBER, &[(2, 5, 3), (3, 5, 3), (1, 6, 3)])
            .await;
        p.respond_all("d2", "r1", NOVEMBER, &[(7, 7, 5), (7, 7, 5)])
            .await;

        let focus = p
            .plans(who::dealer("d1"))
            .propose_improvement_focus(request("d1"))
            .await
            .unwrap()
            .into_inner();
        let ids = |f: &[pb::AttributeFigure]| -> Vec<String> {
            f.iter().map(|a| a.attribute_id.clone()).collect()
        };
        assert_eq!(ids(&focus.items), ["item:tan-1", "item:rel-1"]);
        let tan = &focus.items[0];
        assert!(close(tan.value, -4.0), "{tan:?}");
        assert_eq!(tan.sample_size, 3);
        // The network: (−4 − 3 − 5 + 1 + 1) / 5.
        assert!(close(tan.network_value, -2.0), "{tan:?}");
        assert_eq!(tan.network_sample_size, 5);
        assert!(close(focus.items[1].value, -2.0 / 3.0));
        assert_eq!(
            ids(&focus.dimensions),
            ["dimension:tangibles", "dimension:reliability"]
        );
        // Factors, lowest first: facility (tan-1-p: 167, 333, 0), the
        // advisor (overall 3 of 5: 500), quality (rel-1-p: 667, 667, 833).
        assert_eq!(
            ids(&focus.factors),
            [
                "factor:facility",
                "factor:service_advisor",
                "factor:service_quality"
            ]
        );
        assert!(close(focus.factors[0].value, 500.0 / 3.0), "{focus:?}");

        // d2 has no negative gap: nothing to improve there, factors aside.
        let strong = p
            .plans(who::region("r1"))
            .propose_improvement_focus(request("d2"))
            .await
            .unwrap()
            .into_inner();
        assert!(strong.items.is_empty() && strong.dimensions.is_empty());
        assert_eq!(strong.factors.len(), 3);

        let one = p
            .plans(who::oem())
            .propose_improvement_focus(pb::ProposeImprovementFocusRequest {
                limit: 1,
                ..request("d1")
            })
            .await
            .unwrap()
            .into_inner();
        assert_eq!(ids(&one.items), ["item:tan-1"]);
    }
);

both!(
    the_focus_is_read_within_the_callers_scope,
    start,
    |p: PlanHarness| async move {
        p.respond("d1", "r1", NOVEMBER, (2, 5, 3)).await;
        let ask = |who| {
            let mut c = p.plans(who);
            async move { c.propose_improvement_focus(request("d1")).await }
        };
        assert!(ask(who::dms("d1")).await.is_ok());
        assert!(ask(who::region("r1")).await.is_ok());
        assert_eq!(code_of(ask(who::dealer("d2")).await), Code::NotFound);
        assert_eq!(code_of(ask(who::region("r2")).await), Code::NotFound);

        let c = p.plans(who::oem());
        let bad = |f: fn(&mut pb::ProposeImprovementFocusRequest)| {
            let mut r = request("d1");
            f(&mut r);
            r
        };
        let field = |r| {
            let mut c = c.clone();
            async move { field_of(c.propose_improvement_focus(r).await) }
        };
        assert_eq!(
            field(bad(|r| r.dealer_id = "D 1".into())).await,
            "dealer_id"
        );
        assert_eq!(field(bad(|r| r.period = None)).await, "period");
        assert_eq!(field(bad(|r| r.limit = 21)).await, "limit");
        // A dealer surveys never had an RO of.
        let unknown = c.clone().propose_improvement_focus(request("d9")).await;
        assert_eq!(code_of(unknown), Code::NotFound);
    }
);
