import Foundation

/// The names of Bentley products by product ID, kept as data, as `VersionTable` is: a report
/// names a product ("MicroStation") even when the bundle holds only its ID.
///
/// The built-in names live in one place, `defaultJSON` (from CLIENT-MODEL.md and the fixtures'
/// products); a name the bundle itself gives (the policy's `ProductName`, the Feature Level
/// Selector's `Name`) always wins.
public struct ProductNames: Sendable, Equatable {
    /// Product ID → name.
    public var names: [Int: String]

    /// Creates a table.
    public init(names: [Int: String]) {
        self.names = names
    }

    /// The built-in table as JSON (product ID as a string → name): the one place its values
    /// are written down.
    public static let defaultJSON = """
        {
          "1000": "MicroStation",
          "1052": "AutoPIPE",
          "2545": "Bentley Navigator",
          "2900": "OpenRoads Designer",
          "2910": "OpenFlows WaterGEMS"
        }
        """

    /// The built-in table, decoded from `defaultJSON` (a test guards that it decodes).
    public static let `default`: ProductNames = {
        do {
            return try ProductNames(json: Data(defaultJSON.utf8))
        } catch {
            fatalError("ProductNames.defaultJSON is invalid: \(error)")
        }
    }()

    /// Reads a table from JSON of the same shape as `defaultJSON`.
    public init(json: Data) throws {
        let raw = try JSONDecoder().decode([String: String].self, from: json)
        var names: [Int: String] = [:]
        for (key, name) in raw {
            guard let id = Int(key) else {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "not a product ID: \(key)"))
            }
            names[id] = name
        }
        self.names = names
    }

    /// The product's name, when the table knows it.
    public func name(of productId: Int) -> String? { names[productId] }
}

extension LicenseStatus {
    /// The status as people say it, with its code: `Not entitled (110)`.
    public var spoken: String {
        let words = switch self {
        case .error: "Error"
        case .ok: "OK"
        case .offline: "Offline"
        case .expired: "Expired"
        case .accessDenied: "Access denied"
        case .disabledByLogSend: "Disabled: usage logs not sent"
        case .disabledByPolicy: "Disabled by policy"
        case .trial: "Trial"
        case .notEntitled: "Not entitled"
        }
        return "\(words) (\(code))"
    }
}
