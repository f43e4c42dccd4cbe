import Foundation

/// One usage record: a row of `LicUsageLog.<GUID>.csv` or of the store's `Usage` table (§3).
public struct UsageRecord: Sendable, Equatable, Hashable, Codable {
    /// The 21 columns, in the order of the CSV header.
    public static let columns = [
        "UltimateId", "PrincipalId", "ProductId", "UsageCountryISO", "FeatureString", "IMSId",
        "MachineName", "ComputerSID", "Username", "UserSID", "PolicyId", "ProductVersion",
        "ProjectId", "CorrelationId", "LogVersion", "LogPostingSource", "UsageType",
        "StartTimeUTC", "EndTimeUTC", "EntryDate", "PartitionId",
    ]

    /// Other client versions' names for the same columns (CLIENT-MODEL §12: the 19-column
    /// `Usage`, the `Feature` table and `LicFeatureLog.<GUID>.csv`): alias → column of `columns`.
    /// A record takes the alias only when its own column is absent.
    public static let columnAliases: [String: String] = [
        "UltimateSAPId": "UltimateId", "Country": "UsageCountryISO", "MachineSID": "ComputerSID",
        "EventTime": "StartTimeUTC", "StartDate": "StartTimeUTC", "EndDate": "EndTimeUTC",
        "SchemaVersion": "LogVersion",
    ]

    /// `UltimateId`.
    public var ultimateId: String?
    /// `PrincipalId`.
    public var principalId: String?
    /// `ProductId`, when numeric.
    public var productId: Int?
    /// `UsageCountryISO`: the country the usage counts in.
    public var usageCountryISO: String?
    /// `FeatureString`.
    public var featureString: String?
    /// `IMSId`: the user GUID.
    public var imsId: String?
    /// `MachineName`.
    public var machineName: String?
    /// `ComputerSID`.
    public var computerSID: String?
    /// `Username`.
    public var username: String?
    /// `UserSID`.
    public var userSID: String?
    /// `PolicyId`.
    public var policyId: String?
    /// `ProductVersion` (may be packed: `1000200030004`).
    public var productVersion: String?
    /// `ProjectId`.
    public var projectId: String?
    /// `CorrelationId`.
    public var correlationId: String?
    /// `LogVersion`.
    public var logVersion: String?
    /// `LogPostingSource`.
    public var logPostingSource: String?
    /// `UsageType`: Production, Trial, Evaluation.
    public var usageType: String?
    /// `StartTimeUTC`.
    public var startTimeUTC: Date?
    /// `EndTimeUTC`.
    public var endTimeUTC: Date?
    /// `EntryDate`.
    public var entryDate: Date?
    /// `PartitionId`.
    public var partitionId: String?
    /// Where it was read from.
    public var source: SourceRef

    /// Creates an empty record read from `source`; set the fields one by one.
    public init(source: SourceRef) {
        self.source = source
    }
}

/// One running process, from `tasklist /v /fo csv`.
public struct ProcessEntry: Sendable, Equatable, Hashable, Codable {
    /// `Image Name`, e.g. `Bentley.Licensing.Service.exe`.
    public var imageName: String
    /// `PID`.
    public var pid: Int?
    /// `Session Name`, e.g. `Services`, `Console`.
    public var sessionName: String?
    /// `User Name`.
    public var user: String?
    /// `Window Title`.
    public var windowTitle: String?
    /// Where it was read from.
    public var source: SourceRef

    /// Creates a process entry.
    public init(imageName: String, pid: Int? = nil, sessionName: String? = nil, user: String? = nil,
                windowTitle: String? = nil, source: SourceRef) {
        self.imageName = imageName
        self.pid = pid
        self.sessionName = sessionName
        self.user = user
        self.windowTitle = windowTitle
        self.source = source
    }
}

/// One Windows event from a `wevtutil qe … /f:xml` export (CLIENT-MODEL §7).
public struct SystemEvent: Sendable, Equatable, Hashable, Codable {
    /// The log: `"Application"` or `"System"`.
    public var log: String
    /// `System/Provider@Name`, e.g. "Application Error", "Service Control Manager".
    public var provider: String
    /// `System/EventID`, e.g. 1000, 1026, 7031, 7034.
    public var eventId: Int
    /// `System/Level` (1 critical, 2 error, 3 warning, 4 information).
    public var level: Int?
    /// `System/TimeCreated@SystemTime`.
    public var timeCreated: Date?
    /// `System/Computer`.
    public var computer: String?
    /// The `EventData/Data` values in order.
    public var data: [String]
    /// Where it was read from.
    public var source: SourceRef

    /// Creates an event.
    public init(log: String, provider: String, eventId: Int, level: Int? = nil, timeCreated: Date? = nil,
                computer: String? = nil, data: [String] = [], source: SourceRef) {
        self.log = log
        self.provider = provider
        self.eventId = eventId
        self.level = level
        self.timeCreated = timeCreated
        self.computer = computer
        self.data = data
        self.source = source
    }

    /// Whether any data value mentions `text`, case-insensitively (e.g. an executable's name).
    public func mentions(_ text: String) -> Bool {
        data.contains { $0.range(of: text, options: .caseInsensitive) != nil }
    }
}

/// One log entry: a stamped line and the continuation lines folded into it (CLIENT-MODEL §9).
public struct LogEntry: Sendable, Equatable, Hashable, Codable {
    /// When it was written, in UTC; nil when the line had no usable stamp.
    public var time: Date?
    /// The level as written, upper-cased (`INFO`, `ERROR`…).
    public var level: String?
    /// The thread, from `[12]`.
    public var thread: String?
    /// The logger, e.g. `Bentley.Licensing.Service.PolicyManager`.
    public var logger: String?
    /// The message: the rest of the first line.
    public var message: String
    /// Following lines without a stamp (stack traces), in order.
    public var continuation: [String]
    /// The component, from `Logs/<component>/`, e.g. "Licensing Service".
    public var component: String
    /// The file and the line the entry starts on.
    public var source: SourceRef
    /// Whether a line was cut at the length limit or continuation lines were dropped.
    public var isTruncated: Bool

    /// Creates an entry.
    public init(time: Date?, level: String? = nil, thread: String? = nil, logger: String? = nil,
                message: String, continuation: [String] = [], component: String, source: SourceRef,
                isTruncated: Bool = false) {
        self.time = time
        self.level = level
        self.thread = thread
        self.logger = logger
        self.message = message
        self.continuation = continuation
        self.component = component
        self.source = source
        self.isTruncated = isTruncated
    }
}
