//! Reason codes: why an assessment says what it says.

use serde::Serialize;

/// Why an assessment says what it says. Serialised in `SCREAMING_SNAKE_CASE`; the variants are
/// declared in the alphabetical order of their names, so sorting codes sorts their names.
///
/// Exactly one of [`Self::AvailableNow`], [`Self::WindowNotStarted`], [`Self::WindowEnded`],
/// [`Self::StaleWithoutDates`] and [`Self::SourcesDisagreeOnNow`] is on every assessment: the
/// rule that decided `available_now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ReasonCode {
    /// The winning window covers today: `available_now` is `true`.
    AvailableNow,
    /// An unresolved (open or deferred) conflict names a fact of this window.
    Contested,
    /// Free, or free with ads (monetization `free`/`ads`, or an `avod` service): no
    /// subscription needed.
    FreeOffer,
    /// A live bundle, and no episode of the show has a known air day from today on: the band
    /// is `low`.
    LiveBundleNoSchedule,
    /// The winner's confidence is below the configured `min_confidence`.
    LowConfidence,
    /// The window has no known end.
    NoEndDate,
    /// The window has no known start ("available now").
    NoStartDate,
    /// Rent or buy (monetization `rent`/`buy`, or a `tvod` service): not a subscription.
    PurchaseOnly,
    /// The registry does not know the service: never plan it.
    ServiceIdUnknown,
    /// Two or more sources put the show in this window, and no conflict disputes it.
    SeveralSourcesAgree,
    /// A conflict disputes the window and its facts disagree on whether it covers today:
    /// `available_now` is `unknown`.
    SourcesDisagreeOnNow,
    /// The winner's snapshot is older than the staleness horizon: the band dropped one step.
    StaleSnapshot,
    /// The only claim is a stale, undated "available now": `available_now` is `unknown`.
    StaleWithoutDates,
    /// The winner is the household's confirmation of a conflict's resolution.
    UserConfirmed,
    /// The winning window ended before today: `available_now` is `false`.
    WindowEnded,
    /// The winning window starts after today: `available_now` is `false`.
    WindowNotStarted,
}

impl ReasonCode {
    /// Every code, in order.
    pub const ALL: [Self; 16] = [
        Self::AvailableNow,
        Self::Contested,
        Self::FreeOffer,
        Self::LiveBundleNoSchedule,
        Self::LowConfidence,
        Self::NoEndDate,
        Self::NoStartDate,
        Self::PurchaseOnly,
        Self::ServiceIdUnknown,
        Self::SeveralSourcesAgree,
        Self::SourcesDisagreeOnNow,
        Self::StaleSnapshot,
        Self::StaleWithoutDates,
        Self::UserConfirmed,
        Self::WindowEnded,
        Self::WindowNotStarted,
    ];

    /// The codes that decide `available_now`; one of them is on every assessment.
    pub const VERDICTS: [Self; 5] = [
        Self::AvailableNow,
        Self::SourcesDisagreeOnNow,
        Self::StaleWithoutDates,
        Self::WindowEnded,
        Self::WindowNotStarted,
    ];

    /// The name, as serialised.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AvailableNow => "AVAILABLE_NOW",
            Self::Contested => "CONTESTED",
            Self::FreeOffer => "FREE_OFFER",
            Self::LiveBundleNoSchedule => "LIVE_BUNDLE_NO_SCHEDULE",
            Self::LowConfidence => "LOW_CONFIDENCE",
            Self::NoEndDate => "NO_END_DATE",
            Self::NoStartDate => "NO_START_DATE",
            Self::PurchaseOnly => "PURCHASE_ONLY",
            Self::ServiceIdUnknown => "SERVICE_ID_UNKNOWN",
            Self::SeveralSourcesAgree => "SEVERAL_SOURCES_AGREE",
            Self::SourcesDisagreeOnNow => "SOURCES_DISAGREE_ON_NOW",
            Self::StaleSnapshot => "STALE_SNAPSHOT",
            Self::StaleWithoutDates => "STALE_WITHOUT_DATES",
            Self::UserConfirmed => "USER_CONFIRMED",
            Self::WindowEnded => "WINDOW_ENDED",
            Self::WindowNotStarted => "WINDOW_NOT_STARTED",
        }
    }

    /// The code of a name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

impl std::fmt::Display for ReasonCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
