import Foundation
import LicensingModel

/// A tolerant view of a JSON object from `JSONSerialization`: keys match case-insensitively,
/// values convert leniently, and a wrong type reads as nil instead of failing.
struct JSONFields {
    private let storage: [String: Any]

    /// A view of `value` when it is a JSON object.
    init?(_ value: Any?) {
        guard let dictionary = value as? [String: Any] else { return nil }
        var storage: [String: Any] = [:]
        for (key, value) in dictionary where !(value is NSNull) {
            let lowered = key.lowercased()
            if storage[lowered] == nil { storage[lowered] = value }
        }
        self.storage = storage
    }

    /// Parses `data` as a JSON object; nil when it is not one.
    static func parse(_ data: Data) -> JSONFields? {
        guard let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            return nil
        }
        return JSONFields(object)
    }

    /// The keys present, in lower case.
    var keys: [String] { Array(storage.keys) }

    /// The first present value among `keys`.
    func value(_ keys: [String]) -> Any? {
        for key in keys {
            if let value = storage[key.lowercased()] { return value }
        }
        return nil
    }

    /// Text: a string as is, a number or boolean as its JSON text.
    func string(_ keys: String...) -> String? { Self.text(value(keys)) }

    /// An integer: a number without fraction, or a string of digits.
    func int(_ keys: String...) -> Int? { Self.integer(value(keys)) }

    /// A boolean: `true`/`false`, `1`/`0`, `"true"`/`"false"` (any case).
    func bool(_ keys: String...) -> Bool? {
        switch value(keys) {
        case let text as String:
            switch text.trimmed().lowercased() {
            case "true", "1", "yes": return true
            case "false", "0", "no": return false
            default: return nil
            }
        case let number as NSNumber: return number.intValue != 0
        default: return nil
        }
    }

    /// A date from any format `LicensingDate` reads.
    func date(_ keys: String...) -> Date? { Self.text(value(keys)).flatMap(LicensingDate.parse) }

    /// A nested object.
    func object(_ keys: String...) -> JSONFields? { JSONFields(value(keys)) }

    /// A nested array; nil when absent or not an array.
    func array(_ keys: String...) -> [Any]? { value(keys) as? [Any] }

    /// A nested array of objects (non-objects skipped).
    func objects(_ keys: String...) -> [JSONFields] { (value(keys) as? [Any] ?? []).compactMap(JSONFields.init) }

    /// Whether any of `keys` is present (and not null).
    func has(_ keys: String...) -> Bool { value(keys) != nil }

    /// Lenient text of a JSON value.
    static func text(_ value: Any?) -> String? {
        switch value {
        case let text as String: return text
        case let number as NSNumber:
            if isBoolean(number) { return number.boolValue ? "true" : "false" }
            if let int = exactInt(number) { return String(int) }
            return number.stringValue
        default: return nil
        }
    }

    /// Lenient integer of a JSON value.
    static func integer(_ value: Any?) -> Int? {
        switch value {
        case let text as String: return Int(text.trimmed())
        case let number as NSNumber: return isBoolean(number) ? nil : exactInt(number)
        default: return nil
        }
    }

    private static func exactInt(_ number: NSNumber) -> Int? {
        let double = number.doubleValue
        guard double.rounded() == double, abs(double) < 9e15 else { return nil }
        return number.intValue
    }

    /// JSON booleans come back as `NSNumber`s of type `c` (char) on every platform.
    static func isBoolean(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }
}

/// Base64 as it comes in tokens: either alphabet, with or without padding or line breaks.
enum Base64Text {
    /// The bytes of base64 or base64url text; nil when it is neither.
    static func decode<S: StringProtocol>(_ text: S) -> Data? {
        // Bytes, not scalars appended to a String: linear and fast on a 50 MB token. A non-ASCII
        // byte stays in and makes the decoding fail, as a non-ASCII scalar did.
        var cleaned: [UInt8] = []
        cleaned.reserveCapacity(text.utf8.count + 3)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "-"): cleaned.append(UInt8(ascii: "+"))
            case UInt8(ascii: "_"): cleaned.append(UInt8(ascii: "/"))
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n"), UInt8(ascii: "="): continue
            default: cleaned.append(byte)
            }
        }
        guard !cleaned.isEmpty else { return nil }
        switch cleaned.count % 4 {
        case 2: cleaned += Array("==".utf8)
        case 3: cleaned.append(UInt8(ascii: "="))
        case 1: return nil
        default: break
        }
        return Data(base64Encoded: Data(cleaned))
    }
}
