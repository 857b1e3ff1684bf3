//! What a test checks on an answer: success, the status code of a refusal,
//! the field an INVALID_ARGUMENT names in its google.rpc.BadRequest.

use std::future::Future;

use tonic::{Code, Response, Status};
use tonic_types::StatusExt;

pub trait Outcome<T> {
    /// The message of a successful answer; panics with the status otherwise.
    fn answer(self) -> T;
    /// The status of a refused answer, which must carry `code`.
    fn refused(self, code: Code) -> Status;
    /// The one field an INVALID_ARGUMENT answer's BadRequest names.
    fn bad_field(self) -> String;
    /// The code of an answer: OK for a success.
    fn code(self) -> Code;
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

    fn code(self) -> Code {
        self.err().map_or(Code::Ok, |s| s.code())
    }
}

/// The ids of a list's items.
pub fn ids<T>(items: &[T], id: impl Fn(&T) -> &str) -> Vec<String> {
    items.iter().map(|x| id(x).to_owned()).collect()
}

/// `items` ordered by id, as lists answer.
pub fn by_id<T: Clone>(items: &[&T], id: impl Fn(&T) -> &str) -> Vec<T> {
    let mut items: Vec<T> = items.iter().map(|x| (*x).clone()).collect();
    items.sort_by(|a, b| id(a).cmp(id(b)));
    items
}

/// Sends `request` twice in a row, or eight times at once (`race`), always
/// with its one request id, through a clone of client `c`: every answer is
/// the first.
pub async fn once<C, Req, Resp, F, Fut>(race: bool, c: &C, request: Req, call: F) -> Resp
where
    C: Clone,
    Req: Clone,
    Resp: std::fmt::Debug + PartialEq + Send + 'static,
    F: Fn(C, Req) -> Fut,
    Fut: Future<Output = Result<Response<Resp>, Status>> + Send + 'static,
{
    let answers: Vec<Resp> = if race {
        let mut tasks = tokio::task::JoinSet::new();
        for _ in 0..8 {
            tasks.spawn(call(c.clone(), request.clone()));
        }
        tasks
            .join_all()
            .await
            .into_iter()
            .map(|r| r.answer())
            .collect()
    } else {
        let first = call(c.clone(), request.clone()).await.answer();
        vec![first, call(c.clone(), request).await.answer()]
    };
    assert!(
        answers.iter().all(|a| *a == answers[0]),
        "all answer alike: {answers:?}"
    );
    answers.into_iter().next().expect("answers")
}
