//! A small formula language for catalogue entries, so a new indicator or a measure's rule needs
//! no Rust code.
//!
//! ```text
//! expr    := or
//! or      := and ("or" and)*
//! and     := cmp ("and" cmp)*
//! cmp     := sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)?
//! sum     := product (("+" | "-") product)*
//! product := unary (("*" | "/") unary)*
//! unary   := "-" unary | atom
//! atom    := number | identifier | "true" | "false" | "(" expr ")"
//! ```
//! Identifiers name figures of a member (`population`, `area_agriculture`, …). Comparisons give
//! 1 or 0. A missing figure makes the whole result missing ("no data"), never zero.

use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Num(f64),
    Var(String),
    Neg(Box<Expr>),
    Bin(Op, Box<Expr>, Box<Expr>),
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    And,
    Or,
}

/// A formula that does not parse: at which character (0-based) and why.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("at character {}: {message}", .position + 1)]
pub struct ParseError {
    pub position: usize,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Ident(String),
    Sym(&'static str),
}

fn lex(src: &str) -> Result<Vec<(usize, Tok)>, ParseError> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let s: String = chars[start..i].iter().collect();
            let v = s.parse().map_err(|_| ParseError {
                position: start,
                message: format!("`{s}` is not a number"),
            })?;
            out.push((start, Tok::Num(v)));
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push((start, Tok::Ident(chars[start..i].iter().collect())));
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let sym = match two.as_str() {
                "<=" => Some("<="),
                ">=" => Some(">="),
                "==" => Some("=="),
                "!=" => Some("!="),
                _ => None,
            };
            if let Some(s) = sym {
                out.push((i, Tok::Sym(s)));
                i += 2;
                continue;
            }
            let s = match c {
                '+' => "+",
                '-' => "-",
                '*' => "*",
                '/' => "/",
                '(' => "(",
                ')' => ")",
                '<' => "<",
                '>' => ">",
                _ => {
                    return Err(ParseError {
                        position: i,
                        message: format!("unexpected character `{c}`"),
                    })
                }
            };
            out.push((i, Tok::Sym(s)));
            i += 1;
        }
    }
    Ok(out)
}

/// A formula longer than this many characters is refused: catalogue formulas are one line, and a
/// bound on the length bounds the depth of the expression tree (evaluated recursively).
pub const MAX_FORMULA_CHARS: usize = 2_000;
/// Brackets and signs nest at most this deep (a formula with 10,000 nested brackets is an error,
/// not a stack overflow).
pub const MAX_DEPTH: usize = 64;

struct Parser {
    toks: Vec<(usize, Tok)>,
    pos: usize,
    len: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|t| &t.1)
    }

    fn at(&self) -> usize {
        self.toks.get(self.pos).map_or(self.len, |t| t.0)
    }

    fn eat_sym(&mut self, s: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Sym(x)) if *x == s) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn eat_word(&mut self, w: &str) -> bool {
        if matches!(self.peek(), Some(Tok::Ident(x)) if x == w) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn or(&mut self) -> Result<Expr, ParseError> {
        let mut e = self.and()?;
        while self.eat_word("or") {
            e = Expr::Bin(Op::Or, Box::new(e), Box::new(self.and()?));
        }
        Ok(e)
    }

    fn and(&mut self) -> Result<Expr, ParseError> {
        let mut e = self.cmp()?;
        while self.eat_word("and") {
            e = Expr::Bin(Op::And, Box::new(e), Box::new(self.cmp()?));
        }
        Ok(e)
    }

    fn cmp(&mut self) -> Result<Expr, ParseError> {
        let e = self.sum()?;
        for (s, op) in [
            ("<=", Op::Le),
            (">=", Op::Ge),
            ("==", Op::Eq),
            ("!=", Op::Ne),
            ("<", Op::Lt),
            (">", Op::Gt),
        ] {
            if self.eat_sym(s) {
                return Ok(Expr::Bin(op, Box::new(e), Box::new(self.sum()?)));
            }
        }
        Ok(e)
    }

    fn sum(&mut self) -> Result<Expr, ParseError> {
        let mut e = self.product()?;
        loop {
            if self.eat_sym("+") {
                e = Expr::Bin(Op::Add, Box::new(e), Box::new(self.product()?));
            } else if self.eat_sym("-") {
                e = Expr::Bin(Op::Sub, Box::new(e), Box::new(self.product()?));
            } else {
                return Ok(e);
            }
        }
    }

    fn product(&mut self) -> Result<Expr, ParseError> {
        let mut e = self.unary()?;
        loop {
            if self.eat_sym("*") {
                e = Expr::Bin(Op::Mul, Box::new(e), Box::new(self.unary()?));
            } else if self.eat_sym("/") {
                e = Expr::Bin(Op::Div, Box::new(e), Box::new(self.unary()?));
            } else {
                return Ok(e);
            }
        }
    }

    /// Enters one level of nesting (a bracket or a sign), refusing more than [`MAX_DEPTH`].
    fn deeper(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ParseError {
                position: self.at(),
                message: format!("brackets and signs are nested more than {MAX_DEPTH} deep"),
            });
        }
        Ok(())
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        if self.eat_sym("-") {
            self.deeper()?;
            let e = Expr::Neg(Box::new(self.unary()?));
            self.depth -= 1;
            return Ok(e);
        }
        let at = self.at();
        match self.toks.get(self.pos).map(|t| t.1.clone()) {
            Some(Tok::Num(v)) => {
                self.pos += 1;
                Ok(Expr::Num(v))
            }
            Some(Tok::Ident(w)) if w == "true" || w == "false" => {
                self.pos += 1;
                Ok(Expr::Num(if w == "true" { 1.0 } else { 0.0 }))
            }
            Some(Tok::Ident(w)) if w == "and" || w == "or" => Err(ParseError {
                position: at,
                message: format!("`{w}` needs a value before it"),
            }),
            Some(Tok::Ident(w)) => {
                self.pos += 1;
                Ok(Expr::Var(w))
            }
            Some(Tok::Sym("(")) => {
                self.pos += 1;
                self.deeper()?;
                let e = self.or()?;
                self.depth -= 1;
                if !self.eat_sym(")") {
                    return Err(ParseError {
                        position: self.at(),
                        message: "missing `)`".into(),
                    });
                }
                Ok(e)
            }
            Some(Tok::Sym(s)) => Err(ParseError {
                position: at,
                message: format!("unexpected `{s}`"),
            }),
            None => Err(ParseError {
                position: at,
                message: "the formula ends too early".into(),
            }),
        }
    }
}

impl Expr {
    pub fn parse(src: &str) -> Result<Expr, ParseError> {
        let len = src.chars().count();
        if len > MAX_FORMULA_CHARS {
            return Err(ParseError {
                position: MAX_FORMULA_CHARS,
                message: format!("the formula has {len} characters; at most {MAX_FORMULA_CHARS} are allowed"),
            });
        }
        let toks = lex(src)?;
        let mut p = Parser {
            toks,
            pos: 0,
            len,
            depth: 0,
        };
        let e = p.or()?;
        if p.pos < p.toks.len() {
            return Err(ParseError {
                position: p.at(),
                message: "unexpected text after the end of the formula".into(),
            });
        }
        Ok(e)
    }

    /// Every identifier the formula uses.
    pub fn variables(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        self.collect(&mut out);
        out
    }

    fn collect(&self, out: &mut BTreeSet<String>) {
        match self {
            Expr::Num(_) => {}
            Expr::Var(v) => {
                out.insert(v.clone());
            }
            Expr::Neg(e) => e.collect(out),
            Expr::Bin(_, a, b) => {
                a.collect(out);
                b.collect(out);
            }
        }
    }

    /// Evaluates with `lookup`; `None` if any used figure is missing or a division by zero occurs.
    pub fn eval(&self, lookup: &dyn Fn(&str) -> Option<f64>) -> Option<f64> {
        Some(match self {
            Expr::Num(v) => *v,
            Expr::Var(name) => lookup(name)?,
            Expr::Neg(e) => -e.eval(lookup)?,
            Expr::Bin(op, a, b) => {
                let (x, y) = (a.eval(lookup)?, b.eval(lookup)?);
                let t = |c: bool| if c { 1.0 } else { 0.0 };
                match op {
                    Op::Add => x + y,
                    Op::Sub => x - y,
                    Op::Mul => x * y,
                    Op::Div if y == 0.0 => return None,
                    Op::Div => x / y,
                    Op::Lt => t(x < y),
                    Op::Le => t(x <= y),
                    Op::Gt => t(x > y),
                    Op::Ge => t(x >= y),
                    Op::Eq => t(x == y),
                    Op::Ne => t(x != y),
                    Op::And => t(x != 0.0 && y != 0.0),
                    Op::Or => t(x != 0.0 || y != 0.0),
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_and_length_are_limited() {
        let deep = format!("{}1{}", "(".repeat(10_000), ")".repeat(10_000));
        let e = Expr::parse(&deep).unwrap_err();
        assert!(e.message.contains("characters"), "{e}");
        let deep = format!("{}1{}", "(".repeat(900), ")".repeat(900));
        let e = Expr::parse(&deep).unwrap_err();
        assert!(e.message.contains("nested more than 64"), "{e}");
        let e = Expr::parse(&"-".repeat(1_000)).unwrap_err();
        assert!(e.message.contains("nested"), "{e}");
        let ok = format!("{}1{}", "(".repeat(60), ")".repeat(60));
        assert_eq!(Expr::parse(&ok).unwrap(), Expr::Num(1.0));
        // The longest chain a formula can hold still evaluates.
        let chain = vec!["1"; 999].join("+");
        assert!(Expr::parse(&chain).is_ok());
    }

    fn ev(src: &str) -> Option<f64> {
        Expr::parse(src).unwrap().eval(&|v| match v {
            "a" => Some(10.0),
            "b" => Some(4.0),
            _ => None,
        })
    }

    #[test]
    fn arithmetic_precedence_and_conditions() {
        assert_eq!(ev("a + b * 2"), Some(18.0));
        assert_eq!(ev("(a + b) / 2"), Some(7.0));
        assert_eq!(ev("-a + 1"), Some(-9.0));
        assert_eq!(ev("a >= 10 and b < 4"), Some(0.0));
        assert_eq!(ev("a >= 10 or b < 4"), Some(1.0));
        assert_eq!(ev("true"), Some(1.0));
    }

    #[test]
    fn missing_figures_and_zero_division_are_no_data() {
        assert_eq!(ev("a / missing"), None);
        assert_eq!(ev("a / (b - 4)"), None);
    }

    #[test]
    fn errors_name_the_position() {
        let e = Expr::parse("a + * b").unwrap_err();
        assert_eq!(e.position, 4);
        assert!(Expr::parse("(a + b").unwrap_err().message.contains(")"));
        assert!(Expr::parse("a $ b").unwrap_err().message.contains("`$`"));
        assert_eq!(Expr::parse("x / population").unwrap().variables().len(), 2);
    }
}
