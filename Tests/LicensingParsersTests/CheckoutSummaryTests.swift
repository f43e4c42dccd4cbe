import Foundation
import LicensingModel
import TestSupport
import Testing
@testable import LicensingParsers

@Suite("The checkout summary a bundle holds for each .belic")
struct CheckoutSummaryTests {
    /// Every `.belic` of the client fixtures, and the raw policy of `TestData`.
    static let checkouts: [(file: String, data: Data)] = {
        var found: [(String, Data)] = [("policy.json", Data(TestData.policyJSON.utf8))]
        let root = RepoPaths.fixture("clients")
        let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        while let url = walker?.nextObject() as? URL {
            guard url.pathExtension.lowercased() == "belic", let data = FileManager.default.contents(atPath: url.path) else { continue }
            found.append((url.path, data))
        }
        return found
    }()

    @Test("logcollect writes the bytes it wrote with JSONSerialization: same keys, order and layout")
    func sameBytesAsBefore() throws {
        #expect(Self.checkouts.count >= 4, "the fixtures' .belic files were found")
        for (file, data) in Self.checkouts {
            let checkout = try PolicyDecoder.checkout(from: data, file: file)
            let readable = try PolicyDecoder.readableJSON(data, file: file)
            let written = try CheckoutSummary(checkout, file: file, policy: readable).encoded()
            #expect(written == (try Self.writtenBefore(checkout, file: file, policy: readable)), "\(file)")
        }
    }

    @Test("loganalyze reads back what logcollect wrote")
    func roundTrip() throws {
        for (file, data) in Self.checkouts {
            let checkout = try PolicyDecoder.checkout(from: data, file: file)
            let summary = try CheckoutSummary(checkout, file: file, policy: try PolicyDecoder.readableJSON(data, file: file))
            let read = try #require(CheckoutSummary.decode(from: try summary.encoded()), "\(file)")
            #expect(read == summary)
            let policy = try PolicyDecoder.checkout(from: try read.policy.data(), file: file).policy
            #expect(policy.policyId == checkout.policy.policyId && policy.securables == checkout.policy.securables)
        }
    }

    @Test("a summary of an older collector, or edited by hand, still gives its policy; other JSON is no summary")
    func lenientReading() throws {
        let minimal = try #require(CheckoutSummary.decode(from: Data(#"{"kind":"checkout","policy":{"PolicyId":"p"}}"#.utf8)))
        #expect(minimal.certificatePresent == false && minimal.machineName == nil && minimal.products.isEmpty)
        #expect(minimal.policy == .object(["PolicyId": .string("p")]))
        let odd = try #require(CheckoutSummary.decode(from: Data(
            #"{"kind":"checkout","certificatePresent":"yes","machineName":7,"products":"none","extra":[1],"policy":{}}"#.utf8)))
        #expect(odd.certificatePresent == false && odd.machineName == nil && odd.products.isEmpty, "a wrong type reads as absent")
        let full = try #require(CheckoutSummary.decode(from: Data(
            #"{"kind":"checkout","certificatePresent":true,"machineName":"WS-1","policy":{"PolicyId":"p"}}"#.utf8)))
        #expect(full.certificatePresent && full.machineName == "WS-1")
        for other in [#"{"kind":"policy","policy":{}}"#, #"{"kind":"checkout"}"#, #"{"policy":{}}"#,
                      #"{"kind":"checkout","policy":null}"#, "[1]", "not json"] {
            #expect(CheckoutSummary.decode(from: Data(other.utf8)) == nil, "\(other)")
        }
    }

    /// What `CheckoutsSource` wrote before `CheckoutSummary` existed, with `JSONSerialization`.
    static func writtenBefore(_ checkout: Checkout, file: String, policy: Data) throws -> Data {
        var object: [String: Any] = [
            "kind": "checkout",
            "file": file,
            "certificatePresent": checkout.certificatePresent,
            "products": checkout.policy.securables.map {
                ["productId": $0.productId, "productName": $0.productName ?? "", "featureString": $0.featureString]
            },
            "policy": try JSONSerialization.jsonObject(with: policy),
        ]
        object["machineName"] = checkout.machineName
        object["userId"] = checkout.userId
        object["expiresOn"] = checkout.expiresOn.map(LicensingDate.format)
        var data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        data.append(0x0A)
        return data
    }
}
