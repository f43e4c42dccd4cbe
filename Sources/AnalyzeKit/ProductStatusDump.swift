import Foundation
import LicensingModel
import XMLKit

/// Reads logcollect's dump of the Licensing Tool's Product Status tab (`product-status.xml`).
enum ProductStatusDump {
    static func parse(_ data: Data, file: String) throws -> [ProductStatusEntry] {
        guard let root = try XMLPullReader(data: data, name: file, options: .init(maxDepth: 16)).readElement() else { return [] }
        return root.children("Product").map { row in
            let raw = row["status"] ?? row["statusCode"] ?? ""
            let status = LicenseStatus(name: raw) ?? row["statusCode"].flatMap(Int.init).flatMap(LicenseStatus.init(code:))
            return ProductStatusEntry(productId: row["productId"].flatMap(Int.init), featureString: row["featureString"] ?? "",
                                      status: status, rawStatus: raw, daysRemaining: row["daysRemaining"].flatMap(Int.init),
                                      source: SourceRef(file: file, line: row.line))
        }
    }
}

/// Windows time-zone names (`TimeZoneKeyName`) to IANA zones, for zone-less log stamps.
enum WindowsTimeZone {
    static func zone(for name: String) -> TimeZone? {
        table[name.trimmed()].flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: name)
    }

    private static let table: [String: String] = [
        "UTC": "UTC", "GMT Standard Time": "Europe/London", "Greenwich Standard Time": "Atlantic/Reykjavik",
        "W. Europe Standard Time": "Europe/Berlin", "Romance Standard Time": "Europe/Paris",
        "Central Europe Standard Time": "Europe/Budapest", "Central European Standard Time": "Europe/Warsaw",
        "E. Europe Standard Time": "Europe/Chisinau", "FLE Standard Time": "Europe/Kiev", "GTB Standard Time": "Europe/Bucharest",
        "Russian Standard Time": "Europe/Moscow", "Turkey Standard Time": "Europe/Istanbul",
        "Eastern Standard Time": "America/New_York", "Central Standard Time": "America/Chicago",
        "Mountain Standard Time": "America/Denver", "US Mountain Standard Time": "America/Phoenix",
        "Pacific Standard Time": "America/Los_Angeles", "Alaskan Standard Time": "America/Anchorage",
        "Hawaiian Standard Time": "Pacific/Honolulu", "Atlantic Standard Time": "America/Halifax",
        "Canada Central Standard Time": "America/Regina", "E. South America Standard Time": "America/Sao_Paulo",
        "SA Pacific Standard Time": "America/Bogota", "Central Standard Time (Mexico)": "America/Mexico_City",
        "South Africa Standard Time": "Africa/Johannesburg", "Arabian Standard Time": "Asia/Dubai",
        "India Standard Time": "Asia/Kolkata", "China Standard Time": "Asia/Shanghai", "Singapore Standard Time": "Asia/Singapore",
        "Tokyo Standard Time": "Asia/Tokyo", "Korea Standard Time": "Asia/Seoul",
        "AUS Eastern Standard Time": "Australia/Sydney", "W. Australia Standard Time": "Australia/Perth",
        "New Zealand Standard Time": "Pacific/Auckland",
    ]
}
