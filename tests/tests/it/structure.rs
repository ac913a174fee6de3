//! The shape of the code, checked: `server/src` has no import cycle
//! between its files, the web app's own TypeScript has no `any`, and the
//! web app's API types are generated (not written by hand).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, ext, out);
        } else if p.extension().is_some_and(|x| x == ext) {
            out.push(p);
        }
    }
}

/// A file's module path below `src` (`hub/connection/mod.rs` → hub::connection).
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts
}

/// Every `crate::a::b` and `super::c` path a file names (tests excluded),
/// resolved to the module file it is in.
fn dependencies(
    text: &str,
    module: &[String],
    is_mod: bool,
    known: &BTreeSet<Vec<String>>,
) -> BTreeSet<Vec<String>> {
    let text = text.split("#[cfg(test)]").next().unwrap_or(text);
    let resolve = |path: Vec<String>| -> Option<Vec<String>> {
        (1..=path.len())
            .rev()
            .map(|n| path[..n].to_vec())
            .find(|p| known.contains(p))
    };
    let mut deps = BTreeSet::new();
    for (prefix, base) in [
        ("crate::", Vec::new()),
        ("super::", {
            let mut b = module.to_vec();
            if !is_mod || !b.is_empty() {
                b.pop();
            }
            b
        }),
    ] {
        for (i, _) in text.match_indices(prefix) {
            let before = text[..i].chars().last();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let rest: String = text[i + prefix.len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let mut path = base.clone();
            path.extend(
                rest.split("::")
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned),
            );
            if let Some(r) = resolve(path)
                && r != module
            {
                deps.insert(r);
            }
        }
    }
    deps
}

#[test]
fn server_src_has_no_import_cycle() {
    let src = root().join("server/src");
    let mut all = Vec::new();
    files(&src, "rs", &mut all);
    all.retain(|p| !p.starts_with(src.join("bin")));
    let known: BTreeSet<Vec<String>> = all.iter().map(|f| module_of(&src, f)).collect();
    let mut graph: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for f in &all {
        let m = module_of(&src, f);
        let is_mod = f
            .file_name()
            .is_some_and(|n| n == "mod.rs" || n == "lib.rs");
        let text = std::fs::read_to_string(f).unwrap();
        graph.insert(m.clone(), dependencies(&text, &m, is_mod, &known));
    }
    assert!(graph.len() > 30, "the server's files were not found");
    // Depth-first search for a back edge.
    fn visit(
        n: &Vec<String>,
        g: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        state: &mut BTreeMap<Vec<String>, u8>,
        stack: &mut Vec<Vec<String>>,
    ) -> Option<Vec<Vec<String>>> {
        state.insert(n.clone(), 1);
        stack.push(n.clone());
        for d in g.get(n).into_iter().flatten() {
            match state.get(d) {
                Some(1) => {
                    let at = stack.iter().position(|x| x == d).unwrap();
                    let mut cycle = stack[at..].to_vec();
                    cycle.push(d.clone());
                    return Some(cycle);
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(d, g, state, stack) {
                        return Some(c);
                    }
                }
            }
        }
        stack.pop();
        state.insert(n.clone(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in graph.keys() {
        if !state.contains_key(n)
            && let Some(cycle) = visit(n, &graph, &mut state, &mut Vec::new())
        {
            let names: Vec<String> = cycle.iter().map(|m| m.join("::")).collect();
            panic!("import cycle in server/src: {}", names.join(" -> "));
        }
    }
}

/// The text with `/* … */` comments blanked (lines kept, for numbering).
fn without_block_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find("*/")
            .map_or(rest.len(), |e| start + e + 2);
        out.extend(rest[start..end].chars().filter(|c| *c == '\n'));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn the_web_app_has_no_any_and_generated_api_types() {
    let src = root().join("web/src");
    let mut all = Vec::new();
    files(&src, "ts", &mut all);
    assert!(all.len() > 5, "web/src not found");
    let mut found = Vec::new();
    for f in all.iter().filter(|f| !f.ends_with("api.gen.ts")) {
        let text = std::fs::read_to_string(f).unwrap();
        for (i, line) in without_block_comments(&text).lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            let words = code.split(|c: char| !(c.is_alphanumeric() || c == '_'));
            if words.into_iter().any(|w| w == "any") {
                found.push(format!("{}:{}: {}", f.display(), i + 1, line.trim()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "`any` in the web app:\n{}",
        found.join("\n")
    );
    let api = std::fs::read_to_string(src.join("api.ts")).unwrap();
    assert!(
        api.contains("from './api.gen'"),
        "api.ts takes its types from the generated file"
    );
    assert!(
        !api.contains("export interface"),
        "no API type written by hand in api.ts"
    );
    let gen_file = std::fs::read_to_string(src.join("api.gen.ts"))
        .expect("web/src/api.gen.ts is generated by scripts/build-web.sh");
    assert!(gen_file.contains("auto-generated by openapi-typescript"));
    assert!(
        gen_file.contains("ErrorCode"),
        "from the server's current OpenAPI"
    );
}

/// The interface's words come from several files merged into one table
/// (`web/src/i18n*.ts`): a word declared twice would silently replace the
/// other's meaning (regression: the comments' "deleted" once replaced the
/// differences' "deleted by").
#[test]
fn each_interface_word_is_declared_once() {
    let web = root().join("web/src");
    let mut seen: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let mut files: Vec<_> = std::fs::read_dir(&web)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy();
            n.starts_with("i18n") && n.ends_with(".ts")
        })
        .collect();
    files.sort();
    assert!(files.len() >= 3, "{files:?}");
    for f in files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        for line in std::fs::read_to_string(&f).unwrap().lines() {
            // `  key: [` or `  'key.sub': [` — one word in three languages.
            let Some(rest) = line.strip_prefix("  ") else {
                continue;
            };
            let Some((key, _)) = rest.split_once(": [") else {
                continue;
            };
            let key = key.trim_matches('\'');
            if key.contains(' ') || key.is_empty() {
                continue;
            }
            if let Some(first) = seen.insert(key.to_owned(), name.clone()) {
                panic!("the word {key:?} is declared in {first} and again in {name}");
            }
        }
    }
}

/// Every operation of the OpenAPI description has its own id (the web
/// app's generated types are keyed by them; regression: two handlers
/// named `list` made the generated file invalid).
#[test]
fn openapi_operation_ids_are_unique() {
    let doc: serde_json::Value =
        serde_json::from_str(&codraft_server::http::openapi::json()).unwrap();
    let mut seen = std::collections::HashSet::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for (method, op) in ops.as_object().unwrap() {
            if let Some(id) = op["operationId"].as_str() {
                assert!(
                    seen.insert(id.to_owned()),
                    "operationId {id} again at {method} {path}"
                );
            }
        }
    }
    assert!(seen.len() > 40, "{}", seen.len());
}

/// Every error code the API can answer is worded by the web app in its
/// three languages (`web/src/errors*.ts`), so no refusal reaches the
/// screen in the server's English.
#[test]
fn every_api_error_code_is_worded_by_the_web_app() {
    let doc: serde_json::Value =
        serde_json::from_str(&codraft_server::http::openapi::json()).unwrap();
    let codes: Vec<String> = doc["components"]["schemas"]["ErrorCode"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    assert!(codes.len() > 40, "{codes:?}");
    let web = root().join("web/src");
    let mut words = String::new();
    for f in std::fs::read_dir(&web).unwrap().filter_map(|e| e.ok()) {
        let n = f.file_name().to_string_lossy().into_owned();
        if n.starts_with("errors") && n.ends_with(".ts") {
            words.push_str(&std::fs::read_to_string(f.path()).unwrap());
        }
    }
    let missing: Vec<&String> = codes
        .iter()
        .filter(|c| !words.contains(&format!("  {c}: (")))
        .collect();
    assert!(
        missing.is_empty(),
        "not worded in web/src/errors*.ts: {missing:?}"
    );
}
