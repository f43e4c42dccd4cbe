import AnalyzeKit
import Foundation
import LicensingModel
import LicensingParsers

/// Finds a bundle's CONNECTION Client version and the user's country for the batch line.
///
/// `Analyzer.Outcome` carries the diagnosis but not the facts it was built from, so this reads
/// again the few small files that hold them: logcollect's `client/system-info.json` (the client
/// as logcollect read it from the registry) and, when that is absent or incomplete (bundles of
/// other collectors), the registry exports (`*.reg`). Files are picked by name, not content, to
/// keep this second pass cheap: every other entry is passed over unread (in a ZIP that costs no
/// inflating; in a tar.gz the stream is inflated again). It never fails: what it cannot read is
/// unknown.
enum ClientProbe {
    /// The largest registry export or system-info file read.
    static let limit = 16 << 20

    /// The client details of the bundle at `path`.
    static func probe(path: String) -> ClientSummary {
        var found = ClientSummary()
        var hklm: RegistryExport?
        var hkcu: RegistryExport?
        try? BundleReader(path: path).walk({ file in
            let name = (file.path as NSString).lastPathComponent.lowercased()
            let isSystemInfo = name == "system-info.json"
            guard isSystemInfo || (name.hasSuffix(".reg") && !found.isComplete) else { return }
            if let size = file.size, size > Int64(limit) { return }
            guard let data = try? file.data(limit: limit) else { return }
            if isSystemInfo {
                let client = (try? JSONDecoder().decode(SystemInfo.self, from: data))?.client
                found.ccVersion = found.ccVersion ?? client?.ccVersion?.description
                found.country = found.country ?? client?.geoCountry?.uppercased()
            } else if let export = try? RegistryExportParser.parse(data, file: file.path).value {
                if export.keys.contains(where: { $0.path.uppercased().hasPrefix("HKEY_CURRENT_USER") }) {
                    hkcu = export
                } else {
                    hklm = export
                }
                let registry = ClientInfoExtractor.extract(hklm: hklm, hkcu: hkcu)
                found.ccVersion = found.ccVersion ?? registry.ccVersion?.description
                found.country = found.country ?? registry.geoCountry?.uppercased()
            }
        }, problem: { _ in })
        return found
    }

    /// logcollect's `system-info.json`: only its `client` matters here.
    private struct SystemInfo: Decodable {
        var client: ClientInfo?
    }
}

extension ClientSummary {
    /// Whether both details are known.
    var isComplete: Bool { ccVersion != nil && country != nil }
}
