//! The calendar feed: minting its secret URL (`POST /api/v1/calendar/token`) and serving it
//! (`GET /calendar/{token}.ics`, no session: the token is the credential).

pub(crate) mod feed;
pub(crate) mod ics;
pub(crate) mod token;
