import Foundation

/// A JSON Schema (draft 2020-12) validator for the keywords `docs/report.schema.json` uses:
/// `$ref` (local), `type`, `enum`, `const`, `required`, `properties`, `items`, `minimum`,
/// `maximum`, `pattern`, `oneOf`, `not`. Any other keyword that is not an annotation is a
/// failure, so the schema cannot grow a rule this check silently skips.
struct SchemaValidator {
    let root: [String: Any]

    private static let annotations: Set = ["$schema", "$id", "$defs", "title", "description", "format"]
    private static let keywords: Set = ["$ref", "type", "enum", "const", "required", "properties", "items",
                                        "minimum", "maximum", "pattern", "oneOf", "not"]

    init(schemaData: Data) throws {
        guard let root = try JSONSerialization.jsonObject(with: schemaData) as? [String: Any] else {
            throw SchemaProblem("the schema is not an object")
        }
        self.root = root
    }

    /// The problems of `instance` (from `JSONSerialization`), as `path: problem`; empty when valid.
    func problems(_ instance: Any) -> [String] {
        problems(instance, schema: root, path: "$")
    }

    private func problems(_ value: Any, schema: [String: Any], path: String) -> [String] {
        var found: [String] = []
        for key in schema.keys where !Self.annotations.contains(key) && !Self.keywords.contains(key) {
            found.append("\(path): the schema uses \(key), which this validator does not check")
        }
        if let ref = schema["$ref"] as? String {
            if let target = resolve(ref) {
                found += problems(value, schema: target, path: path)
            } else {
                found.append("\(path): unresolved $ref \(ref)")
            }
        }
        if let types = schema["type"] {
            let allowed = (types as? [String]) ?? [(types as? String) ?? "?"]
            if !allowed.contains(where: { Self.has(value, type: $0) }) {
                found.append("\(path): \(Self.describe(value)) is not \(allowed.joined(separator: " or "))")
            }
        }
        if let options = schema["enum"] as? [Any], !options.contains(where: { Self.equal($0, value) }) {
            found.append("\(path): \(Self.describe(value)) is not one of \(options)")
        }
        if let constant = schema["const"], !Self.equal(constant, value) {
            found.append("\(path): \(Self.describe(value)) is not \(constant)")
        }
        if let object = value as? [String: Any] {
            for key in (schema["required"] as? [String]) ?? [] where object[key] == nil {
                found.append("\(path): required \(key) is missing")
            }
            for (key, subschema) in (schema["properties"] as? [String: [String: Any]]) ?? [:] {
                if let member = object[key] { found += problems(member, schema: subschema, path: "\(path).\(key)") }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (index, element) in array.enumerated() {
                found += problems(element, schema: items, path: "\(path)[\(index)]")
            }
        }
        if let number = Self.number(value) {
            if let minimum = schema["minimum"] as? Double, number < minimum {
                found.append("\(path): \(number) < minimum \(minimum)")
            }
            if let maximum = schema["maximum"] as? Double, number > maximum {
                found.append("\(path): \(number) > maximum \(maximum)")
            }
        }
        if let string = value as? String, let pattern = schema["pattern"] as? String {
            if string.range(of: pattern, options: .regularExpression) == nil {
                found.append("\(path): \"\(string)\" does not match \(pattern)")
            }
        }
        if let alternatives = schema["oneOf"] as? [[String: Any]] {
            let matching = alternatives.filter { problems(value, schema: $0, path: path).isEmpty }.count
            if matching != 1 { found.append("\(path): matches \(matching) of oneOf, not exactly 1") }
        }
        if let negated = schema["not"] as? [String: Any], problems(value, schema: negated, path: path).isEmpty {
            found.append("\(path): matches a schema it must not match")
        }
        return found
    }

    private func resolve(_ ref: String) -> [String: Any]? {
        guard ref.hasPrefix("#/") else { return nil }
        var node: Any = root
        for part in ref.dropFirst(2).split(separator: "/") {
            guard let next = (node as? [String: Any])?[String(part)] else { return nil }
            node = next
        }
        return node as? [String: Any]
    }

    /// A JSON number; the schema has no booleans, so telling `true` from `1` is not needed.
    private static func number(_ value: Any) -> Double? {
        value is String ? nil : (value as? NSNumber)?.doubleValue
    }

    private static func has(_ value: Any, type: String) -> Bool {
        switch type {
        case "null": return value is NSNull
        case "string": return value is String
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "number": return number(value) != nil
        case "integer": return number(value).map { $0.rounded() == $0 } ?? false
        default: return false
        }
    }

    private static func equal(_ lhs: Any, _ rhs: Any) -> Bool {
        if let l = lhs as? String, let r = rhs as? String { return l == r }
        if let l = number(lhs), let r = number(rhs) { return l == r }
        if lhs is NSNull, rhs is NSNull { return true }
        return false
    }

    private static func describe(_ value: Any) -> String {
        value is NSNull ? "null" : "\(value)"
    }
}

/// A schema that cannot be read.
struct SchemaProblem: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
