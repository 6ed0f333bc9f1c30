//! Records whose fields go by several names (`ObjectId` / `OfficeObjectId`,
//! `Operation` / `Operations`, Sentinel and lower-cased columns), read without ever
//! failing on a name given twice.
//!
//! serde's derived `alias` refuses a record that holds two names of one field (or one
//! key twice) with "duplicate field", and the whole record would be lost. The structs
//! made by [`lenient_struct!`] keep one value instead: a non-blank one over a blank
//! one, then the one whose name comes first in the field's list (the canonical name),
//! then the first seen.

use serde_json::value::RawValue;

use super::Text;

/// Whether a field value says nothing (null, blank), so that another name's value
/// is preferred.
pub(super) trait Blank {
    /// `true` when the value is null or blank.
    fn is_blank(&self) -> bool;
}

impl Blank for Text<'_> {
    fn is_blank(&self) -> bool {
        self.0.trim().is_empty()
    }
}

impl Blank for &RawValue {
    fn is_blank(&self) -> bool {
        matches!(self.get().trim(), "null" | "\"\"")
    }
}

/// Whether a value found under the name at `rank` replaces the one kept so far
/// (found at `kept_rank`).
pub(super) fn replaces<T: Blank>(new: &Option<T>, rank: usize, kept: &Option<T>, kept_rank: usize) -> bool {
    let new_blank = new.as_ref().is_none_or(Blank::is_blank);
    let kept_blank = kept.as_ref().is_none_or(Blank::is_blank);
    match (kept_blank, new_blank) {
        (true, false) => true,
        (false, false) => rank < kept_rank,
        _ => false,
    }
}

/// Declares a struct of optional fields, each read from the first matching name of
/// its list, with a `Deserialize` impl that never fails on repeated names (see the
/// module documentation). Field types must implement [`Blank`] and borrow from `'a`.
macro_rules! lenient_struct {
    (
        $(#[$meta:meta])*
        struct $name:ident<'a> {
            $( $field:ident : $ty:ty = [ $($key:literal),+ ] ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Default)]
        struct $name<'a> {
            $( $field: Option<$ty>, )*
        }

        impl<'de: 'a, 'a> serde::Deserialize<'de> for $name<'a> {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V<'a>(std::marker::PhantomData<&'a ()>);
                impl<'de: 'a, 'a> serde::de::Visitor<'de> for V<'a> {
                    type Value = $name<'a>;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str("a JSON object")
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                        let mut out = $name::default();
                        // Rank (position in the field's name list) of each kept value.
                        #[allow(non_snake_case)]
                        struct Ranks { $( $field: usize, )* }
                        let mut ranks = Ranks { $( $field: usize::MAX, )* };
                        while let Some(key) = map.next_key::<Text<'de>>()? {
                            match key.0.as_ref() {
                                $(
                                    $($key)|+ => {
                                        let names: &[&str] = &[$($key),+];
                                        let rank = names.iter().position(|n| *n == key.0.as_ref()).unwrap_or(usize::MAX);
                                        let value: Option<$ty> = map.next_value()?;
                                        if $crate::m365_ual::lenient::replaces(&value, rank, &out.$field, ranks.$field)
                                            || ranks.$field == usize::MAX
                                        {
                                            out.$field = value;
                                            ranks.$field = rank;
                                        }
                                    }
                                )*
                                _ => {
                                    map.next_value::<serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                        Ok(out)
                    }
                }
                d.deserialize_map(V(std::marker::PhantomData))
            }
        }
    };
}

pub(super) use lenient_struct;
