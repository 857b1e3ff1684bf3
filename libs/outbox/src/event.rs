use base64::{Engine, engine::general_purpose::STANDARD};

/// An event to send: what the receiver is told, and to whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Unique; the receiver applies each id once.
    pub id: String,
    /// The receiving service, e.g. `parts`.
    pub destination: String,
    /// What the payload is, for the deliverer to pick the call, e.g.
    /// `aftercare.parts.v1.StockService/ReserveLine`.
    pub kind: String,
    /// The encoded message.
    pub payload: Vec<u8>,
}

impl Event {
    /// An event with a fresh random id.
    pub fn new(destination: impl Into<String>, kind: impl Into<String>, payload: Vec<u8>) -> Self {
        Self {
            id: uuid::Uuid::new_v4().to_string(),
            destination: destination.into(),
            kind: kind.into(),
            payload,
        }
    }
}

/// An event as the relay hands it to a [`Deliver`](crate::Deliver).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    pub id: String,
    pub destination: String,
    pub kind: String,
    pub payload: Vec<u8>,
    /// When it was written, in microseconds since the epoch.
    pub create_time: i64,
    /// Deliveries tried before this one.
    pub attempts: i64,
}

/// `event_id, destination, kind, payload, create_time, attempts`.
pub(crate) type StoredRow = (String, String, String, String, i64, i64);

impl StoredEvent {
    pub(crate) fn from_row(row: StoredRow) -> Result<Self, sqlx::Error> {
        let (id, destination, kind, payload, create_time, attempts) = row;
        let payload = decode_payload(&payload).map_err(|e| sqlx::Error::Decode(e.into()))?;
        Ok(Self {
            id,
            destination,
            kind,
            payload,
            create_time,
            attempts,
        })
    }
}

pub(crate) fn encode_payload(payload: &[u8]) -> String {
    STANDARD.encode(payload)
}

fn decode_payload(text: &str) -> Result<Vec<u8>, base64::DecodeError> {
    STANDARD.decode(text)
}
