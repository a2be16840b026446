//! The error responses routes document, one type per status, so each handler's OpenAPI entry
//! lists exactly the problems it can answer with.

use crate::problem::Problem;
use utoipa::IntoResponses;

macro_rules! problem_response {
    ($(#[$doc:meta])* $name:ident, $status:literal, $description:literal) => {
        $(#[$doc])*
        #[derive(IntoResponses)]
        #[expect(dead_code, reason = "exists for its OpenAPI description only")]
        pub(crate) enum $name {
            #[response(status = $status, description = $description, content_type = "application/problem+json")]
            Problem(Problem),
        }
    };
}

problem_response!(
    /// 400: the body is not valid JSON.
    Malformed, 400, "The body is not syntactically valid JSON"
);
problem_response!(
    /// 403: the caller may not do this.
    Forbidden, 403, "The caller lacks the permission this needs (the problem names it)"
);
problem_response!(
    /// 404: no such record visible to the caller.
    NotFound, 404, "No such record is visible to the caller"
);
problem_response!(
    /// 409: the record's state does not allow this.
    Conflicting, 409, "The record's state does not allow this"
);
problem_response!(
    /// 413: the body is too large.
    TooLarge, 413, "The body exceeds server.max_body_bytes"
);
problem_response!(
    /// 415: the body's media type is not one the route takes.
    WrongMediaType, 415, "The body's media type is not one this route takes"
);
problem_response!(
    /// 422: a parameter or field is invalid.
    Invalid, 422, "A parameter or field is invalid; `errors` names each one (with its line or JSON pointer for uploaded documents)"
);
problem_response!(
    /// 503: the database cannot be reached.
    Unavailable, 503, "The database cannot be reached right now"
);
problem_response!(
    /// 401: no valid credentials.
    Unauthorized, 401, "Credentials are missing, wrong, expired or revoked"
);
problem_response!(
    /// 429: too many attempts; `Retry-After` says when to try again.
    Throttled, 429, "Too many attempts; the Retry-After header says how many seconds to wait"
);
problem_response!(
    /// 404: hosted mode is off.
    HostedOnly, 404, "Sign-in is not used: the server runs in local mode (auth.mode = \"local\")"
);
problem_response!(
    /// 502: an identity provider failed.
    Upstream, 502, "The identity provider could not be reached in time or answered something unusable"
);
