import Diagnosis
import Foundation
import Yams

/// A signature file read and checked: every problem is one `FILE:LINE: reason`, found before
/// any bundle is read.
///
/// ```yaml
/// version: 1
/// signatures:
///   - id: cc-token-cache-locked
///     literal: "Token cache is locked by another process"
///     files: ["CONNECTION Client/*.log"]
///     supports: not-signed-in
///     weight: 0.3
///     examples:
///       match: ["2026-11-20 10:15:22,123 [12] WARN  Bentley.Connect.Client.Auth - Token cache is locked by another process"]
///       noMatch: ["2026-11-20 10:15:22,123 [12] INFO  Bentley.Connect.Client.Auth - Token cache saved"]
/// ```
public struct SignatureFile: Sendable {
    /// The file as the user named it (`built-in` for the built-in one).
    public let name: String
    /// Its signatures, in file order.
    public let signatures: [Signature]
    /// The bytes it was read from: the rules version hashes them.
    public let text: String

    /// Fields a signature may have.
    static let fields: Set<String> = [
        "id", "literal", "regex", "ignoreCase", "files", "supports", "weight", "title", "fix", "kb", "examples",
        "description",
    ]

    /// Reads and checks the file at `path`.
    public static func load(path: String) throws -> SignatureFile {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw SignatureFileError(file: path, line: nil, reason: "cannot read the file: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SignatureFileError(file: path, line: nil, reason: "not UTF-8 text")
        }
        return try SignatureFile(text: text, name: path)
    }

    /// Reads and checks a file's text; `name` is what messages call it.
    public init(text: String, name: String) throws {
        self.name = name
        self.text = text
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Self.error(name, error)
        }
        guard let root else { throw SignatureFileError(file: name, line: 1, reason: "the file is empty: it needs `signatures:`") }
        var reader = NodeReader(file: name)
        signatures = try reader.file(root)
    }

    /// A Yams error as `FILE:LINE: reason`.
    static func error(_ file: String, _ error: YamlError) -> SignatureFileError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return SignatureFileError(file: file, line: mark.line, reason: "not valid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return SignatureFileError(file: file, line: context.mark.line,
                                      reason: "a key is given twice: \(duplicates.joined(separator: ", "))")
        default:
            return SignatureFileError(file: file, line: nil, reason: "not valid YAML: \(error)")
        }
    }
}

/// Turns the YAML tree into signatures, checking each field where it stands.
struct NodeReader {
    let file: String
    private var ids: [String: Int] = [:]

    init(file: String) {
        self.file = file
    }

    func fail(_ node: Node?, _ reason: String) -> SignatureFileError {
        SignatureFileError(file: file, line: node?.mark?.line, reason: reason)
    }

    mutating func file(_ root: Node) throws -> [Signature] {
        guard let mapping = root.mapping else { throw fail(root, "the file must be a mapping with `version: 1` and `signatures:`") }
        var list: Node?
        for (key, value) in mapping {
            switch key.string {
            case "version":
                guard value.int == 1 else { throw fail(value, "unknown version \(value.string ?? "?"): this loganalyze reads version 1") }
            case "signatures": list = value
            default: throw fail(key, "unknown key `\(key.string ?? "?")` (expected `version` and `signatures`)")
            }
        }
        guard let list else { throw fail(root, "missing `signatures:` (a list of signatures)") }
        if case .scalar(let scalar) = list, scalar.string.isEmpty || scalar.tag == .implicit && scalar.string == "~" { return [] }
        guard let items = list.sequence else { throw fail(list, "`signatures` must be a list") }
        return try items.map { try signature($0) }
    }

    mutating func signature(_ node: Node) throws -> Signature {
        guard let mapping = node.mapping else { throw fail(node, "a signature must be a mapping (id, literal or regex, supports, examples…)") }
        var values: [String: Node] = [:]
        var keys: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.string, SignatureFile.fields.contains(name) else {
                throw fail(key, "unknown field `\(key.string ?? "?")` (known: \(SignatureFile.fields.sorted().joined(separator: ", ")))")
            }
            values[name] = value
            keys[name] = key
        }
        func required(_ name: String) throws -> Node {
            guard let value = values[name] else { throw fail(node, "missing field `\(name)`") }
            return value
        }
        let idNode = try required("id")
        let id = try string(idNode, "id")
        guard id.range(of: #"^[a-z0-9][a-z0-9.-]*$"#, options: .regularExpression) != nil else {
            throw fail(idNode, "id `\(id)` must be kebab-case (a-z, 0-9, -)")
        }
        if let first = ids[id] { throw fail(idNode, "id `\(id)` is already used on line \(first)") }
        ids[id] = idNode.mark?.line ?? 0
        let ignoreCase = try values["ignoreCase"].map { try bool($0, "ignoreCase") } ?? false
        let pattern = try self.pattern(values, node: node, id: id, ignoreCase: ignoreCase)
        let files = try values["files"].map { try strings($0, "files") } ?? []
        let supportNode = try required("supports")
        let supports = try string(supportNode, "supports")
        let title = try values["title"].map { try string($0, "title") } ?? ""
        let support: Signature.Support
        if supports.hasPrefix("note:") {
            guard supports.count > 5 else { throw fail(supportNode, "`note:` needs a name, e.g. note:proxy-pac-timeout") }
            if let weight = values["weight"] { throw fail(weight, "`weight` is for a signature that supports a cause; a note has none") }
            guard !title.isEmpty else { throw fail(values["title"] ?? node, "missing field `title` (a note needs a title, a fix and a kb link)") }
            let fix = try string(try required("fix"), "fix")
            let kbNode = try required("kb")
            let kb = try string(kbNode, "kb")
            guard kb.hasPrefix("https://") || kb.hasPrefix("http://") else { throw fail(kbNode, "`kb` must be an http(s) link (got `\(kb)`)") }
            support = .note(id: supports, fix: fix, kb: kb)
        } else {
            guard RuleCatalog.rule(code: supports) != nil else {
                throw fail(supportNode, "unknown cause code `\(supports)`: use a code of CAUSES.md (`loganalyze rules`) or note:NAME")
            }
            let weightNode = try required("weight")
            guard let weight = weightNode.float, weightNode.scalar?.style == .plain, weight > 0, weight <= 1 else {
                throw fail(weightNode, "`weight` must be a number above 0 and at most 1 (got `\(weightNode.string ?? "?")`)")
            }
            for name in ["fix", "kb"] where values[name] != nil {
                throw fail(values[name], "`\(name)` is for a note; a cause's fix is the rule's")
            }
            support = .cause(code: supports, weight: weight)
        }
        let (matching, notMatching) = try examples(try required("examples"), key: keys["examples"])
        return Signature(id: id, pattern: pattern, ignoreCase: ignoreCase, files: files, support: support, title: title,
                         matching: matching, notMatching: notMatching, line: node.mark?.line ?? 0)
    }

    func pattern(_ values: [String: Node], node: Node, id: String, ignoreCase: Bool) throws -> Signature.Pattern {
        switch (values["literal"], values["regex"]) {
        case (nil, nil): throw fail(node, "missing field `literal` or `regex` (what the line holds)")
        case (.some, .some(let regex)): throw fail(regex, "give `literal` or `regex`, not both")
        case (.some(let literalNode), nil):
            let literal = try string(literalNode, "literal")
            guard literal.utf8.count >= LiteralScanner.minimumLength else {
                throw fail(literalNode, "`literal` must be at least \(LiteralScanner.minimumLength) bytes long (it would match too much)")
            }
            return .literal(literal)
        case (nil, .some(let regexNode)):
            let regex = try string(regexNode, "regex")
            do {
                _ = try NSRegularExpression(pattern: regex, options: ignoreCase ? [.caseInsensitive] : [])
            } catch {
                throw fail(regexNode, "`regex` does not compile: \(regex)")
            }
            return .regex(regex)
        }
    }

    /// `examples:`; a missing list is reported on the line of `key`, where the reader looks.
    func examples(_ node: Node, key: Node?) throws -> (match: [String], noMatch: [String]) {
        guard let mapping = node.mapping else { throw fail(node, "`examples` must be a mapping with `match` and `noMatch` lists") }
        var match: [String]?
        var noMatch: [String]?
        for (key, value) in mapping {
            switch key.string {
            case "match": match = try strings(value, "examples.match")
            case "noMatch": noMatch = try strings(value, "examples.noMatch")
            default: throw fail(key, "unknown key `\(key.string ?? "?")` in `examples` (expected `match` and `noMatch`)")
            }
        }
        guard let match, !match.isEmpty else { throw fail(key ?? node, "missing `examples.match`: at least one line that must match") }
        guard let noMatch, !noMatch.isEmpty else { throw fail(key ?? node, "missing `examples.noMatch`: at least one line that must not match") }
        return (match, noMatch)
    }

    func string(_ node: Node, _ name: String) throws -> String {
        guard case .scalar(let scalar) = node else { throw fail(node, "`\(name)` must be text, not a list or mapping") }
        guard !scalar.string.isEmpty else { throw fail(node, "`\(name)` is empty") }
        return scalar.string
    }

    func strings(_ node: Node, _ name: String) throws -> [String] {
        if case .scalar = node { return [try string(node, name)] }
        guard let items = node.sequence else { throw fail(node, "`\(name)` must be a list of text") }
        return try items.map { try string($0, name) }
    }

    func bool(_ node: Node, _ name: String) throws -> Bool {
        guard let value = node.bool, node.scalar?.style == .plain else { throw fail(node, "`\(name)` must be true or false") }
        return value
    }
}
