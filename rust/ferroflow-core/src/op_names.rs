//! The names under which the bindings and exported graphs spell the elementwise and reduction ops.

use crate::op::{BinaryOp, CompareOp, ReduceOp, UnaryOp};

/// One table for every reader of op names (`ferroflow._core.Op("exp")`, `graph.json`), so they cannot
/// drift apart.
pub fn unary(name: &str) -> Option<UnaryOp> {
    use UnaryOp::*;
    Some(match name {
        "neg" => Neg,
        "exp" => Exp,
        "log" => Log,
        "sqrt" => Sqrt,
        "rsqrt" => Rsqrt,
        "square" => Square,
        "abs" => Abs,
        "sign" => Sign,
        "tanh" => Tanh,
        "sigmoid" => Sigmoid,
        "relu" => Relu,
        "reciprocal" => Reciprocal,
        "floor" => Floor,
        "ceil" => Ceil,
        "round" => Round,
        "sin" => Sin,
        "cos" => Cos,
        "log1p" => Log1p,
        "expm1" => Expm1,
        "softplus" => Softplus,
        "logical_not" => LogicalNot,
        "asin" => Asin,
        "acos" => Acos,
        "atan" => Atan,
        "sinh" => Sinh,
        "cosh" => Cosh,
        "asinh" => Asinh,
        "acosh" => Acosh,
        "atanh" => Atanh,
        "erf" => Erf,
        "erfc" => Erfc,
        "erfinv" => Erfinv,
        "lgamma" => Lgamma,
        "digamma" => Digamma,
        "trigamma" => Trigamma,
        "invert" => Invert,
        _ => return None,
    })
}

pub fn binary(name: &str) -> Option<BinaryOp> {
    use BinaryOp::*;
    Some(match name {
        "add" => Add,
        "sub" => Sub,
        "mul" => Mul,
        "div" => Div,
        "floordiv" => FloorDiv,
        "mod" => Mod,
        "pow" => Pow,
        "maximum" => Maximum,
        "minimum" => Minimum,
        "logical_and" => LogicalAnd,
        "logical_or" => LogicalOr,
        "atan2" => Atan2,
        "bitwise_and" => BitwiseAnd,
        "bitwise_or" => BitwiseOr,
        "bitwise_xor" => BitwiseXor,
        "left_shift" => LeftShift,
        "right_shift" => RightShift,
        _ => return None,
    })
}

pub fn compare(name: &str) -> Option<CompareOp> {
    use CompareOp::*;
    Some(match name {
        "equal" => Equal,
        "not_equal" => NotEqual,
        "less" => Less,
        "less_equal" => LessEqual,
        "greater" => Greater,
        "greater_equal" => GreaterEqual,
        _ => return None,
    })
}

pub fn reduction(name: &str) -> Option<ReduceOp> {
    Some(match name {
        "reduce_sum" => ReduceOp::Sum,
        "reduce_mean" => ReduceOp::Mean,
        "reduce_max" => ReduceOp::Max,
        "reduce_min" => ReduceOp::Min,
        "reduce_prod" => ReduceOp::Prod,
        _ => return None,
    })
}
