import Foundation
import LicensingModel
import XMLKit

/// What a .NET `.exe.config` says that matters here: `<appSettings>` and the default proxy.
public struct DotNetConfig: Sendable, Equatable {
    /// `<appSettings><add key=… value=…/>`; a later key wins.
    public var appSettings: [String: String]
    /// `<defaultProxy enabled=…>`.
    public var proxyEnabled: Bool?
    /// `<proxy usesystemdefault=…>`.
    public var proxyUsesSystemDefault: Bool?
    /// `<proxy proxyaddress=…>`, as written (may hold a password: scrub before showing it).
    public var proxyAddress: String?
    /// `<proxy bypassonlocal=…>`.
    public var proxyBypassOnLocal: Bool?
    /// Where it was read from.
    public var source: SourceRef

    /// Creates a config.
    public init(appSettings: [String: String] = [:], proxyEnabled: Bool? = nil,
                proxyUsesSystemDefault: Bool? = nil, proxyAddress: String? = nil,
                proxyBypassOnLocal: Bool? = nil, source: SourceRef) {
        self.appSettings = appSettings
        self.proxyEnabled = proxyEnabled
        self.proxyUsesSystemDefault = proxyUsesSystemDefault
        self.proxyAddress = proxyAddress
        self.proxyBypassOnLocal = proxyBypassOnLocal
        self.source = source
    }
}

/// Reads `Bentley.Connect.Client.exe.config` and `Bentley.Licensing.Service.exe.config`.
public enum DotNetConfigParser {
    /// The settings of a `.exe.config`; attribute names match case-insensitively.
    public static func parse(_ data: Data, file: String) throws -> DotNetConfig {
        let root: XMLElement
        do {
            guard let element = try XMLPullReader(data: data, name: file).readElement() else {
                throw ParseError(.empty, file: file, "the config file has no XML element")
            }
            root = element
        } catch let error as XMLError {
            throw ParseError(.xml, file: file, line: error.line, "not well-formed XML: \(error.message)")
        }
        var config = DotNetConfig(source: SourceRef(file: file, line: root.line))
        for settings in root.children("appSettings") {
            for add in settings.children("add") {
                guard let key = attribute(add, "key") else { continue }
                config.appSettings[key] = attribute(add, "value") ?? ""
            }
        }
        if let proxyParent = root.child("system.net")?.child("defaultProxy") {
            config.proxyEnabled = attribute(proxyParent, "enabled").flatMap(bool)
            if let proxy = proxyParent.child("proxy") {
                config.proxyAddress = attribute(proxy, "proxyaddress")
                config.proxyUsesSystemDefault = attribute(proxy, "usesystemdefault").flatMap(bool)
                config.proxyBypassOnLocal = attribute(proxy, "bypassonlocal").flatMap(bool)
                config.source.line = proxy.line
            }
        }
        return config
    }

    /// An attribute by name, case-insensitively.
    static func attribute(_ element: XMLElement, _ name: String) -> String? {
        if let exact = element[name] { return exact }
        let wanted = name.lowercased()
        return element.attributes.first { $0.key.lowercased() == wanted }?.value
    }

    private static func bool(_ text: String) -> Bool? {
        switch text.trimmed().lowercased() {
        case "true", "1": true
        case "false", "0": false
        default: nil
        }
    }
}
