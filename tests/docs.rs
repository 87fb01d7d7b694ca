//! The README's rule table lists exactly the rules of `ediguard::rules::ALL`,
//! with their default severities.

#[test]
fn readme_rule_table_matches_rules() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let start = readme
        .find("<!-- rules:start -->")
        .expect("rules:start marker");
    let end = readme.find("<!-- rules:end -->").expect("rules:end marker");
    let rows: Vec<(String, String)> = readme[start..end]
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let code = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            Some((code.to_owned(), cells.get(2)?.to_string()))
        })
        .collect();
    let expected: Vec<(String, String)> = ediguard::rules::ALL
        .iter()
        .map(|r| (r.code.to_owned(), r.severity.to_string()))
        .collect();
    assert_eq!(
        rows, expected,
        "README rule table is out of date: run `bash scripts/update-readme-rules.sh`"
    );
}
