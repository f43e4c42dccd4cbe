import Diagnosis
import Foundation

/// Two bundles of one machine compared: `loganalyze compare OLD NEW`, made when a ticket's second
/// bundle comes after the user tried the fix.
///
/// It says which causes were resolved, which are new and which persist (with the confidence
/// before → after), what changed on the machine (CC version, the policy, product statuses,
/// sign-in, offline grace, checkouts) and the verdict before → after. A cause is a finding of
/// `Diagnoser.causeThreshold` (0.5) or more, as in a report; a finding below it is not a cause.
/// Like `Report`, it presents what the two diagnoses concluded and judges nothing itself.
public struct Comparison: Sendable, Equatable {
    /// The comparison's JSON version (`docs/comparison.schema.json`).
    public static let currentSchemaVersion = 1

    /// One bundle of the two.
    public struct Side: Sendable, Equatable {
        /// Its report.
        public var report: Report
        /// Its machine state.
        public var machine: MachineState

        /// Creates a side.
        public init(report: Report, machine: MachineState) {
            self.report = report
            self.machine = machine
        }

        /// `WS-JDOE-01 / jdoe`, with `?` for what the bundle does not name.
        public var identity: String { "\(report.bundle.host ?? "?") / \(report.bundle.user ?? "?")" }
    }

    /// How a cause fared between the two bundles.
    public enum CauseStatus: String, Sendable, Equatable, CaseIterable {
        /// A cause in OLD that is not one in NEW.
        case resolved
        /// A cause in NEW that was not one in OLD.
        case new
        /// A cause in both.
        case persisting
    }

    /// One cause and how it fared.
    public struct CauseChange: Sendable, Equatable {
        /// The cause code, e.g. `offline-expired`.
        public var cause: String
        /// Resolved, new or persisting.
        public var status: CauseStatus
        /// Its title (NEW's wording when it is there).
        public var title: String
        /// What to do (NEW's), for a new or persisting cause.
        public var fix: String
        /// The confidence in OLD; nil when OLD has no finding of it.
        public var before: Double?
        /// The confidence in NEW; nil when NEW has no finding of it.
        public var after: Double?
        /// For a resolved cause: why NEW has no such cause (`ruled out: …`, `not checked: …`).
        public var why: String?
    }

    /// One fact of the machine, before and after.
    public struct MachineChange: Sendable, Equatable {
        /// A stable key, e.g. `policy.expiresOn`, `product 1000`.
        public var field: String
        /// How people name it, e.g. `Policy expires`.
        public var label: String
        /// OLD's value; nil when unknown or absent.
        public var before: String?
        /// NEW's value; nil when unknown or absent.
        public var after: String?
        /// Whether the two differ.
        public var changed: Bool { before != after }
    }

    /// The older bundle, as the user named it first.
    public var old: Side
    /// The newer bundle.
    public var new: Side
    /// Every cause of either bundle: resolved, then new, then persisting; each by confidence.
    public var causes: [CauseChange]
    /// The machine's facts, changed or not, in a fixed order.
    public var machine: [MachineChange]
    /// What the reader should know before trusting the comparison (OLD collected after NEW,
    /// bundles of different machines compared with `--force`, a damaged bundle), one line each.
    public var warnings: [String]

    /// The causes with this status.
    public func causes(_ status: CauseStatus) -> [CauseChange] { causes.filter { $0.status == status } }

    /// Whether the two bundles name different machines or users (only when both name them).
    public static func identityConflict(_ old: Report.BundleInfo, _ new: Report.BundleInfo) -> Bool {
        func differ(_ a: String?, _ b: String?) -> Bool {
            guard let a, let b else { return false }
            return a.caseInsensitiveCompare(b) != .orderedSame
        }
        return differ(old.host, new.host) || differ(old.user, new.user)
    }

    /// Compares two analysed bundles; `forced` says the user accepted different identities.
    public init(old: Side, new: Side, forced: Bool = false) {
        self.old = old
        self.new = new
        causes = Self.causeChanges(old.report, new.report)
        machine = Self.machineChanges(old, new)
        warnings = Self.warnings(old.report, new.report, forced: forced)
    }

    private static func causeChanges(_ old: Report, _ new: Report) -> [CauseChange] {
        let threshold = Diagnoser.causeThreshold
        func finding(_ code: String, in report: Report) -> Finding? { report.findings.first { $0.cause == code } }
        var codes: [String] = []
        for finding in old.findings + new.findings where finding.confidence >= threshold && !codes.contains(finding.cause) {
            codes.append(finding.cause)
        }
        let changes = codes.map { code -> CauseChange in
            let before = finding(code, in: old)
            let after = finding(code, in: new)
            let wasCause = (before?.confidence ?? 0) >= threshold
            let isCause = (after?.confidence ?? 0) >= threshold
            let status: CauseStatus = wasCause && isCause ? .persisting : wasCause ? .resolved : .new
            var why: String?
            if status == .resolved {
                if let ruledOut = new.ruledOut.first(where: { $0.cause == code }) {
                    why = "ruled out: \(ruledOut.why)"
                } else if let notChecked = new.notChecked.first(where: { $0.cause == code }) {
                    why = "not checked: \(notChecked.why)"
                } else if let after {
                    why = "below 50% now: \(after.title)"
                }
            }
            let shown = after ?? before
            return CauseChange(cause: code, status: status, title: shown?.title ?? code, fix: shown?.fix ?? "",
                               before: before?.confidence, after: after?.confidence, why: why)
        }
        let order: [CauseStatus] = [.resolved, .new, .persisting]
        return changes.enumerated().sorted { a, b in
            let (ka, kb) = (order.firstIndex(of: a.element.status) ?? 0, order.firstIndex(of: b.element.status) ?? 0)
            if ka != kb { return ka < kb }
            let (ca, cb) = (max(a.element.before ?? 0, a.element.after ?? 0), max(b.element.before ?? 0, b.element.after ?? 0))
            return ca != cb ? ca > cb : a.offset < b.offset
        }.map(\.element)
    }

    private static func machineChanges(_ old: Side, _ new: Side) -> [MachineChange] {
        func date(_ value: Date?) -> String? { value.map(ReportDate.iso) }
        func signedIn(_ value: Bool?) -> String? { value.map { $0 ? "signed in" : "signed out" } }
        func checkouts(_ state: MachineState) -> String? {
            state.checkouts.isEmpty ? nil : state.checkouts.map(\.summary).joined(separator: "; ")
        }
        let (a, b) = (old.machine, new.machine)
        var rows = [
            MachineChange(field: "ccVersion", label: "CONNECTION Client", before: a.ccVersion, after: b.ccVersion),
            MachineChange(field: "policy.id", label: "Policy", before: a.policy?.id, after: b.policy?.id),
            MachineChange(field: "policy.createdOn", label: "Policy created", before: date(a.policy?.createdOn), after: date(b.policy?.createdOn)),
            MachineChange(field: "policy.expiresOn", label: "Policy expires", before: date(a.policy?.expiresOn), after: date(b.policy?.expiresOn)),
            MachineChange(field: "signedIn", label: "Sign-in", before: signedIn(a.signedIn), after: signedIn(b.signedIn)),
            MachineChange(field: "offlineGraceStart", label: "Offline since", before: date(a.offlineGraceStart), after: date(b.offlineGraceStart)),
            MachineChange(field: "checkouts", label: "Checkouts", before: checkouts(a), after: checkouts(b)),
        ]
        // Products by ID and feature string, in OLD's order, then NEW's others.
        func key(_ product: Report.Product) -> String { "\(product.productId)" + (product.featureString.isEmpty ? "" : " \(product.featureString)") }
        var keys: [String] = []
        for product in old.report.products + new.report.products where !keys.contains(key(product)) { keys.append(key(product)) }
        for productKey in keys {
            let before = old.report.products.first { key($0) == productKey }
            let after = new.report.products.first { key($0) == productKey }
            let name = (after ?? before)?.displayName ?? productKey
            rows.append(MachineChange(field: "product \(productKey)", label: name, before: before?.spokenStatus, after: after?.spokenStatus))
        }
        return rows
    }

    private static func warnings(_ old: Report, _ new: Report, forced: Bool) -> [String] {
        var lines: [String] = []
        if let before = old.bundle.collectedAt, let after = new.bundle.collectedAt, before > after {
            lines.append("OLD was collected after NEW (\(ReportDate.readable(before)) > \(ReportDate.readable(after))): "
                         + "the bundles may be the wrong way round")
        } else if let before = old.bundle.collectedAt, let after = new.bundle.collectedAt, before == after {
            lines.append("OLD and NEW were collected at the same time (\(ReportDate.readable(before)))")
        }
        if forced && identityConflict(old.bundle, new.bundle) {
            lines.append("the bundles are of different machines or users (compared with --force)")
        } else if old.bundle.host == nil || new.bundle.host == nil {
            lines.append("a bundle has no manifest naming its machine: they may not be of the same machine")
        }
        if let oldCase = old.bundle.caseNumber, let newCase = new.bundle.caseNumber, oldCase != newCase {
            lines.append("the bundles were collected for different cases (\(oldCase), \(newCase))")
        }
        for (name, report) in [("OLD", old), ("NEW", new)] where report.damaged {
            lines.append("\(name) is damaged: its causes may be understated (\(report.damage.first ?? "damaged"))")
        }
        return lines
    }
}
