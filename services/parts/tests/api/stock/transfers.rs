//! Transfers: out of the source at once, inbound at the destination until
//! received there, received once.

use super::*;

both!(
    goods_are_in_transit_until_received,
    |h: Harness| async move {
        network(&h).await;
        let north = h.stock(who::region("north"));
        let d1 = h.stock(who::dealer("d1"));
        receive(&north, "north-wh", "P-1", 10).await;
        d1.clone()
            .reserve_stock(pb::ReserveStockRequest {
                allow_backorder: true,
                ..reserve("d1-wh", "P-1", 3, "ro-1", 1)
            })
            .await
            .answer();

        let t = north
            .clone()
            .create_transfer(transfer("north-wh", "d1-wh", 4))
            .await
            .answer();
        assert_eq!(t.state, pb::TransferState::InTransit as i32);
        assert_eq!(level(&north, "north-wh", "P-1").await.on_hand, 6);
        let l = level(&d1, "d1-wh", "P-1").await;
        assert_eq!((l.on_hand, l.inbound), (0, 4));
        // The backorder of ro-1 may now expect the transfer.
        let receive_it = || pb::ReceiveTransferRequest {
            transfer_id: t.transfer_id.clone(),
            request_id: rid(),
        };
        // Only the destination receives it.
        north
            .clone()
            .receive_transfer(receive_it())
            .await
            .refused(Code::PermissionDenied);
        h.stock(who::dealer("d2"))
            .receive_transfer(receive_it())
            .await
            .refused(Code::NotFound);
        let received = d1.clone().receive_transfer(receive_it()).await.answer();
        assert_eq!(received.state, pb::TransferState::Received as i32);
        // Received twice is received once.
        d1.clone().receive_transfer(receive_it()).await.answer();
        let l = level(&d1, "d1-wh", "P-1").await;
        assert_eq!(
            (l.on_hand, l.reserved, l.inbound, l.backordered),
            (4, 3, 0, 0),
            "the backorder was filled"
        );
        assert_ledger_is_the_stock(&d1, "d1-wh", "P-1").await;
        assert_ledger_is_the_stock(&north, "north-wh", "P-1").await;
    }
);

both!(
    a_transfer_ships_only_what_is_available,
    |h: Harness| async move {
        network(&h).await;
        let oem = h.stock(who::oem());
        receive(&oem, "central", "P-1", 2).await;
        let refused = oem
            .clone()
            .create_transfer(transfer("central", "north-wh", 3))
            .await
            .refused(Code::FailedPrecondition);
        assert!(refused.message().contains("only 2 available"));
        assert_eq!(level(&oem, "north-wh", "P-1").await.inbound, 0);
        // A dealer returns goods to its parent, which it cannot otherwise see.
        let d1 = h.stock(who::dealer("d1"));
        receive(&d1, "d1-wh", "P-1", 1).await;
        d1.clone()
            .create_transfer(transfer("d1-wh", "north-wh", 1))
            .await
            .answer();
        d1.clone()
            .create_transfer(transfer("d1-wh", "d2-wh", 1))
            .await
            .refused(Code::NotFound);
    }
);
