//! The distance metrics every pass understands.

use crate::error::{KernelError, KernelResult};

/// How rows are compared with centroids.
///
/// Values returned by the passes: `L2` gives the squared Euclidean distance (smaller is nearer);
/// `Ip` gives the inner product and `Cos` the cosine similarity (larger is nearer).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    L2,
    Ip,
    Cos,
}

impl Metric {
    /// Parses `"l2" | "ip" | "cos"`.
    pub fn parse(name: &str) -> KernelResult<Metric> {
        match name {
            "l2" => Ok(Metric::L2),
            "ip" => Ok(Metric::Ip),
            "cos" => Ok(Metric::Cos),
            other => Err(KernelError::invalid(format!("unknown metric {other:?}"))
                .with_expected("l2 | ip | cos")
                .with_actual(other)),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Metric::L2 => "l2",
            Metric::Ip => "ip",
            Metric::Cos => "cos",
        }
    }

    /// True when a smaller value means nearer.
    pub fn smaller_is_nearer(self) -> bool {
        matches!(self, Metric::L2)
    }
}
