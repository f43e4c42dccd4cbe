import Foundation
import LicensingModel
import LicensingParsers

/// The client: CC version and install folder, Licensing Service folder, OS, computer name,
/// time zone, the user's country, proxy settings, `BuddiRegionCode` and the legacy
/// SELECTserver key — read from the registry keys CLIENT-MODEL §6 names (never a hive) and
/// CC's `.exe.config`, written as `client/system-info.json` plus the filtered `.reg` exports.
public struct ClientSource: CollectorSource {
    public let name = "client"

    public init() {}

    public func collect(_ context: CollectionContext) throws -> SourceResult {
        var result = SourceResult()
        var exports: [RegistryHive: RegistryExport] = [:]
        for hive in RegistryHive.allCases {
            let answer = try context.machine.ask(.registry(hive))
            result.notes += answer.notes
            if let failure = answer.failure { result.record(failure) }
            guard let file = answer.file else {
                if answer.failure == nil { result.notes.append("no \(hive.rawValue) registry export") }
                continue
            }
            do {
                let data = try file.contents()
                let encoding = TextDecoding.detect(data).encoding
                if encoding != .utf16LE {
                    result.notes.append("\(file.path) is \(encoding.rawValue), not UTF-16LE as reg export writes it; read anyway")
                }
                let parsed = try RegistryExportParser.parse(data, file: file.path)
                result.notes += parsed.warnings.map(\.description)
                let kept = parsed.value.relevantOnly()
                exports[hive] = kept
                result.entries.append(PlannedEntry(
                    path: "system/registry/\(hive.rawValue).reg", content: .data(kept.serialize()), format: .text,
                    source: name, note: "only the keys of CLIENT-MODEL §6 (\(kept.keys.count) of \(parsed.value.keys.count) keys)"))
            } catch {
                result.problems.append(Self.problem(file.path, error))
            }
        }
        let config = try clientConfig(context, result: &result)
        guard !exports.isEmpty || config != nil else {
            var missing = SourceResult.missing("no registry exports and no CC configuration")
            (missing.missingParts, missing.timedOut, missing.problems) = (result.missingParts, result.timedOut, result.problems)
            return missing
        }

        let info = ClientInfoExtractor.extract(hklm: exports[.localMachine], hkcu: exports[.currentUser], config: config)
        result.entries.insert(PlannedEntry(path: "client/system-info.json", content: .data(try systemInfo(info, context)),
                                           format: .text, source: name), at: 0)
        result.machine = MachineNames(computerName: info.computerName, timeZone: info.timeZoneKeyName)
        if let host = info.computerName { result.identities.hosts.insert(host) }
        if let user = info.lastLoggedOnUser.map(Self.accountName) { result.identities.users.insert(user) }
        if info.ccVersion == nil { result.notes.append("the CONNECTION Client version was not found in the registry") }
        return result
    }

    /// `PATH: what went wrong`, with the path once (the error may already name it).
    private static func problem(_ path: String, _ error: Error) -> String {
        let text = "\(error)"
        return text.hasPrefix(path) ? text : "\(path): \(text)"
    }

    private func clientConfig(_ context: CollectionContext, result: inout SourceResult) throws -> DotNetConfig? {
        let path = CollectionContext.clientFolder + "/Bentley.Connect.Client.exe.config"
        guard let file = try context.machine.file(at: path) else { return nil }
        do {
            return try DotNetConfigParser.parse(try file.contents(), file: file.path)
        } catch {
            result.problems.append(Self.problem(file.path, error))
            return nil
        }
    }

    /// `{"collectedAt": …, "user": …, "client": ClientInfo}` — what analysis reads first.
    private func systemInfo(_ info: ClientInfo, _ context: CollectionContext) throws -> Data {
        struct SystemInfo: Encodable {
            let collectedAt: String
            let user: String
            let client: ClientInfo
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(LicensingDate.format(date))
        }
        return try encoder.encode(SystemInfo(collectedAt: LicensingDate.format(context.now), user: context.user, client: info))
    }

    /// `DOMAIN\user` → `user`.
    static func accountName(_ text: String) -> String {
        String(text.split(separator: "\\").last ?? Substring(text))
    }

    /// The registry's last signed-in user (for choosing a profile), if the export says.
    static func lastLoggedOnUser(_ machine: any ClientMachine) -> String? {
        guard let file = try? machine.registryExport(.localMachine), let data = try? file.contents(),
              let export = try? RegistryExportParser.parse(data, file: file.path).value,
              let value = export.value(key: RegistryKeys.logonUI, name: "LastLoggedOnUser")?.text else { return nil }
        return accountName(value)
    }
}
