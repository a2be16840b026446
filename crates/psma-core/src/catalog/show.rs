//! Shows: the canonical titles everything else hangs off, and who may see them.

use crate::ids::id_type;
use crate::tenancy::{TenantCtx, TenantId};
use psma_plugin_sdk::ShowType;
use psma_plugin_sdk::text::{ExternalNamespace, ExternalValue, Label, LongText, Title};
use std::collections::BTreeMap;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

id_type!(
    /// Identifies a canonical show.
    ShowId
);

/// Whose a catalog record is: shared by every tenant (from provider refreshes), or private to
/// one tenant (from its own imports and confirmations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DataScope {
    /// Shared: written only in a system context.
    Global,
    /// Private to one tenant.
    Tenant(TenantId),
}

impl DataScope {
    /// The tenant, for a private record.
    #[must_use]
    pub fn tenant(self) -> Option<TenantId> {
        match self {
            Self::Global => None,
            Self::Tenant(t) => Some(t),
        }
    }

    /// The scope of what `ctx` writes.
    #[must_use]
    pub fn of(ctx: &TenantCtx) -> Self {
        Self::Tenant(ctx.tenant_id())
    }

    /// Whether a caller of `tenant` may read a record of this scope.
    #[must_use]
    pub fn visible_to(self, tenant: TenantId) -> bool {
        match self {
            Self::Global => true,
            Self::Tenant(t) => t == tenant,
        }
    }
}

/// A canonical show: its identity as merged from the identity facts of its scope.
#[derive(Debug, Clone, PartialEq)]
pub struct Show {
    /// Its id.
    pub id: ShowId,
    /// Shared, or private to the tenant whose import created it.
    pub scope: DataScope,
    /// Its title.
    pub title: Title,
    /// The year it first aired.
    pub year: Option<i32>,
    /// Series or film.
    pub show_type: ShowType,
    /// Its ids in other catalogues (the union over its identity facts).
    pub external_ids: BTreeMap<ExternalNamespace, ExternalValue>,
    /// A short description.
    pub overview: Option<LongText>,
    /// Its genres.
    pub genres: Vec<Label>,
}

impl Show {
    /// [`normalize_title`] of its title.
    #[must_use]
    pub fn normalized_title(&self) -> String {
        normalize_title(self.title.as_str())
    }

    /// [`sort_key`] of its title.
    #[must_use]
    pub fn sort_key(&self) -> String {
        sort_key(self.title.as_str())
    }
}

/// A title reduced for matching: accents removed, lower case, `&` as `and`, every run of
/// punctuation and spaces one space. "Shōgun" and "SHOGUN!" both become `shogun`.
#[must_use]
pub fn normalize_title(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut pending_space = false;
    // Lower-case before and after NFKD (İ lower-cases to i plus a combining dot; ℌ decomposes
    // to a capital H), then drop the marks, so normalizing twice changes nothing.
    for c in title
        .to_lowercase()
        .nfkd()
        .flat_map(char::to_lowercase)
        .filter(|c| !is_combining_mark(*c))
    {
        if c == '&' {
            push_word(&mut out, "and", &mut pending_space);
            continue;
        }
        if c.is_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        } else {
            pending_space = true;
        }
    }
    out
}

fn push_word(out: &mut String, word: &str, pending_space: &mut bool) {
    if !out.is_empty() {
        out.push(' ');
    }
    out.push_str(word);
    *pending_space = true;
}

/// The key shows are listed by: the normalized title without a leading English article, so
/// "The Bear" sorts under B.
#[must_use]
pub fn sort_key(title: &str) -> String {
    let normalized = normalize_title(title);
    for article in ["the ", "a ", "an "] {
        if let Some(rest) = normalized.strip_prefix(article)
            && !rest.is_empty()
        {
            return rest.to_owned();
        }
    }
    normalized
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn titles_normalize_for_matching() {
        assert_eq!(normalize_title("Shōgun"), "shogun");
        assert_eq!(normalize_title("  SHOGUN!! "), "shogun");
        assert_eq!(normalize_title("Law & Order: SVU"), "law and order svu");
        assert_eq!(normalize_title("M*A*S*H"), "m a s h");
        assert_eq!(normalize_title("Pokémon"), "pokemon");
        assert_eq!(normalize_title("!!!"), "");
    }

    #[test]
    fn leading_articles_do_not_decide_the_order() {
        assert_eq!(sort_key("The Bear"), "bear");
        assert_eq!(sort_key("A Man on the Inside"), "man on the inside");
        assert_eq!(sort_key("The"), "the");
    }

    proptest! {
        #[test]
        fn normalizing_is_idempotent(title in "\\PC{0,40}") {
            let once = normalize_title(&title);
            prop_assert_eq!(normalize_title(&once), once.clone());
            prop_assert!(!once.starts_with(' ') && !once.ends_with(' ') && !once.contains("  "));
        }
    }
}
