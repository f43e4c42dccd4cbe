import ArchiveKit
import Diagnosis
import Foundation
import LicensingModel
import LicensingParsers
import Signatures

/// Turns recognised bundle files into `Facts`, one file at a time, streaming logs.
///
/// Each kind of file has a size limit for reading it whole (a 100 MB "policy" is refused
/// with a message naming it); logs are never held whole. Problems are noted, never fatal.
final class FactsCollector {
    private let threads: Analyzer.Threads
    /// The known-issue signatures matched on every log, and what they matched.
    private let signatures: SignatureSet
    private(set) var signatureHits = SignatureHits()
    private(set) var facts = Facts()
    private(set) var unrecognized: [String] = []
    /// Whose bundle this is, as its manifest says; empty without a manifest.
    private(set) var identity = BundleIdentity()
    private var hklm: RegistryExport?
    private var hkcu: RegistryExport?
    private var config: DotNetConfig?
    private var systemInfoClient: ClientInfo?
    private var manifestTime: Date?
    private var systemInfoTime: Date?
    private var newestLogStamp: Date?
    private var newestEntryTime: Date?
    private var sawEntitlements = false
    private var sawProductStatus = false
    private var sawStore = false
    /// The licensing stores read (client versions name them differently; a bundle may hold two).
    private var stores: [LicensingStore] = []
    private var timeZone = TimeZone(identifier: "UTC") ?? .current
    /// Log observations: the first and the newest few of each kind, however long the logs.
    private var observations = ObservationKeeper()

    static let limits: [FileKind: Int] = [
        .store: 128 << 20, .policy: 16 << 20, .checkout: 16 << 20, .events: 64 << 20, .registry: 16 << 20,
        .usage: 32 << 20, .tasklist: 8 << 20,
    ]
    static let defaultLimit = 8 << 20

    init(threads: Analyzer.Threads = .several, signatures: SignatureSet = .none) {
        self.threads = threads
        self.signatures = signatures
    }

    /// Reads one file of the bundle.
    ///
    /// What a file of the bundle was recognised as, from its first bytes.
    private enum Recognition: Equatable {
        /// Too few bytes seen yet to tell.
        case undecided
        /// A file the analyser does not read (listed in the report's `unrecognized`).
        case unrecognised
        /// A file of this kind.
        case known(FileKind)
    }

    /// A log is parsed as it inflates (`LogParseJob`: on a thread of its own through a bounded
    /// pipe, unless the analysis keeps to one thread); other files are read whole, up to their
    /// kind's limit, and parsed.
    func add(_ file: BundleFile) {
        if let modified = file.modified, modified > (newestEntryTime ?? .distantPast) { newestEntryTime = modified }
        var head = Data()
        var kind = Recognition.undecided
        var whole = Data()
        var log: LogParseJob?
        var limit = Self.defaultLimit
        var tooLarge = false
        // Analysed on two cores, a ZIP entry's CRC-32 is checked here, not by the inflating
        // thread: a log's by its parser (on the core with time to spare), the rest's as it comes
        // (unless the reader checks it itself: a small entry it inflates whole).
        let checksHere = threads == .several && file.leavesChecksumToCaller
        var crc = CRC32()
        var check: BundleFile.DeferredChecksum?
        func consume(_ bytes: UnsafeRawBufferPointer) throws {
            if let log {
                try log.feed(bytes)
            } else if whole.count + bytes.count <= limit {
                whole.append(contentsOf: bytes)
            } else {
                tooLarge = true
            }
        }
        func decide() throws {
            // The first chunk may be large (256 KB); 64 KB of it tells any kind (a manifest's
            // formatVersion key sorts after its entries, past the first few KB).
            let recognised = FileKind.recognise(path: file.path, head: head.prefix(65_536))
            kind = recognised.map(Recognition.known) ?? .unrecognised
            if recognised == .log {
                facts.logFileCount += 1
                log = LogParseJob(file: file, timeZone: timeZone, threaded: threads == .several, summing: checksHere,
                                  signatures: signatures)
            }
            if let recognised { limit = Self.limits[recognised] ?? Self.defaultLimit }
            try head.withUnsafeBytes { try consume($0) }
        }
        func take(_ chunk: UnsafeRawBufferPointer) throws {
            if checksHere, log == nil { crc.update(chunk) }  // a log sums up what it is fed
            if tooLarge { return }
            switch kind {
            case .undecided:
                head.append(contentsOf: chunk)
                if head.count >= 4096 { try decide() }
            case .unrecognised:
                return  // skip the rest
            case .known:
                try consume(chunk)
            }
        }
        do {
            if checksHere {
                check = try file.streamDeferringChecksum(take)
            } else {
                try file.stream(take)
            }
            if kind == .undecided { try decide() }
        } catch {
            facts.readProblems.append(BundleError.line(file.path, error))
        }
        func verify(_ computed: CRC32) {
            do {
                try check?.verify(computed)
            } catch {
                facts.readProblems.append(BundleError.line(file.path, error))
            }
        }
        if let log {
            let result = log.finish()
            if let checksum = result.checksum { verify(checksum) }
            observations.merge(result.observations)
            signatureHits.merge(result.signatureHits)
            if let newest = result.newestStamp, newest > (newestLogStamp ?? .distantPast) { newestLogStamp = newest }
            return
        }
        verify(crc)
        guard case .known(let recognised) = kind else {
            if !head.isEmpty { unrecognized.append(file.path) }  // an empty file says nothing
            return
        }
        if tooLarge {
            facts.readProblems.append("\(file.path): larger than the \(limit >> 20) MB limit for a \(recognised.rawValue) file; not read")
            return
        }
        do {
            try parse(whole, kind: recognised, path: file.path)
        } catch {
            facts.readProblems.append(BundleError.line(file.path, error))
        }
    }

    private func parse(_ data: Data, kind: FileKind, path: String) throws {
        switch kind {
        case .manifest:
            let manifest = try Manifest.decode(from: data)
            manifestTime = LicensingDate.parse(manifest.collectedAt)
            if let zone = manifest.timeZone { useTimeZone(zone) }
            identity = BundleIdentity(host: manifest.host, user: manifest.user, caseNumber: manifest.caseNumber)
            facts.readProblems += manifest.skippedSources.map { "\(path): \($0)" }
        case .systemInfo:
            struct SystemInfo: Decodable { var collectedAt: String?; var client: ClientInfo? }
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .custom { decoder in
                let text = try decoder.singleValueContainer().decode(String.self)
                guard let date = LicensingDate.parse(text) else {
                    throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a date: \(text)"))
                }
                return date
            }
            let info = try decoder.decode(SystemInfo.self, from: data)
            systemInfoTime = info.collectedAt.flatMap(LicensingDate.parse)
            systemInfoClient = info.client
            if let zone = info.client?.timeZoneKeyName { useTimeZone(zone) }
        case .policy:
            facts.policies.append(try PolicyDecoder.policy(from: data, file: path))
        case .checkout:
            facts.checkouts.append(try checkout(data, path: path))
        case .registry:
            let parsed = try RegistryExportParser.parse(data, file: path)
            facts.readProblems += parsed.warnings.map(\.description)
            let export = parsed.value
            if export.keys.contains(where: { $0.path.uppercased().hasPrefix("HKEY_CURRENT_USER") }) { hkcu = export } else { hklm = export }
            if let zone = export.value(key: RegistryKeys.timeZone, name: "TimeZoneKeyName")?.text { useTimeZone(zone) }
        case .tasklist:
            facts.processes = (facts.processes ?? []) + (try TasklistParser.parse(data, file: path))
        case .events:
            let parsed = try EventExportParser.parse(data, file: path, log: path.lowercased().contains("system") ? "System" : "Application")
            facts.events += parsed.value
            facts.readProblems += parsed.warnings.map(\.description)
        case .dotNetConfig:
            if path.lowercased().contains("connect.client") || config == nil { config = try DotNetConfigParser.parse(data, file: path) }
        case .store:
            try readStore(data, path: path)
        case .usage:
            let parsed = try UsageLogParser.parse(data, file: path)
            facts.usageRecords += parsed.value
        case .featureLevels:
            facts.featureLevelDefaults = (facts.featureLevelDefaults ?? []) + (try FeatureLevelSelectorParser.parse(data, file: path).value)
        case .entitlements:
            sawEntitlements = true
        case .productStatus:
            sawProductStatus = true
            facts.productStatuses += try LicensingToolDump.productStatuses(from: data, file: path)
        case .connectClient:
            facts.connectClient = try ConnectClientParser.parse(data, file: path)
        case .log:
            break  // streamed
        }
    }

    /// A `.belic`, or logcollect's decoded checkout summary (`{"kind":"checkout", …, "policy":{…}}`).
    private func checkout(_ data: Data, path: String) throws -> Checkout {
        if let summary = CheckoutSummary.decode(from: data) {
            var checkout = try PolicyDecoder.checkout(from: try summary.policy.data(), file: path)
            checkout.certificatePresent = summary.certificatePresent
            if let machine = summary.machineName { checkout.machineName = machine }
            return checkout
        }
        return try PolicyDecoder.checkout(from: data, file: path)
    }

    private func readStore(_ data: Data, path: String) throws {
        sawStore = true
        let store = try LicensingStore(data: data, file: path)
        facts.readProblems += store.problems
        stores.append(store)
    }

    /// The facts of the stores read: every policy, checkout and usage record; the Policy rows and
    /// offline grace of the store whose newest policy is the newest (the one the client uses).
    /// Two stores are named in a note, with the one used.
    private func addStores(to facts: inout Facts) {
        guard let used = LicensingStore.inUse(stores) else { return }
        for store in stores {
            facts.readProblems += store.layoutNotes
            facts.policies += store.policies
            facts.checkouts += store.checkouts
            facts.usageRecords += store.usage
        }
        facts.storedPolicyRows = used.policyRows
        facts.undecodablePolicies = used.undecodable.map { ($0.source, $0.reason) }
        facts.storeRowCounts = used.rowCounts
        facts.storeSource = SourceRef(file: used.file)
        if let start = used.offlineGraceStart {
            facts.offlineGraceStart = start
            facts.offlineGraceSource = SourceRef(file: used.file, row: "OfflineGrace")
        }
        if stores.count > 1 {
            let described = stores.map { store in
                "\(store.file) (" + (store.currentPolicy.map { "policy \($0.policyId ?? "?") created \($0.createdOn.map(LicensingDate.format) ?? "?")" } ?? "no policy") + ")"
            }
            facts.readProblems.append("\(stores.count) licensing stores: \(described.joined(separator: ", ")); "
                                      + "the one with the newest policy is used: \(used.file)")
        }
    }

    private func useTimeZone(_ windowsName: String) {
        if let zone = WindowsTimeZone.zone(for: windowsName) { timeZone = zone }
    }

    /// Completes the facts: client info, collection time, what is missing.
    func finish(versions: VersionTable) -> Facts {
        var result = facts
        addStores(to: &result)
        result.versions = versions
        if hklm != nil || hkcu != nil || config != nil {
            var info = ClientInfoExtractor.extract(hklm: hklm, hkcu: hkcu, config: config)
            if info.ccVersion == nil { info.ccVersion = systemInfoClient?.ccVersion }
            result.client = info
        } else {
            result.client = systemInfoClient
        }
        result.policies.sort { ($0.createdOn ?? .distantPast) > ($1.createdOn ?? .distantPast) }
        if let time = manifestTime { (result.collectedAt, result.collectedAtSource) = (time, .manifest) }
        else if let time = systemInfoTime { (result.collectedAt, result.collectedAtSource) = (time, .systemInfo) }
        else if let time = newestLogStamp { (result.collectedAt, result.collectedAtSource) = (time, .newestLogStamp) }
        else if let time = newestEntryTime { (result.collectedAt, result.collectedAtSource) = (time, .newestEntryTime) }
        // What the service itself answered comes before the collector's decided dump.
        if let products = result.connectClient?.licenseService?.products { result.productStatuses = products + result.productStatuses }
        result.logObservations = observations.all

        var missing: Set<MissingItem> = []
        if result.connectClient?.signedInEmail == nil { missing.insert(.email) }
        if result.client?.ccVersion == nil { missing.insert(.clientVersion) }
        if !sawEntitlements && result.policies.isEmpty { missing.insert(.entitlements) }
        if !sawProductStatus && result.productStatuses.isEmpty { missing.insert(.productStatus) }
        if result.logFileCount == 0 { missing.insert(.logs) }
        if result.policies.isEmpty && !sawStore { missing.insert(.policy) }
        result.missing = missing
        return result
    }
}
