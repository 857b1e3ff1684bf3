//! The codec of every generated server: prost's, except that a request that
//! does not decode is the caller's fault.
//!
//! prost refuses invalid UTF-8 in a string, a length past the end of the
//! message, a wrong wire type, nesting past its recursion limit and field
//! number 0; tonic-prost answers all of those INTERNAL, which pages an
//! operator for a partner's broken client. Here they are INVALID_ARGUMENT.

use std::{any::type_name, marker::PhantomData};

use tonic::{
    Status,
    codec::{BufferSettings, Codec, DecodeBuf, Decoder},
};
use tonic_prost::{ProstCodec, ProstDecoder, ProstEncoder};

/// [`ProstCodec`] with [`RequestDecoder`]: encodes `T`, decodes `U`.
#[derive(Debug, Clone)]
pub struct RequestCodec<T, U> {
    _types: PhantomData<(T, U)>,
}

impl<T, U> Default for RequestCodec<T, U> {
    fn default() -> Self {
        Self {
            _types: PhantomData,
        }
    }
}

impl<T, U> Codec for RequestCodec<T, U>
where
    T: prost::Message + Send + 'static,
    U: prost::Message + Default + Send + 'static,
{
    type Encode = T;
    type Decode = U;
    type Encoder = ProstEncoder<T>;
    type Decoder = RequestDecoder<U>;

    fn encoder(&mut self) -> Self::Encoder {
        ProstCodec::<T, U>::default().encoder()
    }

    fn decoder(&mut self) -> Self::Decoder {
        RequestDecoder(ProstCodec::<T, U>::default().decoder())
    }
}

/// Decodes a request as prost does; what prost refuses is answered
/// INVALID_ARGUMENT, naming the message.
#[derive(Debug, Clone)]
pub struct RequestDecoder<U>(ProstDecoder<U>);

impl<U: prost::Message + Default> Decoder for RequestDecoder<U> {
    type Item = U;
    type Error = Status;

    fn decode(&mut self, buf: &mut DecodeBuf<'_>) -> Result<Option<U>, Status> {
        // Every error of prost's decoder is one of the message's bytes.
        self.0.decode(buf).map_err(|refused| {
            let message = type_name::<U>().rsplit("::").next().unwrap_or("message");
            Status::invalid_argument(format!(
                "the request is not a valid {message}: {}",
                refused.message()
            ))
        })
    }

    fn buffer_settings(&self) -> BufferSettings {
        self.0.buffer_settings()
    }
}
