//! The network's objects from domain to proto.

use aftercare_proto::dealers::v1 as pb;
use aftercare_values::resource::Meta;
use prost_types::Timestamp;

use crate::{
    domain::{
        network::{Customer, Dealer, Region, StaffMember, Station},
        text::{Email, Id, Locale, Phone},
    },
    grpc::fields::{pb_date, timestamp},
};

fn meta(m: &Meta) -> (String, Option<Timestamp>, Option<Timestamp>) {
    (m.etag(), timestamp(m.create_time), timestamp(m.update_time))
}

impl From<Region> for pb::Region {
    fn from(r: Region) -> Self {
        let (etag, create_time, update_time) = meta(&r.meta);
        pb::Region {
            id: r.id.into_string(),
            display_name: r.fields.display_name.into_string(),
            etag,
            create_time,
            update_time,
        }
    }
}

impl From<Dealer> for pb::Dealer {
    fn from(d: Dealer) -> Self {
        let (etag, create_time, update_time) = meta(&d.meta);
        pb::Dealer {
            id: d.id.into_string(),
            region_id: d.fields.region_id.into_string(),
            display_name: d.fields.display_name.into_string(),
            code: d.fields.code.into_string(),
            city: d.fields.city.into_string(),
            etag,
            create_time,
            update_time,
        }
    }
}

impl From<Station> for pb::Station {
    fn from(s: Station) -> Self {
        let (etag, create_time, update_time) = meta(&s.meta);
        pb::Station {
            id: s.id.into_string(),
            dealer_id: s.dealer_id.into_string(),
            display_name: s.fields.display_name.into_string(),
            code: s.fields.code.into_string(),
            city: s.fields.city.into_string(),
            build_standard: s.fields.build_standard as i32,
            star_level: s.fields.star_level.get().into(),
            region_id: s.region_id.into_string(),
            etag,
            create_time,
            update_time,
        }
    }
}

impl From<StaffMember> for pb::StaffMember {
    fn from(m: StaffMember) -> Self {
        let (etag, create_time, update_time) = meta(&m.meta);
        pb::StaffMember {
            id: m.id.into_string(),
            station_id: m.station_id.into_string(),
            dealer_id: m.dealer_id.into_string(),
            display_name: m.fields.display_name.into_string(),
            position: m.fields.position as i32,
            certifications: m
                .fields
                .certifications
                .into_iter()
                .map(|c| pb::Certification {
                    kind: c.kind.into_string(),
                    expire_date: pb_date(Some(c.expire_date)),
                })
                .collect(),
            etag,
            create_time,
            update_time,
        }
    }
}

impl From<Customer> for pb::Customer {
    fn from(c: Customer) -> Self {
        let (etag, create_time, update_time) = meta(&c.meta);
        pb::Customer {
            id: c.id.into_string(),
            dealer_id: c.dealer_id.into_string(),
            display_name: c.fields.display_name.into_string(),
            phone: c.fields.phone.map(Phone::into_string).unwrap_or_default(),
            email: c.fields.email.map(Email::into_string).unwrap_or_default(),
            advisor_id: c.fields.advisor_id.map(Id::into_string).unwrap_or_default(),
            locale: c.fields.locale.map(Locale::into_string).unwrap_or_default(),
            etag,
            create_time,
            update_time,
        }
    }
}
