import Foundation
import LicensingModel

/// Reads `LicUsageLog.<GUID>.csv` and `LicFeatureLog.<GUID>.csv` (CLIENT-MODEL §3, §12): the
/// usage columns by header name, under any client version's names (`UsageRecord.columnAliases`).
public enum UsageLogParser {
    /// The records; unknown columns are ignored, missing ones read as nil.
    public static func parse(_ data: Data, file: String) throws -> Parsed<[UsageRecord]> {
        guard let table = CSVTable(CSVReader(data: data)) else {
            throw ParseError(.empty, file: file, "the usage log is empty")
        }
        let known = Set((UsageRecord.columns + UsageRecord.columnAliases.keys).map { $0.lowercased() })
        guard table.header.contains(where: { known.contains($0.lowercased()) }) else {
            throw ParseError(.unrecognized, file: file, line: 1,
                             "not a usage log: none of the usage columns (ProductId, UsageCountryISO, …) in the header")
        }
        var warnings: [ParseError] = []
        let records = table.rows.map { row -> UsageRecord in
            if row.fields.count != table.header.count {
                warnings.append(ParseError(.unrecognized, file: file, line: row.line,
                                           "\(row.fields.count) fields under a \(table.header.count)-column header"))
            }
            var columns: [String: String] = [:]
            for name in UsageRecord.columns + UsageRecord.columnAliases.keys { columns[name] = table.field(row, name) }
            return record(columns: columns, source: SourceRef(file: file, line: row.line))
        }
        return Parsed(value: records, warnings: warnings)
    }

    /// A record from named columns (CSV fields or a `Usage` table row); names match in any case.
    public static func record(columns: [String: String], source: SourceRef) -> UsageRecord {
        var lowered: [String: String] = [:]
        for (key, value) in columns where !value.isEmpty { lowered[key.lowercased()] = value }
        let aliases = Dictionary(grouping: UsageRecord.columnAliases.keys) { UsageRecord.columnAliases[$0] ?? $0 }
        func text(_ name: String) -> String? {
            lowered[name.lowercased()] ?? aliases[name]?.sorted().lazy.compactMap { lowered[$0.lowercased()] }.first
        }
        var record = UsageRecord(source: source)
        record.ultimateId = text("UltimateId")
        record.principalId = text("PrincipalId")
        record.productId = text("ProductId").flatMap { Int($0.trimmed()) }
        record.usageCountryISO = text("UsageCountryISO")
        record.featureString = text("FeatureString")
        record.imsId = text("IMSId")
        record.machineName = text("MachineName")
        record.computerSID = text("ComputerSID")
        record.username = text("Username")
        record.userSID = text("UserSID")
        record.policyId = text("PolicyId")
        record.productVersion = text("ProductVersion")
        record.projectId = text("ProjectId")
        record.correlationId = text("CorrelationId")
        record.logVersion = text("LogVersion")
        record.logPostingSource = text("LogPostingSource")
        record.usageType = text("UsageType")
        record.startTimeUTC = text("StartTimeUTC").flatMap(LicensingDate.parse)
        record.endTimeUTC = text("EndTimeUTC").flatMap(LicensingDate.parse)
        record.entryDate = text("EntryDate").flatMap(LicensingDate.parse)
        record.partitionId = text("PartitionId")
        return record
    }
}
