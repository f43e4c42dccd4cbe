import Foundation
import LicensingModel

/// `licensing/checkouts/NAME.belic.json` in a bundle: a checked-out license decoded, without its
/// signature (`docs/bundle-format.md`).
///
/// `logcollect` writes it (`encoded()`); `loganalyze` reads it leniently (`decode(from:)`): a
/// field that is missing or of another type reads as absent, and extra fields are ignored, so a
/// summary of an older collector, or one edited by hand, still gives its policy.
///
/// `encoded()` writes the bytes `JSONSerialization` wrote before this type existed, on every
/// fixture: the same pretty printing and the same key order. Two differences remain possible
/// with policies unlike the fixtures': `JSONSerialization` sorts keys case-insensitively and by
/// numeric value (`AccessKind` before `ACLs`, `k2` before `k10`) where `JSONEncoder` sorts them
/// by code point; and a whole number of the policy that `JSONSerialization` wrote otherwise
/// than in plain digits within `Int64` (`1e+16`, `-0`, 20 digits) is written in another form.
/// The key order never changes what `decode(from:)` reads.
public struct CheckoutSummary: Codable, Sendable, Equatable {
    /// One product the checkout licenses.
    public struct Product: Codable, Sendable, Equatable {
        /// The product id.
        public var productId: Int
        /// The product's name, `""` when the policy has none.
        public var productName: String
        /// The feature string, `""` for none.
        public var featureString: String
    }

    /// Always `checkout`: what tells the summary from any other JSON file.
    public var kind = "checkout"
    /// The `.belic` on the client it was decoded from.
    public var file: String
    /// The machine it is valid on.
    public var machineName: String?
    /// The user it belongs to.
    public var userId: String?
    /// When it ends (`LicensingDate.format`).
    public var expiresOn: String?
    /// Whether the `.belic` carried the signing certificate.
    public var certificatePresent: Bool
    /// The products it licenses.
    public var products: [Product]
    /// The decoded policy, secrets removed (`PolicyDecoder.readableJSON`).
    public var policy: JSONValue

    /// The summary of `checkout`, read from `file`; `policy` is its readable JSON.
    public init(_ checkout: Checkout, file: String, policy: Data) throws {
        self.file = file
        machineName = checkout.machineName
        userId = checkout.userId
        expiresOn = checkout.expiresOn.map(LicensingDate.format)
        certificatePresent = checkout.certificatePresent
        products = checkout.policy.securables.map {
            Product(productId: $0.productId, productName: $0.productName ?? "", featureString: $0.featureString)
        }
        self.policy = try JSONDecoder().decode(JSONValue.self, from: policy)
    }

    /// Decodes a summary; only `policy` is required, every other field reads as absent when it is
    /// missing or of another type.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = (try? container.decodeIfPresent(String.self, forKey: .kind)) ?? ""
        file = (try? container.decodeIfPresent(String.self, forKey: .file)) ?? ""
        machineName = try? container.decodeIfPresent(String.self, forKey: .machineName)
        userId = try? container.decodeIfPresent(String.self, forKey: .userId)
        expiresOn = try? container.decodeIfPresent(String.self, forKey: .expiresOn)
        certificatePresent = (try? container.decodeIfPresent(Bool.self, forKey: .certificatePresent)) ?? false
        products = (try? container.decodeIfPresent([Product].self, forKey: .products)) ?? []
        policy = try container.decode(JSONValue.self, forKey: .policy)
    }

    /// The summary in `data`; nil when it is not one (not JSON, no `"kind": "checkout"`, no
    /// policy): a `.belic` or a policy is read as such.
    public static func decode(from data: Data) -> CheckoutSummary? {
        guard let summary = try? JSONDecoder().decode(CheckoutSummary.self, from: data), summary.kind == "checkout",
              summary.policy != .null else { return nil }
        return summary
    }

    /// The summary as pretty, key-sorted JSON, with a final newline.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0A)
        return data
    }
}
