import AnalyzeKit
import Foundation
import LicensingModel
import LicensingParsers

/// Finds a bundle's CONNECTION Client version and the user's country for the batch line.
///
/// `Analyzer.Outcome` carries the diagnosis but not the facts it was built from, so this reads
/// the few small files that hold them — the registry exports and logcollect's
/// `system-info.json` — the way the analyser does: the registry first, system info where it is
/// silent. Every other entry is passed over unread (in a ZIP that costs no inflating; in a
/// tar.gz the stream is inflated again). It never fails: what it cannot read is unknown.
enum ClientProbe {
    /// The largest registry export or system-info file read.
    static let limit = 16 << 20

    /// The client details of the bundle at `path`.
    static func probe(path: String) -> ClientSummary {
        var systemInfo: ClientInfo?
        var hklm: RegistryExport?
        var hkcu: RegistryExport?
        try? BundleReader(path: path).walk({ file in
            let name = (file.path as NSString).lastPathComponent.lowercased()
            guard name.hasSuffix(".reg") || name.hasSuffix(".json") else { return }
            if let size = file.size, size > Int64(limit) { return }
            guard let data = try? file.data(limit: limit) else { return }
            switch FileKind.recognise(path: file.path, head: data.prefix(4096)) {
            case .registry:
                guard let export = try? RegistryExportParser.parse(data, file: file.path).value else { return }
                if export.keys.contains(where: { $0.path.uppercased().hasPrefix("HKEY_CURRENT_USER") }) {
                    hkcu = export
                } else {
                    hklm = export
                }
            case .systemInfo:
                systemInfo = (try? JSONDecoder().decode(SystemInfo.self, from: data))?.client
            default:
                return
            }
        }, problem: { _ in })
        var info = systemInfo ?? ClientInfo()
        if hklm != nil || hkcu != nil {
            let registry = ClientInfoExtractor.extract(hklm: hklm, hkcu: hkcu)
            info.ccVersion = registry.ccVersion ?? info.ccVersion
            info.geoCountry = registry.geoCountry ?? info.geoCountry
        }
        return ClientSummary(ccVersion: info.ccVersion?.description, country: info.geoCountry?.uppercased())
    }

    /// logcollect's `system-info.json`: only its `client` matters here.
    private struct SystemInfo: Decodable {
        var client: ClientInfo?
    }
}
