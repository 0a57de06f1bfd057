//! Static shapes known while a graph is built (dimensions or even the rank may be unknown) and NumPy broadcasting.

use crate::error::{Error, Result};
use std::fmt;

/// One dimension of a static shape: `None` when only known at run time (the batch dimension).
pub type Dim = Option<usize>;

/// A shape as far as it is known while building a graph. `dims == None` means the rank is unknown.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Shape {
    pub dims: Option<Vec<Dim>>,
}

impl Shape {
    pub fn unknown() -> Shape {
        Shape { dims: None }
    }
    pub fn known(dims: &[usize]) -> Shape {
        Shape { dims: Some(dims.iter().map(|&d| Some(d)).collect()) }
    }
    pub fn from_dims(dims: Vec<Dim>) -> Shape {
        Shape { dims: Some(dims) }
    }
    pub fn scalar() -> Shape {
        Shape { dims: Some(vec![]) }
    }
    pub fn unknown_of_rank(rank: usize) -> Shape {
        Shape { dims: Some(vec![None; rank]) }
    }
    pub fn rank(&self) -> Option<usize> {
        self.dims.as_ref().map(|d| d.len())
    }
    /// The concrete dimensions, when every one is known.
    pub fn to_concrete(&self) -> Option<Vec<usize>> {
        self.dims.as_ref()?.iter().copied().collect()
    }
    /// The number of elements, when every dimension is known.
    pub fn num_elements(&self) -> Option<usize> {
        self.to_concrete().map(|d| d.iter().product())
    }
    /// The most specific shape compatible with both (`TensorShape.merge_with`); an error naming both when a
    /// rank or a known dimension differs.
    pub fn merge(&self, other: &Shape) -> Result<Shape> {
        let (a, b) = match (&self.dims, &other.dims) {
            (None, _) => return Ok(other.clone()),
            (_, None) => return Ok(self.clone()),
            (Some(a), Some(b)) => (a, b),
        };
        let clash = || Error::invalid(format!("Shapes {self} and {other} are incompatible"));
        if a.len() != b.len() {
            return Err(clash());
        }
        let dims = a.iter().zip(b).map(|(x, y)| match (x, y) {
            (Some(p), Some(q)) if p != q => Err(clash()),
            _ => Ok(x.or(*y)),
        });
        Ok(Shape::from_dims(dims.collect::<Result<Vec<Dim>>>()?))
    }
    /// Whether a concrete shape fits this partial one (used to check fed values).
    pub fn accepts(&self, concrete: &[usize]) -> bool {
        match &self.dims {
            None => true,
            Some(d) => {
                d.len() == concrete.len() && d.iter().zip(concrete).all(|(s, c)| s.is_none_or(|s| s == *c))
            }
        }
    }
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.dims {
            None => f.write_str("<unknown>"),
            Some(d) => {
                let parts: Vec<String> =
                    d.iter().map(|x| x.map_or("None".to_string(), |v| v.to_string())).collect();
                if parts.len() == 1 {
                    write!(f, "({},)", parts[0])
                } else {
                    write!(f, "({})", parts.join(", "))
                }
            }
        }
    }
}

/// Formats a concrete shape the way NumPy and Python print tuples: `(32, 784)`, `(3,)`, `()`.
pub fn fmt_dims(dims: &[usize]) -> String {
    Shape::known(dims).to_string()
}

/// The NumPy broadcast of two concrete shapes, or an error naming both.
pub fn broadcast_dims(a: &[usize], b: &[usize]) -> Result<Vec<usize>> {
    let rank = a.len().max(b.len());
    let mut out = vec![0; rank];
    for i in 0..rank {
        let da = if i + a.len() >= rank { a[i + a.len() - rank] } else { 1 };
        let db = if i + b.len() >= rank { b[i + b.len() - rank] } else { 1 };
        out[i] = match (da, db) {
            (x, y) if x == y => x,
            (1, y) => y,
            (x, 1) => x,
            _ => {
                return Err(Error::invalid(format!(
                    "shapes {} and {} cannot be broadcast together",
                    fmt_dims(a),
                    fmt_dims(b)
                )))
            }
        };
    }
    Ok(out)
}

/// Broadcasting of partial shapes: an unknown dimension against 1 stays unknown, against n > 1 becomes n.
pub fn broadcast_shapes(a: &Shape, b: &Shape) -> Result<Shape> {
    let (Some(a), Some(b)) = (&a.dims, &b.dims) else { return Ok(Shape::unknown()) };
    let rank = a.len().max(b.len());
    let pick = |s: &Vec<Dim>, i: usize| if i + s.len() >= rank { s[i + s.len() - rank] } else { Some(1) };
    let mut out = Vec::with_capacity(rank);
    for i in 0..rank {
        out.push(match (pick(a, i), pick(b, i)) {
            (Some(x), Some(y)) if x == y => Some(x),
            (Some(1), y) | (y, Some(1)) => y,
            (None, Some(y)) | (Some(y), None) => Some(y),
            (None, None) => None,
            (Some(_), Some(_)) => {
                return Err(Error::invalid(format!(
                    "shapes {} and {} cannot be broadcast together",
                    Shape::from_dims(a.clone()),
                    Shape::from_dims(b.clone())
                )))
            }
        });
    }
    Ok(Shape::from_dims(out))
}

/// Resolves a possibly negative axis against a rank, with an error naming the valid range.
pub fn normalize_axis(axis: i64, rank: usize) -> Result<usize> {
    let r = rank as i64;
    if axis < -r || axis >= r {
        return Err(Error::invalid(format!(
            "axis {axis} is out of range for a tensor of rank {rank}; expected an axis in [{}, {r})",
            -r
        )));
    }
    Ok(if axis < 0 { (axis + r) as usize } else { axis as usize })
}

/// Resolves a list of reduction axes (`None` = all), sorted and without repeats.
pub fn normalize_axes(axes: Option<&[i64]>, rank: usize) -> Result<Vec<usize>> {
    match axes {
        None => Ok((0..rank).collect()),
        Some(list) => {
            let mut out = Vec::with_capacity(list.len());
            for &a in list {
                let n = normalize_axis(a, rank)?;
                if !out.contains(&n) {
                    out.push(n);
                }
            }
            out.sort_unstable();
            Ok(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broadcasts_like_numpy() {
        assert_eq!(broadcast_dims(&[3, 1], &[4]).unwrap(), vec![3, 4]);
        assert_eq!(broadcast_dims(&[], &[2, 2]).unwrap(), vec![2, 2]);
        assert!(broadcast_dims(&[3], &[4]).is_err());
    }

    #[test]
    fn partial_broadcast_keeps_unknown_batch() {
        let a = Shape::from_dims(vec![None, Some(10)]);
        let b = Shape::known(&[10]);
        assert_eq!(broadcast_shapes(&a, &b).unwrap(), a);
    }

    #[test]
    fn axes_normalize() {
        assert_eq!(normalize_axis(-1, 3).unwrap(), 2);
        assert!(normalize_axis(3, 3).is_err());
        assert_eq!(normalize_axes(Some(&[-1, 0, 2]), 3).unwrap(), vec![0, 2]);
    }
}
