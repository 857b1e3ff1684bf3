use aftercare_values::FieldViolation;
use prost_types::FieldMask;

type Result<T> = std::result::Result<T, FieldViolation>;

/// The fields an update changes (AIP-134): those the mask names; `*` for
/// every mutable field; without a mask, the fields the request populates.
pub struct Mask {
    paths: Option<Vec<String>>,
}

impl Mask {
    pub fn new(mask: Option<FieldMask>, mutable: &[&str]) -> Result<Self> {
        let paths = match mask {
            None => return Ok(Self { paths: None }),
            Some(m) if m.paths.is_empty() => return Ok(Self { paths: None }),
            Some(m) if m.paths.iter().any(|p| p == "*") => {
                mutable.iter().map(|p| (*p).to_owned()).collect()
            }
            Some(m) => m.paths,
        };
        if let Some(bad) = paths.iter().find(|p| !mutable.contains(&p.as_str())) {
            return Err(FieldViolation::new(
                "update_mask",
                format!(
                    "{bad} is not a field that can be updated (mutable: {})",
                    mutable.join(", ")
                ),
            ));
        }
        Ok(Self { paths: Some(paths) })
    }

    /// The parsed new value of `path` if the update changes it.
    pub fn take<T>(
        &self,
        path: &str,
        populated: bool,
        parse: impl FnOnce() -> Result<T>,
    ) -> Result<Option<T>> {
        let wanted = match &self.paths {
            Some(paths) => paths.iter().any(|p| p == path),
            None => populated,
        };
        if wanted { parse().map(Some) } else { Ok(None) }
    }
}
