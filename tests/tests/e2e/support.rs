//! What the end-to-end tests share: the real binary and its processes, gRPC
//! clients that carry a bearer token, raw HTTP/1.1 with gRPC-web framing,
//! and the embedded system started in this process.

pub(crate) mod clients;
pub(crate) mod distributed;
pub(crate) mod http1;
pub(crate) mod process;
pub(crate) mod system;
