//! `@name` in a comment: the words after an `@` that begins a word.

/// Every `@word` of `body` (without the `@`), in order, each once. An `@`
/// inside a word (an e-mail address) is not a mention.
pub fn tokens(body: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut prev: Option<char> = None;
    for (i, c) in body.char_indices() {
        let starts = c == '@' && prev.is_none_or(|p| p.is_whitespace() || "([{«\"'".contains(p));
        prev = Some(c);
        if !starts {
            continue;
        }
        let rest = &body[i + 1..];
        let word: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'))
            .collect();
        let word = word.trim_end_matches(['.', '-', '_']).to_owned();
        if !word.is_empty() && !out.iter().any(|w| w.eq_ignore_ascii_case(&word)) {
            out.push(word);
        }
    }
    out
}

/// Whether `token` names the person `name` with e-mail `email`: their
/// whole name, its first word, or the e-mail's local part, in any case.
pub fn names(token: &str, name: &str, email: &str) -> bool {
    let t = token.to_lowercase();
    let name = name.to_lowercase();
    let local = email.split('@').next().unwrap_or("").to_lowercase();
    t == name.replace(' ', "") || name.split_whitespace().next() == Some(t.as_str()) || t == local
}
