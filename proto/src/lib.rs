//! The protobuf contracts of Aftercare: one package per service and version,
//! plus `aftercare.common.v1` for the few shared types. Module paths mirror
//! the protobuf packages; `aftercare_proto::dealers::v1` is short for
//! `aftercare_proto::aftercare::dealers::v1`.

#![allow(unreachable_pub, clippy::all, rust_2018_idioms)]

pub mod codec;

/// The encoded `FileDescriptorSet` of every contract, for server reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/aftercare_descriptor.bin"));

pub mod aftercare {
    pub mod common {
        pub mod v1 {
            tonic::include_proto!("aftercare.common.v1");
        }
    }
    pub mod dealers {
        pub mod v1 {
            tonic::include_proto!("aftercare.dealers.v1");
            include!(concat!(env!("OUT_DIR"), "/client/aftercare.dealers.v1.rs"));
        }
    }
    pub mod parts {
        pub mod v1 {
            tonic::include_proto!("aftercare.parts.v1");
            include!(concat!(env!("OUT_DIR"), "/client/aftercare.parts.v1.rs"));
        }
    }
    pub mod surveys {
        pub mod v1 {
            tonic::include_proto!("aftercare.surveys.v1");
            include!(concat!(env!("OUT_DIR"), "/client/aftercare.surveys.v1.rs"));
        }
    }
    pub mod costs {
        pub mod v1 {
            tonic::include_proto!("aftercare.costs.v1");
            include!(concat!(env!("OUT_DIR"), "/client/aftercare.costs.v1.rs"));
        }
    }
    pub mod echo {
        pub mod v1 {
            tonic::include_proto!("aftercare.echo.v1");
            include!(concat!(env!("OUT_DIR"), "/client/aftercare.echo.v1.rs"));
        }
    }
}

pub mod google {
    pub mod r#type {
        tonic::include_proto!("google.r#type");
    }
}

pub use aftercare::*;
