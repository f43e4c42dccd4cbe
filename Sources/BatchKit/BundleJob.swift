import AnalyzeKit
import Foundation
import Signatures
import LicensingModel
import Reporting

/// One bundle's line: reused from the index when its content and the rules are unchanged,
/// otherwise analysed. Never throws: a bundle that cannot be read is an error line.
///
/// A job keeps to the thread it runs on (`Analyzer.Threads.one`), so `--jobs N` keeps N cores
/// busy, no more; a line has no timeline, so none is built.
struct BundleJob: Sendable {
    /// How a line came about, for the closing message.
    enum Source: Sendable {
        case analysed, reused, outdated
    }

    /// The result of one bundle.
    struct Result: Sendable {
        /// The JSON line, with its `\n`.
        let line: Data
        let source: Source
    }

    let versions: VersionTable
    let rulesVersion: String
    let index: TriageIndex?
    var signatures: SignatureSet = .builtIn

    /// The line for `input`.
    func run(_ input: BatchInput) -> Result {
        if let problem = input.problem {
            return Result(line: BatchLine.encode(.failure(path: input.path, code: problem.code, message: problem.message), client: nil),
                          source: .analysed)
        }
        // The index is keyed by content, so with one the hash comes first; without, the analyser
        // hashes the bundle itself (once is enough).
        var sha256: String?
        var source = Source.analysed
        if let index {
            do {
                sha256 = try Analyzer.sha256(ofFile: input.path)
            } catch let error as BundleError {
                return failure(input.path, sha256: nil, error)
            } catch {
                return failure(input.path, sha256: nil, BundleError(.unreadable, input.path, "\(error)"))
            }
            if let sha256 {
                switch index.lookup(sha256: sha256, rulesVersion: rulesVersion, path: input.path) {
                case .current(let line, let path):
                    if path == input.path { return Result(line: line, source: .reused) }
                    if let moved = try? BatchLine.moved(line, to: input.path) { return Result(line: moved, source: .reused) }
                case .outdated: source = .outdated
                case .unknown: break
                }
            }
        }
        do {
            let outcome = try Analyzer.analyze(path: input.path, versions: versions, sha256: sha256,
                                               threads: .one, timeline: false, signatures: signatures)
            let client = ClientSummary(ccVersion: outcome.client?.ccVersion?.description,
                                       country: outcome.client?.geoCountry?.uppercased())
            return Result(line: BatchLine.encode(outcome.report, client: client), source: source)
        } catch let error as BundleError {
            return failure(input.path, sha256: sha256 ?? (try? Analyzer.sha256(ofFile: input.path)) ?? nil, error)
        } catch {
            let report = Report.failure(path: input.path, sha256: sha256, code: "analysis-failed", message: "\(input.path): \(error)")
            return Result(line: BatchLine.encode(report, client: nil), source: source)
        }
    }

    private func failure(_ path: String, sha256: String?, _ error: BundleError) -> Result {
        let report = Report.failure(path: path, sha256: sha256, code: error.code.rawValue, message: error.description)
        return Result(line: BatchLine.encode(report, client: nil), source: .analysed)
    }
}
