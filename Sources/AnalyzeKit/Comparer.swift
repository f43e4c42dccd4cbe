import Diagnosis
import Foundation
import LicensingModel
import Reporting

/// Compares two bundles of one machine: the one call behind `loganalyze compare OLD NEW`.
public enum Comparer {
    /// Two bundles of different machines or users, compared without `--force`.
    public struct IdentityMismatch: Error, CustomStringConvertible {
        /// OLD's bundle information.
        public let old: Report.BundleInfo
        /// NEW's bundle information.
        public let new: Report.BundleInfo

        /// One line naming whose each bundle is, and what to do.
        public var description: String {
            func whose(_ bundle: Report.BundleInfo) -> String {
                "\(bundle.host ?? "unknown machine") / \(bundle.user ?? "unknown user") (\(bundle.path))"
            }
            return "OLD is \(whose(old)), NEW is \(whose(new)): not the same machine and user; "
                + "add --force to compare them anyway"
        }
    }

    /// Analyses both bundles (at once, each on its own thread) and compares them.
    ///
    /// Throws `BundleError` when either cannot be read at all (OLD's first), and
    /// `IdentityMismatch` when their manifests name different machines or users and `force`
    /// is false. Neither analysis builds a timeline: a comparison shows none, and it costs.
    public static func compare(old: String, new: String, versions: VersionTable = .default,
                               force: Bool = false) throws -> Comparison {
        let paths = [old, new]
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            let result = Result { try Analyzer.analyze(path: paths[index], versions: versions, timeline: false) }
            results.set(index, result)
        }
        let before = try results.get(0)
        let after = try results.get(1)
        if !force && Comparison.identityConflict(before.report.bundle, after.report.bundle) {
            throw IdentityMismatch(old: before.report.bundle, new: after.report.bundle)
        }
        return Comparison(old: .init(report: before.report, machine: before.machine),
                          new: .init(report: after.report, machine: after.machine), forced: force)
    }

    /// The two analyses' results (`@unchecked Sendable`: each slot is written by one thread
    /// under the lock, and read after `concurrentPerform` has returned).
    private final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var slots: [Result<Analyzer.Outcome, any Error>?] = [nil, nil]

        func set(_ index: Int, _ result: Result<Analyzer.Outcome, any Error>) {
            lock.lock()
            slots[index] = result
            lock.unlock()
        }

        func get(_ index: Int) throws -> Analyzer.Outcome {
            lock.lock()
            defer { lock.unlock() }
            guard let slot = slots[index] else { throw CancellationError() }
            return try slot.get()
        }
    }
}
