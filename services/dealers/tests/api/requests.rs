//! Requests of the standard methods, each mutation with a fresh request id:
//! `get::dealer("d1")`, `update::dealer("d1", patch, &["city"])`,
//! `delete::dealer("d1", etag)`, `create::dealer("d9", dealer)` (an empty id
//! lets the service choose one).

/// Get requests.
pub(crate) mod get {
    use aftercare_proto::dealers::v1 as pb;

    pub(crate) fn region(id: &str) -> pb::GetRegionRequest {
        pb::GetRegionRequest { id: id.into() }
    }

    pub(crate) fn dealer(id: &str) -> pb::GetDealerRequest {
        pb::GetDealerRequest { id: id.into() }
    }

    pub(crate) fn station(id: &str) -> pb::GetStationRequest {
        pb::GetStationRequest { id: id.into() }
    }

    pub(crate) fn staff(id: &str) -> pb::GetStaffMemberRequest {
        pb::GetStaffMemberRequest { id: id.into() }
    }

    pub(crate) fn customer(id: &str) -> pb::GetCustomerRequest {
        pb::GetCustomerRequest { id: id.into() }
    }

    pub(crate) fn vehicle(id: &str) -> pb::GetVehicleRequest {
        pb::GetVehicleRequest { id: id.into() }
    }
}

/// Create requests: the object and an id for it (empty: generated).
pub(crate) mod create {
    use aftercare_proto::dealers::v1 as pb;

    use crate::values::rid;

    pub(crate) fn region(id: &str, region: pb::Region) -> pb::CreateRegionRequest {
        pb::CreateRegionRequest {
            region: Some(region),
            region_id: id.into(),
            request_id: rid(),
        }
    }

    pub(crate) fn dealer(id: &str, dealer: pb::Dealer) -> pb::CreateDealerRequest {
        pb::CreateDealerRequest {
            dealer: Some(dealer),
            dealer_id: id.into(),
            request_id: rid(),
        }
    }

    pub(crate) fn station(id: &str, station: pb::Station) -> pb::CreateStationRequest {
        pb::CreateStationRequest {
            station: Some(station),
            station_id: id.into(),
            request_id: rid(),
        }
    }

    pub(crate) fn staff(id: &str, member: pb::StaffMember) -> pb::CreateStaffMemberRequest {
        pb::CreateStaffMemberRequest {
            staff_member: Some(member),
            staff_member_id: id.into(),
            request_id: rid(),
        }
    }

    pub(crate) fn customer(id: &str, customer: pb::Customer) -> pb::CreateCustomerRequest {
        pb::CreateCustomerRequest {
            customer: Some(customer),
            customer_id: id.into(),
            request_id: rid(),
        }
    }

    pub(crate) fn vehicle(id: &str, vehicle: pb::Vehicle) -> pb::CreateVehicleRequest {
        pb::CreateVehicleRequest {
            vehicle: Some(vehicle),
            vehicle_id: id.into(),
            request_id: rid(),
        }
    }
}

/// Update requests: the id, the new values (and etag), the mask's paths
/// (none: no mask, the populated fields change).
pub(crate) mod update {
    use aftercare_proto::dealers::v1 as pb;

    use crate::values::{mask, rid};

    pub(crate) fn region(id: &str, r: pb::Region, paths: &[&str]) -> pb::UpdateRegionRequest {
        let region = Some(pb::Region { id: id.into(), ..r });
        pb::UpdateRegionRequest {
            region,
            update_mask: mask(paths),
            request_id: rid(),
        }
    }

    pub(crate) fn dealer(id: &str, d: pb::Dealer, paths: &[&str]) -> pb::UpdateDealerRequest {
        let dealer = Some(pb::Dealer { id: id.into(), ..d });
        pb::UpdateDealerRequest {
            dealer,
            update_mask: mask(paths),
            request_id: rid(),
        }
    }

    pub(crate) fn station(id: &str, s: pb::Station, paths: &[&str]) -> pb::UpdateStationRequest {
        let station = Some(pb::Station { id: id.into(), ..s });
        pb::UpdateStationRequest {
            station,
            update_mask: mask(paths),
            request_id: rid(),
        }
    }

    pub(crate) fn staff(
        id: &str,
        m: pb::StaffMember,
        paths: &[&str],
    ) -> pb::UpdateStaffMemberRequest {
        let staff_member = Some(pb::StaffMember { id: id.into(), ..m });
        pb::UpdateStaffMemberRequest {
            staff_member,
            update_mask: mask(paths),
            request_id: rid(),
        }
    }

    pub(crate) fn customer(id: &str, c: pb::Customer, paths: &[&str]) -> pb::UpdateCustomerRequest {
        let customer = Some(pb::Customer { id: id.into(), ..c });
        pb::UpdateCustomerRequest {
            customer,
            update_mask: mask(paths),
            request_id: rid(),
        }
    }

    pub(crate) fn vehicle(id: &str, v: pb::Vehicle, paths: &[&str]) -> pb::UpdateVehicleRequest {
        let vehicle = Some(pb::Vehicle { id: id.into(), ..v });
        pb::UpdateVehicleRequest {
            vehicle,
            update_mask: mask(paths),
            request_id: rid(),
        }
    }
}

/// Delete requests: the id and the etag it is conditional on ("": none).
pub(crate) mod delete {
    use aftercare_proto::dealers::v1 as pb;

    use crate::values::rid;

    pub(crate) fn region(id: &str, etag: &str) -> pb::DeleteRegionRequest {
        pb::DeleteRegionRequest {
            id: id.into(),
            etag: etag.into(),
            request_id: rid(),
        }
    }

    pub(crate) fn dealer(id: &str, etag: &str) -> pb::DeleteDealerRequest {
        pb::DeleteDealerRequest {
            id: id.into(),
            etag: etag.into(),
            request_id: rid(),
        }
    }

    pub(crate) fn station(id: &str, etag: &str) -> pb::DeleteStationRequest {
        pb::DeleteStationRequest {
            id: id.into(),
            etag: etag.into(),
            request_id: rid(),
        }
    }

    pub(crate) fn staff(id: &str, etag: &str) -> pb::DeleteStaffMemberRequest {
        pb::DeleteStaffMemberRequest {
            id: id.into(),
            etag: etag.into(),
            request_id: rid(),
        }
    }

    pub(crate) fn customer(id: &str, etag: &str) -> pb::DeleteCustomerRequest {
        pb::DeleteCustomerRequest {
            id: id.into(),
            etag: etag.into(),
            request_id: rid(),
        }
    }

    pub(crate) fn vehicle(id: &str, etag: &str) -> pb::DeleteVehicleRequest {
        pb::DeleteVehicleRequest {
            id: id.into(),
            etag: etag.into(),
            request_id: rid(),
        }
    }
}
