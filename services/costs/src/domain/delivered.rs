//! A delivered repair order as the dealers service tells of it: what costs
//! needs to cost it and, for a warranty RO, to draft its claim.

use time::Date;

use super::scope::Place;

/// The kind of work an RO was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderType {
    Maintenance,
    Repair,
    Warranty,
    Recall,
}

/// A labour line of the RO.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabourLine {
    pub line_number: i32,
    pub operation_code: String,
    /// Empty when nobody recorded the work.
    pub technician_id: String,
    pub standard_centihours: i32,
    pub actual_centihours: i32,
}

/// A parts line of the RO that was issued (the others cost nothing).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartsLine {
    pub line_number: i32,
    /// The part issued (the one the warehouse reserved, which may be an
    /// older number of the part asked for).
    pub part_number: String,
    pub quantity: i64,
}

/// The RO's vehicle when it was delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vehicle {
    /// The dealers service's id of the vehicle.
    pub id: String,
    /// Empty (with model and warranty start) when the event carried no
    /// vehicle: the dealers service then tells.
    pub vin: String,
    pub model: String,
    pub warranty_start: Option<Date>,
}

/// A delivered RO.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivered {
    pub repair_order_id: String,
    pub place: Place,
    pub order_type: OrderType,
    /// Flagged as a comeback by the dealers service.
    pub comeback: bool,
    pub vehicle: Vehicle,
    pub mileage_km: i64,
    /// Microseconds since the epoch: prices and rates are those in force at
    /// the arrival; periods are those of the delivery.
    pub arrival_time: i64,
    pub delivery_time: i64,
    pub labour: Vec<LabourLine>,
    /// Issued lines only.
    pub parts: Vec<PartsLine>,
    /// The final bill in minor units of `currency`.
    pub bill: i64,
    pub currency: String,
}
