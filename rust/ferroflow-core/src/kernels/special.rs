//! Inverse trigonometric, hyperbolic and special functions (erf, lgamma, digamma...), evaluated in f64.
//!
//! float32 inputs are widened, computed and rounded once, which is as accurate as a dedicated float32
//! routine and keeps one implementation per function.

use crate::op::UnaryOp;
use std::f64::consts::PI;

/// The scalar function behind `op`, or `None` when `op` is not one of the functions here.
pub(crate) fn function(op: UnaryOp) -> Option<fn(f64) -> f64> {
    use UnaryOp::*;
    Some(match op {
        Asin => f64::asin,
        Acos => f64::acos,
        Atan => f64::atan,
        Sinh => f64::sinh,
        Cosh => f64::cosh,
        Asinh => f64::asinh,
        Acosh => f64::acosh,
        Atanh => f64::atanh,
        Erf => libm::erf,
        Erfc => libm::erfc,
        Erfinv => erfinv,
        Lgamma => lgamma,
        Digamma => digamma,
        Trigamma => trigamma,
        _ => return None,
    })
}

/// log |Gamma(x)|; +inf at the poles (zero and the negative integers), as TensorFlow gives.
fn lgamma(x: f64) -> f64 {
    if x <= 0.0 && x == x.floor() {
        return f64::INFINITY;
    }
    libm::lgamma_r(x).0
}

/// The inverse of `erf` on (-1, 1): Giles' single-precision approximation refined by two Newton steps.
fn erfinv(y: f64) -> f64 {
    if y.is_nan() || y.abs() > 1.0 {
        return f64::NAN;
    }
    if y.abs() == 1.0 {
        return y * f64::INFINITY;
    }
    let w = -((1.0 - y) * (1.0 + y)).ln();
    let mut x = if w < 5.0 {
        let w = w - 2.5;
        let mut p = 2.810_226_36e-08;
        for c in [
            3.432_739_39e-07,
            -3.523_387_7e-06,
            -4.391_506_54e-06,
            0.000_218_580_87,
            -0.001_253_725_03,
            -0.004_177_681_64,
            0.246_640_727,
            1.501_409_41,
        ] {
            p = c + p * w;
        }
        p * y
    } else {
        let w = w.sqrt() - 3.0;
        let mut p = -0.000_200_214_257;
        for c in [
            0.000_100_950_558,
            0.001_349_343_22,
            -0.003_673_428_44,
            0.005_739_507_73,
            -0.007_622_461_3,
            0.009_438_870_47,
            1.001_674_06,
            2.832_976_82,
        ] {
            p = c + p * w;
        }
        p * y
    };
    // Newton on erf(x) - y, whose derivative is 2/sqrt(pi) exp(-x^2).
    let scale = 2.0 / PI.sqrt();
    for _ in 0..2 {
        let err = libm::erf(x) - y;
        x -= err / (scale * (-x * x).exp());
    }
    x
}

/// The digamma function psi(x) = d/dx log Gamma(x): reflection for x < 0, the recurrence
/// psi(x) = psi(x + 1) - 1/x up to x >= 10, then the asymptotic series (its next term is below 1e-16 there).
fn digamma(x: f64) -> f64 {
    if x.is_nan() || x == f64::NEG_INFINITY {
        return f64::NAN;
    }
    if x <= 0.0 && x == x.floor() {
        // A pole: TensorFlow (like SciPy) gives NaN at the negative integers and -inf at zero.
        return if x == 0.0 { f64::NEG_INFINITY } else { f64::NAN };
    }
    if x < 0.0 {
        return digamma(1.0 - x) - PI / (PI * x).tan();
    }
    let (mut x, mut acc) = (x, 0.0);
    while x < 10.0 {
        acc -= 1.0 / x;
        x += 1.0;
    }
    let inv2 = 1.0 / (x * x);
    let series = inv2
        * (1.0 / 12.0
            - inv2
                * (1.0 / 120.0
                    - inv2
                        * (1.0 / 252.0
                            - inv2 * (1.0 / 240.0 - inv2 * (1.0 / 132.0 - inv2 * 691.0 / 32760.0)))));
    acc + x.ln() - 0.5 / x - series
}

/// The trigamma function psi'(x), the gradient of digamma: reflection, recurrence and asymptotic series
/// as for `digamma`.
fn trigamma(x: f64) -> f64 {
    if x.is_nan() || x == f64::NEG_INFINITY {
        return f64::NAN;
    }
    if x <= 0.0 && x == x.floor() {
        return f64::INFINITY;
    }
    if x < 0.0 {
        let s = (PI * x).sin();
        return PI * PI / (s * s) - trigamma(1.0 - x);
    }
    let (mut x, mut acc) = (x, 0.0);
    while x < 10.0 {
        acc += 1.0 / (x * x);
        x += 1.0;
    }
    let inv = 1.0 / x;
    let inv2 = inv * inv;
    let series = inv2
        * inv
        * (1.0 / 6.0
            - inv2
                * (1.0 / 30.0
                    - inv2
                        * (1.0 / 42.0 - inv2 * (1.0 / 30.0 - inv2 * (5.0 / 66.0 - inv2 * 691.0 / 2730.0)))));
    acc + inv + 0.5 * inv2 + series
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) {
        assert!((a - b).abs() <= tol * b.abs().max(1.0), "{a} vs {b}");
    }

    #[test]
    fn digamma_and_trigamma_match_known_values() {
        let euler = 0.577_215_664_901_532_9;
        close(digamma(1.0), -euler, 1e-14);
        close(digamma(0.5), -euler - 2.0 * 2f64.ln(), 1e-14);
        close(digamma(-0.5), 2.0 - euler - 2.0 * 2f64.ln(), 1e-13);
        close(trigamma(1.0), PI * PI / 6.0, 1e-14);
        close(trigamma(0.5), PI * PI / 2.0, 1e-14);
        close(trigamma(3.0), PI * PI / 6.0 - 1.25, 1e-14);
        close(trigamma(12.5), trigamma(13.5) + 1.0 / (12.5 * 12.5), 1e-15);
        assert!(digamma(-2.0).is_nan() && digamma(0.0) == f64::NEG_INFINITY);
    }

    #[test]
    fn erfinv_inverts_erf_and_handles_the_ends() {
        for y in [-0.999_999, -0.9, -0.3, 0.0, 1e-10, 0.5, 0.99, 0.999_999_9] {
            close(libm::erf(erfinv(y)), y, 1e-15);
        }
        assert_eq!(erfinv(1.0), f64::INFINITY);
        assert_eq!(erfinv(-1.0), f64::NEG_INFINITY);
        assert!(erfinv(1.5).is_nan());
    }

    #[test]
    fn lgamma_is_infinite_at_the_poles() {
        close(lgamma(5.0), 24f64.ln(), 1e-15);
        close(lgamma(-0.5), (2.0 * PI.sqrt()).ln(), 1e-14);
        assert_eq!(lgamma(0.0), f64::INFINITY);
        assert_eq!(lgamma(-3.0), f64::INFINITY);
    }
}
