import Foundation
import LicensingModel

/// A length of time for examples: `.days(10)`, `.hours(5)`, `.minutes(3)`.
public struct TimeSpan: Sendable, Equatable {
    /// The length in seconds.
    public var seconds: TimeInterval
    /// Creates a span of seconds.
    public init(seconds: TimeInterval) { self.seconds = seconds }
    public static func minutes(_ value: Double) -> TimeSpan { TimeSpan(seconds: value * 60) }
    public static func hours(_ value: Double) -> TimeSpan { TimeSpan(seconds: value * 3_600) }
    public static func days(_ value: Double) -> TimeSpan { TimeSpan(seconds: value * 86_400) }
}

/// Builds small `Facts` for rule examples and tests, one change per call.
///
/// `FactsBuilder.healthy` is a signed-in Windows 10 machine on the latest CC whose fresh policy
/// licenses MicroStation (1000) — no rule finds a cause in it; each example changes what its
/// cause needs. `FactsBuilder.empty` holds only the collection time. Times are relative to
/// `FactsBuilder.now`.
public struct FactsBuilder: Sendable {
    /// The facts built so far.
    public var facts: Facts

    /// The collection time of every example: 2026-11-20T10:00:00Z.
    public static let now = Date(timeIntervalSince1970: 1_795_168_800)
    /// The signed-in user.
    public static let userId = "5f2a8c1e-3b7d-4e9a-9c61-0d8e2f4a7b13"
    /// The user's organization.
    public static let organizationId = "0b6e5c3a-8f41-4d2e-9a7c-31e5d0c8f2a9"
    /// This machine.
    public static let computerName = "WS-0142"
    /// Where the examples' facts "came from".
    public static let policySource = SourceRef(file: "licensing/LicensingStore.db")
    public static let statusSource = SourceRef(file: "licensing/product-status.json")
    public static let logSource = SourceRef(file: "logs/Licensing Service/LicensingService.log")
    public static let hklm = SourceRef(file: "system/registry/HKLM.reg")

    /// Only the collection time.
    public static var empty: FactsBuilder {
        var facts = Facts()
        facts.collectedAt = now
        facts.collectedAtSource = .manifest
        return FactsBuilder(facts: facts)
    }

    /// A healthy machine: MicroStation (1000) requested, entitled and Ok.
    public static var healthy: FactsBuilder {
        empty
            .with {
                $0.client = ClientInfo(
                    ccVersion: VersionTable.default.latest, osProductName: "Windows 10 Pro",
                    osCurrentVersion: "6.3", osBuild: 19045, computerName: computerName,
                    timeZoneKeyName: "GMT Standard Time", geoCountry: "GB",
                    sources: ["ccVersion": hklm.at(line: 12), "osCurrentVersion": hklm.at(line: 20),
                              "computerName": hklm.at(line: 31),
                              "geoCountry": SourceRef(file: "system/registry/HKCU.reg", line: 8)])
                $0.storedPolicyRows = []
                $0.processes = ["System", "explorer.exe", "Bentley.Connect.Client.exe",
                                "Bentley.Licensing.Service.exe"].enumerated().map { index, name in
                    ProcessEntry(imageName: name, pid: 100 + index, source: SourceRef(file: "system/tasklist.csv", line: index + 2))
                }
                $0.processListSource = SourceRef(file: "system/tasklist.csv")
                $0.featureLevelDefaults = []
            }
            .signedIn(true)
            .policyAge(.hours(1))
            .entitled(1000, name: "MicroStation")
            .requesting("1000")
            .status(1000, .ok)
            .log(.policyRefreshed, "Policy refreshed.", ago: .hours(1))
            .usage(1000, country: "GB", ago: .hours(2))
    }

    /// Any change to the facts.
    public func with(_ change: (inout Facts) -> Void) -> FactsBuilder {
        var copy = self
        change(&copy.facts)
        return copy
    }

    /// Changes the current policy, creating an empty one (with its store row) when there is none.
    public func policy(_ change: (inout Policy) -> Void) -> FactsBuilder {
        with { facts in
            if facts.policies.isEmpty {
                facts.policies = [Self.basePolicy]
                facts.storedPolicyRows = [StoredPolicyRow(policyId: Self.basePolicy.policyId, userId: Self.userId,
                                                          expirationDate: nil, lastUpdateTime: nil,
                                                          source: Self.policySource)]
            }
            change(&facts.policies[0])
        }
    }

    /// No policy on the machine: an empty store.
    public func noPolicy() -> FactsBuilder {
        with {
            $0.policies = []
            $0.storedPolicyRows = []
        }
    }

    /// The bundle holds neither the store nor a policy file (the machine's policy is unknown).
    public func policyNotInBundle() -> FactsBuilder {
        with {
            $0.policies = []
            $0.storedPolicyRows = nil
        }
    }

    /// The policy was created `age` ago (and expires 7 days after); the client's clock agreed.
    public func policyAge(_ age: TimeSpan) -> FactsBuilder {
        policy {
            let created = Self.now.addingTimeInterval(-age.seconds)
            $0.createdOn = created
            $0.expiresOn = created.addingTimeInterval(7 * 86_400)
            $0.requestData?.clientDateTime = created.addingTimeInterval(-2)
        }
    }

    /// The client's clock was `offset` ahead (negative: behind) when it requested the policy.
    public func clientClock(offset: TimeSpan) -> FactsBuilder {
        policy { $0.requestData?.clientDateTime = $0.createdOn?.addingTimeInterval(offset.seconds) }
    }

    /// Adds a securable of the product and an ACL for it.
    public func entitled(_ productId: Int, name: String? = nil, feature: String = "",
                         access: AccessKind = .allowed, usageType: String? = nil, version: String? = nil,
                         expiresIn: TimeSpan? = nil, qualifiers: [Qualifier] = []) -> FactsBuilder {
        policy { policy in
            let id = "\(productId)-\(feature)-\(policy.securables.count)".lowercased()
            var overrides = qualifiers
            if let usageType { overrides.append(Qualifier(name: QualifierName.usageType, value: usageType)) }
            if let version { overrides.append(Qualifier(name: QualifierName.version, value: version)) }
            policy.securables.append(Securable(securableId: "SEC-\(id)".uppercased(), productId: productId,
                                               productName: name, featureString: feature))
            policy.acls.append(ACL(principalId: Self.userId, securableId: "sec-\(id)", accessKind: access,
                                   expiresOn: expiresIn.map { Self.now.addingTimeInterval($0.seconds) },
                                   qualifierOverrides: overrides))
        }
    }

    /// Removes the product from the policy and reports it NotEntitled.
    public func notEntitled(_ productId: Int) -> FactsBuilder {
        policy { $0.securables.removeAll { $0.productId == productId } }
            .status(productId, .notEntitled)
    }

    /// Adds a requested securable to the policy's request.
    public func requesting(_ rawProductId: String, feature: String = "", version: String? = nil) -> FactsBuilder {
        policy {
            $0.requestData?.requestedSecurables.append(
                RequestedSecurable(rawProductId: rawProductId, featureString: feature, version: version))
        }
    }

    /// Sets a default qualifier of the policy.
    public func qualifier(_ name: String, _ value: String) -> FactsBuilder {
        policy {
            $0.defaultQualifiers.removeAll { $0.name == name }
            $0.defaultQualifiers.append(Qualifier(name: name, value: value))
        }
    }

    /// Sets the policy's usage country (`UserData.UsageCountryISO`).
    public func usageCountry(_ country: String?) -> FactsBuilder {
        policy { $0.userData?.usageCountryISO = country }
    }

    /// Sets the country the user is in (`Geo\Name`).
    public func geo(_ country: String?) -> FactsBuilder { with { $0.client?.geoCountry = country } }

    /// Sets the policy's organization and ultimate ids.
    public func account(organization: String?, ultimate: String?) -> FactsBuilder {
        policy {
            $0.userData?.organizationId = organization
            $0.userData?.ultimateId = ultimate
        }
    }

    /// Sets (replaces) a product's reported status; nil removes it.
    public func status(_ productId: Int, _ status: LicenseStatus?, feature: String = "") -> FactsBuilder {
        with { facts in
            facts.productStatuses.removeAll { $0.productId == productId && $0.featureString == feature }
            if let status {
                facts.productStatuses.append(ProductStatusEntry(productId: productId, featureString: feature,
                                                                status: status, source: Self.statusSource))
            }
        }
    }

    /// Sets the CC version and, when given, the OS `CurrentVersion` (`"6.1"` is Windows 7).
    public func cc(_ version: String?, os: String? = nil) -> FactsBuilder {
        with {
            $0.client?.ccVersion = version.flatMap(ClientVersion.init)
            if let os { $0.client?.osCurrentVersion = os }
        }
    }

    /// Sets what the CC API says about the sign-in; nil removes the CC API answer.
    public func signedIn(_ loggedIn: Bool?, userId: String = FactsBuilder.userId) -> FactsBuilder {
        with {
            guard let loggedIn else { return $0.connectClient = nil }
            $0.connectClient = ConnectClientState(
                isInstalled: true, isRunning: true, isLoggedIn: loggedIn, isUserSessionActive: loggedIn,
                signedInEmail: loggedIn ? "jane.doe@example.com" : nil, signedInUserId: loggedIn ? userId : nil,
                licenseService: .init(isInstalled: true, isRunning: true),
                source: SourceRef(file: "system/connect-client.json"))
        }
    }

    /// The client has been offline (offline grace running) since `since` ago.
    public func offline(since: TimeSpan) -> FactsBuilder {
        with {
            $0.offlineGraceStart = Self.now.addingTimeInterval(-since.seconds)
            $0.offlineGraceSource = SourceRef(file: "licensing/LicensingStore.db")
        }
    }

    /// Adds a checked-out license for the product on `machine`, ending `expiresIn` from now.
    public func checkout(_ productId: Int, machine: String = FactsBuilder.computerName,
                         expiresIn: TimeSpan) -> FactsBuilder {
        with {
            let end = Self.now.addingTimeInterval(expiresIn.seconds)
            let policy = Policy(policyId: "checkout-\(productId)", expiresOn: end,
                                requestData: RequestData(machineName: machine, userId: Self.userId),
                                acls: [ACL(securableId: "co-\(productId)", accessKind: .allowed, expiresOn: end)],
                                securables: [Securable(securableId: "CO-\(productId)", productId: productId)],
                                source: SourceRef(file: "licensing/Checkouts/\(Self.userId.uppercased())_\(machine).belic"))
            $0.checkouts.append(Checkout(policy: policy, certificatePresent: true, source: policy.source))
        }
    }

    /// Adds a log line `ago` before the collection time (nil: no stamp); keeps them in time order.
    public func log(_ signal: LogSignal, _ message: String, ago: TimeSpan?,
                    component: String = "Licensing Service") -> FactsBuilder {
        with {
            let line = ($0.logObservations.map { $0.entry.source.line ?? 0 }.max() ?? 0) + 1
            let entry = LogEntry(time: ago.map { Self.now.addingTimeInterval(-$0.seconds) }, level: "INFO",
                                 message: message, component: component, source: Self.logSource.at(line: line))
            $0.logObservations.append(LogObservation(signal: signal, entry: entry))
            $0.logObservations.sort { ($0.entry.time ?? .distantPast) < ($1.entry.time ?? .distantPast) }
            $0.logFileCount = max($0.logFileCount, 1)
        }
    }

    /// No logs in the bundle.
    public func noLogs() -> FactsBuilder {
        with {
            $0.logObservations = []
            $0.logFileCount = 0
        }
    }

    /// Sets the process list by image names; nil: the bundle has none.
    public func processes(_ names: [String]?) -> FactsBuilder {
        with {
            $0.processes = names?.enumerated().map { index, name in
                ProcessEntry(imageName: name, pid: 100 + index, source: SourceRef(file: "system/tasklist.csv", line: index + 2))
            }
        }
    }

    /// Starts or stops the Licensing Service: its process and what the CC API says.
    public func licensingService(running: Bool) -> FactsBuilder {
        let others = (facts.processes ?? []).map(\.imageName).filter { $0 != "Bentley.Licensing.Service.exe" }
        return processes(running ? others + ["Bentley.Licensing.Service.exe"] : others)
            .with { $0.connectClient?.licenseService?.isRunning = running }
    }

    /// Adds a Windows event `ago` before the collection time.
    public func event(_ log: String, _ provider: String, _ eventId: Int, data: [String], ago: TimeSpan) -> FactsBuilder {
        with {
            $0.events.append(SystemEvent(log: log, provider: provider, eventId: eventId, level: 2,
                                         timeCreated: Self.now.addingTimeInterval(-ago.seconds),
                                         computer: Self.computerName, data: data,
                                         source: SourceRef(file: "system/events/\(log).xml", line: $0.events.count + 1)))
        }
    }

    /// Sets a product's default feature level in the Feature Level Selector (nil: none set).
    public func featureDefault(_ productId: Int, _ feature: String?) -> FactsBuilder {
        with {
            $0.featureLevelDefaults = ($0.featureLevelDefaults ?? []).filter { $0.productId != productId }
                + [FeatureLevelDefault(productId: productId, defaultFeature: feature,
                                       source: SourceRef(file: "licensing/FeatureLevelSelector.xml", line: 2))]
        }
    }

    /// Adds a usage record of the product in `country`, `ago` before the collection time.
    public func usage(_ productId: Int, country: String, usageType: String = "Production", ago: TimeSpan) -> FactsBuilder {
        with {
            var record = UsageRecord(source: SourceRef(file: "licensing/LicUsageLog.csv", line: $0.usageRecords.count + 2))
            record.productId = productId
            record.usageCountryISO = country
            record.featureString = ""
            record.usageType = usageType
            record.imsId = Self.userId
            record.startTimeUTC = Self.now.addingTimeInterval(-ago.seconds)
            $0.usageRecords.append(record)
        }
    }

    /// Makes the product's entitlement a trial (`UsageType` Trial) whose ACL ends `expiresIn`
    /// from now, replacing its other entitlements.
    public func trial(_ productId: Int, name: String? = nil, expiresIn: TimeSpan) -> FactsBuilder {
        policy { policy in
            let ids = Set(policy.securables.filter { $0.productId == productId }.compactMap { $0.securableId?.lowercased() })
            policy.securables.removeAll { $0.productId == productId }
            policy.acls.removeAll { ids.contains($0.securableId?.lowercased() ?? "") }
        }
        .entitled(productId, name: name, usageType: "Trial", expiresIn: expiresIn)
    }

    /// Sets `HKCU\Software\Bentley` `BuddiRegionCode` (nil: absent).
    public func buddiRegion(_ code: String?) -> FactsBuilder {
        with {
            $0.client?.buddiRegionCode = code
            $0.client?.sources["buddiRegionCode"] = SourceRef(file: "system/registry/HKCU.reg", line: 14)
        }
    }

    /// Makes the policy an access-key (server-mode) one: `RequestData.AccessKey` set, an all-zero
    /// `UserData.UserId`, the organization kept.
    public func accessKeyPolicy() -> FactsBuilder {
        policy {
            $0.requestData?.accessKeyPresent = true
            $0.requestData?.userId = "00000000-0000-0000-0000-000000000000"
            $0.userData?.userId = "00000000-0000-0000-0000-000000000000"
        }
    }

    /// Sets what the CC API says about the terms of service (nil: it does not say).
    public func acceptedTerms(_ accepted: Bool?) -> FactsBuilder {
        with { $0.connectClient?.hasUserAcceptedEULA = accepted }
    }

    /// Makes the machine a terminal server: processes in remote sessions (`RDP-Tcp#3`,
    /// `ICA-CGP#1`) of several users, and `TSAppCompat` 1 when `appCompat`.
    public func terminalServer(sessions: [String] = ["RDP-Tcp#3", "RDP-Tcp#7"], appCompat: Bool = true) -> FactsBuilder {
        with { facts in
            var processes = facts.processes ?? []
            for (index, session) in sessions.enumerated() {
                processes.append(ProcessEntry(imageName: "Bentley.Connect.Client.exe", pid: 4_000 + index, sessionName: session,
                                              user: "EXAMPLE\\user\(index + 1)",
                                              source: SourceRef(file: "system/tasklist.csv", line: processes.count + 2)))
            }
            facts.processes = processes
            if appCompat {
                facts.client?.terminalServerAppCompat = true
                facts.client?.sources["terminalServerAppCompat"] = Self.hklm.at(line: 44)
            }
        }
    }

    /// Sets how many rows the store's tables hold (lower-case names); the Policy rows follow the policies.
    public func storeRows(_ counts: [String: Int]) -> FactsBuilder {
        with { $0.storeRowCounts = counts }
    }

    /// Marks items the bundle lacks.
    public func missing(_ items: MissingItem...) -> FactsBuilder { with { $0.missing.formUnion(items) } }

    private static var basePolicy: Policy {
        Policy(policyId: "7d0c4f7e-2a51-4b8e-8f4e-5c2d9b1a6e30", createdOn: now.addingTimeInterval(-3_600),
               expiresOn: now.addingTimeInterval(7 * 86_400 - 3_600),
               requestData: RequestData(machineName: computerName, userId: userId,
                                        clientDateTime: now.addingTimeInterval(-3_602)),
               appliesToUserId: userId,
               userData: UserData(userId: userId, organizationId: organizationId, usageCountryISO: "GB",
                                  ultimateId: organizationId),
               defaultQualifiers: [Qualifier(name: QualifierName.usageType, value: "Production"),
                                   Qualifier(name: QualifierName.allowOfflineUsage, value: "TRUE"),
                                   Qualifier(name: QualifierName.offlineDuration, value: "7"),
                                   Qualifier(name: QualifierName.policyInterval, value: "240")],
               source: policySource)
    }
}
