//! TMDB's TV genres by id: search and find hits carry `genre_ids` only, and asking
//! `/genre/tv/list` on every search would double the calls for a list that does not change.

use psma_plugin_sdk::text::Label;

/// `/genre/tv/list` in English, as TMDB documents it.
const TV_GENRES: [(u64, &str); 16] = [
    (10759, "Action & Adventure"),
    (16, "Animation"),
    (35, "Comedy"),
    (80, "Crime"),
    (99, "Documentary"),
    (18, "Drama"),
    (10751, "Family"),
    (10762, "Kids"),
    (9648, "Mystery"),
    (10763, "News"),
    (10764, "Reality"),
    (10765, "Sci-Fi & Fantasy"),
    (10766, "Soap"),
    (10767, "Talk"),
    (10768, "War & Politics"),
    (37, "Western"),
];

/// The names of the genres TMDB numbers `ids`, in their order; an id TMDB added since is
/// skipped (the details, read on fetch, name it).
pub(crate) fn names(ids: &[u64]) -> Vec<Label> {
    ids.iter()
        .filter_map(|id| TV_GENRES.iter().find(|(known, _)| known == id))
        .filter_map(|(_, name)| Label::parse(name).ok())
        .take(20)
        .collect()
}
