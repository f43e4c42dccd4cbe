import Foundation

/// Client files copied as they are (scrubbed as text): the CC API answer, the Feature Level
/// Selector's defaults, the unsent usage logs, and the .NET configuration files.
public struct FileCopySource: CollectorSource {
    public let name: String
    /// Where the files are: a folder and a test on the file name.
    let folder: @Sendable (CollectionContext) -> String
    let matches: @Sendable (String) -> Bool
    /// Where they go in the bundle.
    let bundleFolder: String
    let what: String
    public let isOptional: Bool

    public func collect(_ context: CollectionContext) throws -> SourceResult {
        let (files, skipped) = try context.machine.files(under: folder(context), recursive: false)
        var result = SourceResult()
        result.problems = skipped
        for file in files where matches((file.path as NSString).lastPathComponent) {
            result.entries.append(PlannedEntry(
                path: bundleFolder + "/" + (file.path as NSString).lastPathComponent,
                content: .file(file, keepNewest: nil), format: .text, source: name))
        }
        if result.entries.isEmpty && skipped.isEmpty { return .missing("no \(what) found") }
        return result
    }

    /// `LicUsageLog.<GUID>.csv`: usage records not yet sent.
    public static let usage = FileCopySource(
        name: "usage", folder: { $0.licensingFolder },
        matches: { $0.lowercased().hasPrefix("licusagelog") && $0.lowercased().hasSuffix(".csv") },
        bundleFolder: "licensing/usage", what: "usage log (LicUsageLog.*.csv)", isOptional: true)

    /// `FeatureLevelSelector.xml`: default feature levels.
    public static let featureLevels = FileCopySource(
        name: "feature-levels", folder: { $0.licensingFolder },
        matches: { $0.caseInsensitiveCompare("FeatureLevelSelector.xml") == .orderedSame },
        bundleFolder: "licensing", what: "FeatureLevelSelector.xml", isOptional: true)

    /// The CC and Licensing Service `.exe.config` files (proxy settings, app settings).
    public static let configs = FileCopySource(
        name: "configs", folder: { _ in CollectionContext.clientFolder },
        matches: { $0.lowercased().hasSuffix(".exe.config") },
        bundleFolder: "client/config", what: "CONNECTION Client configuration", isOptional: false)

    /// The Licensing Service's configuration.
    public static let serviceConfigs = FileCopySource(
        name: "service-configs", folder: { _ in CollectionContext.clientFolder + "/LicService" },
        matches: { $0.lowercased().hasSuffix(".exe.config") },
        bundleFolder: "client/config/LicService", what: "Licensing Service configuration", isOptional: true)
}

/// What the CONNECTION Client API answers (signed-in state, the service's product statuses).
public struct ConnectClientSource: CollectorSource {
    public let name = "connect-client"

    public init() {}

    public func collect(_ context: CollectionContext) throws -> SourceResult {
        let answer = try context.machine.ask(.connectClient)
        var result = SourceResult()
        result.notes = answer.notes
        if let failure = answer.failure { result.record(failure) }
        guard let file = answer.file else {
            return answer.failure == nil ? .missing("the CONNECTION Client API could not be asked") : result
        }
        result.entries = [PlannedEntry(path: "client/connect-client.json", content: .file(file, keepNewest: nil),
                                       format: .text, source: name)]
        if let data = try? file.contents(),
           let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
           let user = json.first(where: { $0.key.caseInsensitiveCompare("SignedInUser") == .orderedSame })?.value as? [String: Any],
           let email = user.first(where: { $0.key.caseInsensitiveCompare("Email") == .orderedSame })?.value as? String {
            result.identities.emails = [email]
        }
        return result
    }
}
