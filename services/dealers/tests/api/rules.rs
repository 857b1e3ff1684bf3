//! Rules between objects (a customer's advisor, a vehicle's dates and VIN),
//! and that a request refused late leaves nothing behind.

use aftercare_db::Backend;

use crate::{fixture::*, support};

both!(
    a_customers_advisor_is_a_service_advisor_of_its_dealer,
    |h: Harness| async move {
        let fx = Fixture::build(&h).await;
        let mut c = h.oem();
        let newcomer =
            |advisor: &str| create::customer("newcomer", customer("d1", "Newcomer", advisor));
        let (not_an_advisor, of_another_dealer) = (fx.tech1.id.as_str(), fx.advisor3.id.as_str());
        for advisor in [not_an_advisor, of_another_dealer, "nobody"] {
            let field = c.create_customer(newcomer(advisor)).await.bad_field();
            assert_eq!(field, "customer.advisor_id", "advisor {advisor}");
            let patch = pb::Customer {
                advisor_id: advisor.into(),
                ..Default::default()
            };
            let request = update::customer(&fx.c1.id, patch, &["advisor_id"]);
            let field = c.update_customer(request).await.bad_field();
            assert_eq!(field, "customer.advisor_id", "advisor {advisor}");
        }
        // Nothing half-written: no customer "newcomer", c1 unchanged.
        c.get_customer(get::customer("newcomer"))
            .await
            .refused(Code::NotFound);
        let of_d1 = pb::ListCustomersRequest {
            dealer_id: "d1".into(),
            ..Default::default()
        };
        assert_eq!(
            c.list_customers(of_d1).await.answer().customers,
            vec![fx.c1.clone()]
        );
        assert_eq!(
            c.get_customer(get::customer(&fx.c1.id)).await.answer(),
            fx.c1
        );

        // Any station of the same dealer will do.
        let advisor = staff("s2", "Eve Advisor", StaffPosition::ServiceAdvisor);
        let at_s2 = create_staff(&mut c, advisor).await;
        let ok = c.create_customer(newcomer(&at_s2.id)).await.answer();
        assert_eq!(
            (ok.id.as_str(), ok.advisor_id.as_str()),
            ("newcomer", at_s2.id.as_str())
        );
    }
);

both!(
    the_warranty_starts_on_or_after_the_sale,
    |h: Harness| async move {
        let fx = Fixture::build(&h).await;
        let mut c = h.dealer("d1");
        let early = pb::Vehicle {
            warranty_start_date: date(2025, 2, 28),
            ..vehicle(&fx.c1.id, &vin(20))
        };
        let field = c
            .create_vehicle(create::vehicle("early", early))
            .await
            .bad_field();
        assert_eq!(field, "vehicle.warranty_start_date");
        c.get_vehicle(get::vehicle("early"))
            .await
            .refused(Code::NotFound);
        // Moving the sale after the warranty start is the same mistake.
        let later_sale = pb::Vehicle {
            sale_date: date(2025, 3, 2),
            ..Default::default()
        };
        let request = update::vehicle(&fx.v1.id, later_sale, &["sale_date"]);
        assert_eq!(
            c.update_vehicle(request).await.bad_field(),
            "vehicle.warranty_start_date"
        );
        assert_eq!(c.get_vehicle(get::vehicle(&fx.v1.id)).await.answer(), fx.v1);
        // The same day (the fixture), a later day, or no sale date are fine.
        let later = pb::Vehicle {
            warranty_start_date: date(2025, 4, 1),
            ..vehicle(&fx.c1.id, &vin(21))
        };
        let later = create_vehicle(&mut c, later).await;
        assert_eq!(later.warranty_start_date, date(2025, 4, 1));
        let unsold = pb::Vehicle {
            sale_date: None,
            ..vehicle(&fx.c1.id, &vin(22))
        };
        let unsold = create_vehicle(&mut c, unsold).await;
        assert_eq!(
            (unsold.sale_date, unsold.warranty_start_date),
            (None, date(2025, 3, 1))
        );
    }
);

both!(
    a_late_refusal_leaves_nothing_behind,
    |h: Harness| async move {
        let fx = Fixture::build(&h).await;
        let (mut c, mut oem) = (h.dms("d1"), h.oem());
        // A duplicate VIN fails at the insert, after every other check passed.
        let copy = create::vehicle("copy", vehicle(&fx.c1.id, &fx.v2.vin));
        c.create_vehicle(copy.clone())
            .await
            .refused(Code::AlreadyExists);
        let of_c1 = pb::ListVehiclesRequest {
            customer_id: fx.c1.id.clone(),
            ..Default::default()
        };
        assert_eq!(
            c.list_vehicles(of_c1).await.answer().vehicles,
            vec![fx.v1.clone()]
        );
        oem.get_vehicle(get::vehicle("copy"))
            .await
            .refused(Code::NotFound);
        let by_vin = pb::ListVehiclesRequest {
            vin: fx.v2.vin.clone(),
            ..Default::default()
        };
        assert_eq!(
            oem.list_vehicles(by_vin).await.answer().vehicles,
            vec![fx.v2.clone()]
        );

        // The refusal was not kept as the answer to its request id: once the
        // VIN is free, the same request succeeds, and then replays.
        oem.delete_vehicle(delete::vehicle(&fx.v2.id, ""))
            .await
            .answer();
        let created = c.create_vehicle(copy.clone()).await.answer();
        assert_eq!(
            (created.id.as_str(), created.vin.as_str()),
            ("copy", fx.v2.vin.as_str())
        );
        assert_eq!(c.create_vehicle(copy).await.answer(), created);

        // A dealer update refused for a taken code changes nothing.
        let patch = pb::Dealer {
            code: "D3".into(),
            display_name: "X".into(),
            ..Default::default()
        };
        let taken = update::dealer("d2", patch, &["code", "display_name"]);
        oem.update_dealer(taken).await.refused(Code::AlreadyExists);
        assert_eq!(oem.get_dealer(get::dealer("d2")).await.answer(), fx.d2);
        // A staff member created with a taken id leaves the first one's
        // certifications as they were.
        let mut twin = staff("s2", "Twin", StaffPosition::Technician);
        twin.certifications = vec![certification("BRAKES", date(2030, 1, 1))];
        let request = create::staff(&fx.tech1.id, twin);
        oem.create_staff_member(request)
            .await
            .refused(Code::AlreadyExists);
        assert_eq!(
            oem.get_staff_member(get::staff(&fx.tech1.id))
                .await
                .answer(),
            fx.tech1
        );
    }
);

/// The OEM's settings may require the VIN check digit.
async fn check_digit_required(backend: Backend) {
    let h = support::start_with(backend, true).await;
    let fx = Fixture::build(&h).await;
    let mut c = h.dealer("d1");
    let wrong = wrong_check_digit(&vin(30));
    let request = create::vehicle("", vehicle(&fx.c1.id, &wrong));
    let status = c
        .create_vehicle(request.clone())
        .await
        .refused(Code::InvalidArgument);
    assert!(
        status.message().contains("check digit"),
        "{}",
        status.message()
    );
    assert_eq!(c.create_vehicle(request).await.bad_field(), "vehicle.vin");
    let patch = pb::Vehicle {
        vin: wrong.clone(),
        ..Default::default()
    };
    let request = update::vehicle(&fx.v1.id, patch, &["vin"]);
    assert_eq!(c.update_vehicle(request).await.bad_field(), "vehicle.vin");
    let by_vin = pb::ListVehiclesRequest {
        vin: wrong,
        ..Default::default()
    };
    assert!(c.list_vehicles(by_vin).await.answer().vehicles.is_empty());
    let right = create_vehicle(&mut c, vehicle(&fx.c1.id, &vin(30))).await;
    assert_eq!(right.vin, vin(30));

    // Without the setting, only length and characters count.
    let lax = support::start_with(backend, false).await;
    let fx = Fixture::build(&lax).await;
    let wrong = wrong_check_digit(&vin(30));
    let accepted = create_vehicle(&mut lax.dealer("d1"), vehicle(&fx.c1.id, &wrong)).await;
    assert_eq!(accepted.vin, wrong);
}

mod vin_check_digit {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        check_digit_required(Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        check_digit_required(Backend::Postgres).await;
    }
}
