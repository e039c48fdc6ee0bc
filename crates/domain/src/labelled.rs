//! Codes with a Chinese and an English name: one macro instead of the same four functions on
//! every enum of the party, service and supervision modules.

/// Declares a `Copy` enum whose variants each have a code, a Chinese and an English name, with
/// `ALL`, `as_str`, `zh`, `en` and `parse` (the code, case-insensitive, or the Chinese name).
///
/// ```
/// gongzhi_domain::labelled_enum! {
///     /// A colour.
///     pub enum Colour {
///         /// Red.
///         Red = ("red", "红", "Red"),
///         Blue = ("blue", "蓝", "Blue"),
///     }
/// }
/// assert_eq!(Colour::parse("红"), Some(Colour::Red));
/// assert_eq!(Colour::parse("BLUE"), Some(Colour::Blue));
/// assert_eq!(Colour::Red.en(), "Red");
/// ```
#[macro_export]
macro_rules! labelled_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = ($code:literal, $zh:literal, $en:literal) ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $variant ),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn zh(self) -> &'static str {
                match self { $($name::$variant => $zh),+ }
            }

            pub fn en(self) -> &'static str {
                match self { $($name::$variant => $en),+ }
            }

            /// The code (any case) or the Chinese name, surrounding blanks ignored.
            pub fn parse(s: &str) -> Option<$name> {
                let t = s.trim();
                Self::ALL
                    .iter()
                    .copied()
                    .find(|v| t.eq_ignore_ascii_case(v.as_str()) || t == v.zh())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
