import Foundation
import LicensingModel

/// Reads `connect-client.json`: the CC API's and the Licensing Service API's answers (§8).
public enum ConnectClientParser {
    /// The state; keys match in any case, unknown fields are ignored, `Status` may be a code
    /// (`110`, `"110"`) or a name (`"NotEntitled"`).
    public static func parse(_ data: Data, file: String) throws -> ConnectClientState {
        let text = TextDecoding.string(from: data)
        guard !text.trimmed(.whitespacesAndNewlines).isEmpty else {
            throw ParseError(.empty, file: file, "the CONNECTION Client answer is empty")
        }
        guard let root = JSONFields.parse(Data(text.utf8)) else {
            throw ParseError(.notJSON, file: file, "the CONNECTION Client answer is not a JSON object")
        }
        let source = SourceRef(file: file)
        let user = root.object("SignedInUser", "User")
        var state = ConnectClientState(
            isInstalled: root.bool("IsInstalled"), isRunning: root.bool("IsRunning"),
            isLoggedIn: root.bool("IsLoggedIn", "IsSignedIn"), isUserSessionActive: root.bool("IsUserSessionActive"),
            hasUserAcceptedEULA: root.bool("HasUserAcceptedEULA"),
            signedInEmail: user?.string("Email", "EmailAddress") ?? root.string("Email"),
            signedInUserId: user?.string("UserId", "Id") ?? root.string("UserId"), source: source)
        if let service = root.object("LicenseService", "LicensingService") {
            state.licenseService = ConnectClientState.LicenseService(
                isInstalled: service.bool("IsInstalled"), isRunning: service.bool("IsRunning"),
                products: service.objects("Products").map { product(from: $0, source: source) })
        }
        return state
    }

    /// A Product Status row from its JSON object.
    static func product(from fields: JSONFields, source: SourceRef) -> ProductStatusEntry {
        let raw = fields.string("Status", "LicenseStatus") ?? ""
        let status = Int(raw.trimmed()).flatMap(LicenseStatus.init(code:))
            ?? LicenseStatus(name: raw)
        return ProductStatusEntry(
            productId: fields.int("ProductId"), featureString: fields.string("FeatureString") ?? "",
            status: status, rawStatus: raw, daysRemaining: fields.int("DaysRemaining", "DaysLeft"),
            source: source)
    }
}
