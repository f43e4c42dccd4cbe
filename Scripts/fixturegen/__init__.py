"""fixturegen: the synthetic client data in Fixtures/, made from the model in CLIENT-MODEL.md.

Python standard library only, and independent of the Swift code on purpose: the fixtures are an
outside view of the client's files, so they keep checking the parsers rather than echoing them.

    values     identities, products, accounts, time formats every fixture shares
    scenario   what a scenario is (`Scenario`, `Line`, `Checkout`) and the facts derived from one
    scenarios  FIXTURES: one declarative description per client root (also what expected.json says)
    formats/   one writer per client file format: policy (JSON, JWT, .belic), store (SQLite, CSV,
               journal), logs, registry (.reg), events (XML), system (tasklist, CC API), install
    root       writes one client root from its scenario
    index      expected.json, secrets.json and the README's client section
    check      --check: generate into a temporary folder and compare with the committed files

Entry points: Scripts/make-fixtures (client roots), Scripts/make-store-fixtures (bad stores, built
with the same policy and store writers), Scripts/make-adversarial (hostile input).
"""
