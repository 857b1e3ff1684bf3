//! The editable fields of each object, parsed from a create request (every
//! field) or an update request (the fields the mask names).

use aftercare_edge::Mask;
use aftercare_proto::dealers::v1 as pb;
use aftercare_values::FieldViolation;
use prost_types::FieldMask;

use crate::domain::network::{
    CustomerFields, CustomerPatch, DealerFields, DealerPatch, RegionFields, RegionPatch,
    StaffFields, StaffPatch, StationFields, StationPatch, VehicleFields, VehiclePatch,
};
use crate::grpc::fields::{
    build_standard, certifications, city, code, date, email, id, locale, mileage, name,
    optional_id, phone, position, star_level, vin,
};

type Result<T> = std::result::Result<T, FieldViolation>;

pub(super) fn region_fields(p: &pb::Region) -> Result<RegionFields> {
    Ok(RegionFields {
        display_name: name(&p.display_name, "region.display_name")?,
    })
}

pub(super) fn region_patch(p: &pb::Region, mask: Option<FieldMask>) -> Result<RegionPatch> {
    let m = Mask::new(mask, &["display_name"])?;
    Ok(RegionPatch {
        display_name: m.take("display_name", !p.display_name.is_empty(), || {
            name(&p.display_name, "region.display_name")
        })?,
    })
}

pub(super) fn dealer_fields(p: &pb::Dealer) -> Result<DealerFields> {
    Ok(DealerFields {
        region_id: id(&p.region_id, "dealer.region_id")?,
        display_name: name(&p.display_name, "dealer.display_name")?,
        code: code(&p.code, "dealer.code")?,
        city: city(&p.city, "dealer.city")?,
    })
}

pub(super) fn dealer_patch(p: &pb::Dealer, mask: Option<FieldMask>) -> Result<DealerPatch> {
    let m = Mask::new(mask, &["region_id", "display_name", "code", "city"])?;
    Ok(DealerPatch {
        region_id: m.take("region_id", !p.region_id.is_empty(), || {
            id(&p.region_id, "dealer.region_id")
        })?,
        display_name: m.take("display_name", !p.display_name.is_empty(), || {
            name(&p.display_name, "dealer.display_name")
        })?,
        code: m.take("code", !p.code.is_empty(), || code(&p.code, "dealer.code"))?,
        city: m.take("city", !p.city.is_empty(), || city(&p.city, "dealer.city"))?,
    })
}

pub(super) fn station_fields(p: &pb::Station) -> Result<StationFields> {
    Ok(StationFields {
        display_name: name(&p.display_name, "station.display_name")?,
        code: code(&p.code, "station.code")?,
        city: city(&p.city, "station.city")?,
        build_standard: build_standard(p.build_standard, "station.build_standard")?,
        star_level: star_level(p.star_level, "station.star_level")?,
    })
}

pub(super) fn station_patch(p: &pb::Station, mask: Option<FieldMask>) -> Result<StationPatch> {
    let m = Mask::new(
        mask,
        &[
            "display_name",
            "code",
            "city",
            "build_standard",
            "star_level",
        ],
    )?;
    Ok(StationPatch {
        display_name: m.take("display_name", !p.display_name.is_empty(), || {
            name(&p.display_name, "station.display_name")
        })?,
        code: m.take("code", !p.code.is_empty(), || code(&p.code, "station.code"))?,
        city: m.take("city", !p.city.is_empty(), || city(&p.city, "station.city"))?,
        build_standard: m.take("build_standard", p.build_standard != 0, || {
            build_standard(p.build_standard, "station.build_standard")
        })?,
        star_level: m.take("star_level", p.star_level != 0, || {
            star_level(p.star_level, "station.star_level")
        })?,
    })
}

pub(super) fn staff_fields(p: &pb::StaffMember) -> Result<StaffFields> {
    Ok(StaffFields {
        display_name: name(&p.display_name, "staff_member.display_name")?,
        position: position(p.position, "staff_member.position")?,
        certifications: certifications(&p.certifications, "staff_member.certifications")?,
    })
}

pub(super) fn staff_patch(p: &pb::StaffMember, mask: Option<FieldMask>) -> Result<StaffPatch> {
    let m = Mask::new(mask, &["display_name", "position", "certifications"])?;
    Ok(StaffPatch {
        display_name: m.take("display_name", !p.display_name.is_empty(), || {
            name(&p.display_name, "staff_member.display_name")
        })?,
        position: m.take("position", p.position != 0, || {
            position(p.position, "staff_member.position")
        })?,
        certifications: m.take("certifications", !p.certifications.is_empty(), || {
            certifications(&p.certifications, "staff_member.certifications")
        })?,
    })
}

pub(super) fn customer_fields(p: &pb::Customer) -> Result<CustomerFields> {
    Ok(CustomerFields {
        display_name: name(&p.display_name, "customer.display_name")?,
        phone: phone(&p.phone, "customer.phone")?,
        email: email(&p.email, "customer.email")?,
        advisor_id: optional_id(&p.advisor_id, "customer.advisor_id")?,
        locale: locale(&p.locale, "customer.locale")?,
    })
}

pub(super) fn customer_patch(p: &pb::Customer, mask: Option<FieldMask>) -> Result<CustomerPatch> {
    let m = Mask::new(
        mask,
        &["display_name", "phone", "email", "advisor_id", "locale"],
    )?;
    Ok(CustomerPatch {
        display_name: m.take("display_name", !p.display_name.is_empty(), || {
            name(&p.display_name, "customer.display_name")
        })?,
        phone: m.take("phone", !p.phone.is_empty(), || {
            phone(&p.phone, "customer.phone")
        })?,
        email: m.take("email", !p.email.is_empty(), || {
            email(&p.email, "customer.email")
        })?,
        advisor_id: m.take("advisor_id", !p.advisor_id.is_empty(), || {
            optional_id(&p.advisor_id, "customer.advisor_id")
        })?,
        locale: m.take("locale", !p.locale.is_empty(), || {
            locale(&p.locale, "customer.locale")
        })?,
    })
}

pub(super) fn vehicle_fields(p: &pb::Vehicle, strict_vin: bool) -> Result<VehicleFields> {
    Ok(VehicleFields {
        vin: vin(&p.vin, strict_vin, "vehicle.vin")?,
        customer_id: id(&p.customer_id, "vehicle.customer_id")?,
        model: code(&p.model, "vehicle.model")?,
        sale_date: date(p.sale_date.as_ref(), "vehicle.sale_date")?,
        mileage_km: mileage(p.mileage_km, "vehicle.mileage_km")?,
        warranty_start_date: date(
            p.warranty_start_date.as_ref(),
            "vehicle.warranty_start_date",
        )?,
    })
}

pub(super) fn vehicle_patch(
    p: &pb::Vehicle,
    mask: Option<FieldMask>,
    strict_vin: bool,
) -> Result<VehiclePatch> {
    let m = Mask::new(
        mask,
        &[
            "vin",
            "customer_id",
            "model",
            "sale_date",
            "mileage_km",
            "warranty_start_date",
        ],
    )?;
    Ok(VehiclePatch {
        vin: m.take("vin", !p.vin.is_empty(), || {
            vin(&p.vin, strict_vin, "vehicle.vin")
        })?,
        customer_id: m.take("customer_id", !p.customer_id.is_empty(), || {
            id(&p.customer_id, "vehicle.customer_id")
        })?,
        model: m.take("model", !p.model.is_empty(), || {
            code(&p.model, "vehicle.model")
        })?,
        sale_date: m.take("sale_date", p.sale_date.is_some(), || {
            date(p.sale_date.as_ref(), "vehicle.sale_date")
        })?,
        mileage_km: m.take("mileage_km", p.mileage_km != 0, || {
            mileage(p.mileage_km, "vehicle.mileage_km")
        })?,
        warranty_start_date: m.take(
            "warranty_start_date",
            p.warranty_start_date.is_some(),
            || {
                date(
                    p.warranty_start_date.as_ref(),
                    "vehicle.warranty_start_date",
                )
            },
        )?,
    })
}
