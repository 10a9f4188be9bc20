//! String-to-sign templates such as `path={path}&method={method}`: literal text with `{name}`
//! placeholders (`{{` and `}}` for literal braces). Placeholders are checked when the template is
//! parsed, so a typo is a configuration error rather than a wrong signature.

/// One piece of a parsed template.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    Literal(Vec<u8>),
    Var(usize),
}

/// A parsed template over a fixed list of placeholder names.
#[derive(Clone, Debug)]
pub struct Template {
    pieces: Vec<Piece>,
}

impl Template {
    /// Parses `text`; `names` are the allowed placeholders, rendered from values in that order.
    pub fn parse(text: &str, names: &[&str]) -> std::result::Result<Self, String> {
        let mut pieces = Vec::new();
        let mut lit = Vec::new();
        let mut rest = text;
        while let Some(i) = rest.find(['{', '}']) {
            lit.extend_from_slice(&rest.as_bytes()[..i]);
            let tail = &rest[i..];
            if tail.starts_with("{{") || tail.starts_with("}}") {
                lit.push(tail.as_bytes()[0]);
                rest = &tail[2..];
            } else if tail.starts_with('}') {
                return Err(format!("unmatched `}}` at byte {}", text.len() - tail.len()));
            } else {
                let end = tail.find('}').ok_or_else(|| "unterminated `{`".to_string())?;
                let name = &tail[1..end];
                let idx = names
                    .iter()
                    .position(|n| *n == name)
                    .ok_or_else(|| format!("unknown placeholder `{{{name}}}` (known: {})", names.join(", ")))?;
                if !lit.is_empty() {
                    pieces.push(Piece::Literal(std::mem::take(&mut lit)));
                }
                pieces.push(Piece::Var(idx));
                rest = &tail[end + 1..];
            }
        }
        lit.extend_from_slice(rest.as_bytes());
        if !lit.is_empty() {
            pieces.push(Piece::Literal(lit));
        }
        Ok(Template { pieces })
    }

    /// Renders with `values[i]` for placeholder `names[i]`.
    pub fn render(&self, values: &[&[u8]]) -> Vec<u8> {
        let mut out = Vec::with_capacity(128);
        for p in &self.pieces {
            match p {
                Piece::Literal(l) => out.extend_from_slice(l),
                Piece::Var(i) => out.extend_from_slice(values[*i]),
            }
        }
        out
    }

    /// Whether the template uses placeholder `names[i]`.
    pub fn uses(&self, i: usize) -> bool {
        self.pieces.contains(&Piece::Var(i))
    }
}

#[cfg(test)]
mod tests {
    use super::Template;
    #[test]
    fn parse_and_render() {
        let t = Template::parse("a={a}&{{b}}={b}", &["a", "b"]).unwrap();
        assert_eq!(t.render(&[b"1", b"2"]), b"a=1&{b}=2");
        assert!(Template::parse("{c}", &["a"]).is_err());
        assert!(Template::parse("{a", &["a"]).is_err());
        assert!(Template::parse("a}", &["a"]).is_err());
    }
}
