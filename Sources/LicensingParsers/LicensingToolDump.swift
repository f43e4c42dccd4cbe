import Foundation
import LicensingModel
import XMLKit

/// The Licensing Tool's two tabs as logcollect dumps them (`licensing/entitlements.xml`,
/// `licensing/product-status.xml`, validated by the XSDs in `docs/schemas/`): the one home of
/// the format, written by the collector and read by the analyser.
public enum LicensingToolDump {
    /// One row of the Product Status tab: a product and the status the client's decision gives.
    public struct ProductRow: Sendable, Equatable {
        public var productId: Int
        public var featureString: String
        public var name: String?
        public var status: LicenseStatus
        public var reason: String
        public var daysRemaining: Int?

        public init(productId: Int, featureString: String, name: String?, status: LicenseStatus, reason: String,
                    daysRemaining: Int?) {
            self.productId = productId
            self.featureString = featureString
            self.name = name
            self.status = status
            self.reason = reason
            self.daysRemaining = daysRemaining
        }
    }

    /// The Entitlements tab: one row per securable of the current policy (none without one).
    public static func entitlements(_ policy: Policy?, collectedAt: Date) -> Data {
        var root = XMLElement(name: "Entitlements", attributes: ["collectedAt": LicensingDate.format(collectedAt)])
        if let policy {
            root.attributes["policyId"] = policy.policyId
            root.attributes["usageCountry"] = policy.userData?.usageCountryISO
            for securable in policy.securables {
                let acl = policy.acl(for: securable)
                var row = XMLElement(name: "Entitlement", attributes: [
                    "productId": String(securable.productId),
                    "productName": securable.productName ?? "",
                    "featureString": securable.featureString,
                    "accessKind": acl.map { "\($0.accessKind)" } ?? "None",
                ])
                row.attributes["version"] = securable.version
                row.attributes["usageType"] = policy.qualifier(named: QualifierName.usageType, for: acl, securable: securable)?.value
                row.attributes["expiresOn"] = acl?.expiresOn.map(LicensingDate.format)
                row.attributes["country"] = policy.userData?.usageCountryISO
                root.children.append(row)
            }
        } else {
            root.attributes["note"] = "no policy: the tab is empty"
        }
        return document(root)
    }

    /// The Product Status tab: one row per product, as decided at `collectedAt`.
    public static func productStatus(_ rows: [ProductRow], collectedAt: Date, online: Bool, offlineSince: Date?) -> Data {
        var root = XMLElement(name: "ProductStatus", attributes: [
            "collectedAt": LicensingDate.format(collectedAt), "online": online ? "true" : "false",
        ])
        root.attributes["offlineSince"] = offlineSince.map(LicensingDate.format)
        for product in rows {
            var row = XMLElement(name: "Product", attributes: [
                "productId": String(product.productId), "featureString": product.featureString,
                "status": product.status.name, "statusCode": String(product.status.code), "reason": product.reason,
            ])
            row.attributes["name"] = product.name
            row.attributes["daysRemaining"] = product.daysRemaining.map(String.init)
            root.children.append(row)
        }
        return document(root)
    }

    /// The statuses of a Product Status dump, each at its line.
    public static func productStatuses(from data: Data, file: String) throws -> [ProductStatusEntry] {
        guard let root = try XMLPullReader(data: data, name: file, options: .init(maxDepth: 16)).readElement() else { return [] }
        return root.children("Product").map { row in
            let raw = row["status"] ?? row["statusCode"] ?? ""
            let status = LicenseStatus(name: raw) ?? row["statusCode"].flatMap(Int.init).flatMap(LicenseStatus.init(code:))
            return ProductStatusEntry(productId: row["productId"].flatMap(Int.init), featureString: row["featureString"] ?? "",
                                      status: status, rawStatus: raw, daysRemaining: row["daysRemaining"].flatMap(Int.init),
                                      source: SourceRef(file: file, line: row.line))
        }
    }

    private static func document(_ root: XMLElement) -> Data {
        Data(("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + root.xmlString() + "\n").utf8)
    }
}
