//! What a test checks on an answer: success, the status code of a refusal,
//! the field an INVALID_ARGUMENT names in its google.rpc.BadRequest.

use tonic::{Code, Response, Status};
use tonic_types::StatusExt;

pub(crate) trait Outcome<T> {
    /// The message of a successful answer; panics with the status otherwise.
    fn answer(self) -> T;
    /// The status of a refused answer, which must carry `code`.
    fn refused(self, code: Code) -> Status;
    /// The one field an INVALID_ARGUMENT answer's BadRequest names.
    fn bad_field(self) -> String;
}

impl<T: std::fmt::Debug> Outcome<T> for Result<Response<T>, Status> {
    #[track_caller]
    fn answer(self) -> T {
        match self {
            Ok(r) => r.into_inner(),
            Err(s) => panic!("expected success, got {:?}: {}", s.code(), s.message()),
        }
    }

    #[track_caller]
    fn refused(self, code: Code) -> Status {
        match self {
            Ok(r) => panic!("expected {code:?}, got success: {:?}", r.get_ref()),
            Err(s) => {
                assert_eq!(s.code(), code, "unexpected status: {}", s.message());
                s
            }
        }
    }

    #[track_caller]
    fn bad_field(self) -> String {
        let status = self.refused(Code::InvalidArgument);
        let details = status
            .get_details_bad_request()
            .expect("INVALID_ARGUMENT carries a google.rpc.BadRequest");
        assert_eq!(details.field_violations.len(), 1, "{details:?}");
        let violation = &details.field_violations[0];
        assert!(!violation.description.is_empty(), "the violation says why");
        violation.field.clone()
    }
}

/// The ids of a list's items.
pub(crate) fn ids<T>(items: &[T], id: impl Fn(&T) -> &str) -> Vec<String> {
    items.iter().map(|x| id(x).to_owned()).collect()
}
