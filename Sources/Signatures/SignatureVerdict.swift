import Diagnosis
import Foundation

/// A `note:` signature that matched: a known issue of its own, with what to do.
public struct SignatureNote: Sendable, Equatable {
    /// `note:ID`, as the file names it.
    public var id: String
    /// The signature that matched.
    public var signature: String
    /// One line: what the issue is.
    public var title: String
    /// What to do.
    public var fix: String
    /// Where support reads more.
    public var kb: String
    /// Lines that matched.
    public var count: Int
    /// The first few of them.
    public var evidence: [Evidence]
}

/// Turns signature hits into the diagnosis' findings and notes.
///
/// A signature that supports a cause adds its evidence (each quote prefixed `[signature ID]`)
/// to that cause's finding and raises its confidence by its weight — `Finding`'s initialiser
/// clamps it to 1. When the rules did not find the cause, the signature raises it alone, with
/// confidence = its weight, its title (or the rule's) and the rule's fix. Several signatures
/// of one cause add up. Findings are then ranked again (`Ranking.rank`): a raised cause may
/// come to explain others. A raised cause leaves `ruledOut` and `notChecked` (the log line
/// is evidence the rules could not see). The verdict stays the rules' (it is about products'
/// statuses, which a log line does not change).
public enum SignatureVerdict {
    /// The diagnosis with the cause signatures applied, and the notes of the `note:` ones (in
    /// the order of the set's files).
    public static func apply(_ hits: SignatureHits, signatures: SignatureSet, to diagnosis: Conclusion)
        -> (diagnosis: Conclusion, notes: [SignatureNote]) {
        guard !hits.isEmpty else { return (diagnosis, []) }
        var diagnosis = diagnosis
        var findings = diagnosis.findings
        var notes: [SignatureNote] = []
        for (index, hit) in hits.bySignature.sorted(by: { $0.key < $1.key }) {
            let signature = signatures.signatures[index]
            let evidence = hit.evidence.map {
                Evidence(file: $0.file, line: $0.line, excerpt: "[signature \(signature.id)] \($0.excerpt)")
            }
            switch signature.support {
            case .note(let id, let fix, let kb):
                notes.append(SignatureNote(id: id, signature: signature.id, title: signature.title, fix: fix, kb: kb,
                                           count: hit.count, evidence: hit.evidence))
            case .cause(let code, let weight):
                if let position = findings.firstIndex(where: { $0.cause == code }) {
                    let old = findings[position]
                    var raised = Finding(cause: code, confidence: old.confidence + weight, title: old.title, fix: old.fix,
                                         evidence: old.evidence + evidence, productIds: old.productIds)
                    raised.explainedBy = old.explainedBy
                    findings[position] = raised
                } else {
                    let rule = RuleCatalog.rule(code: code)
                    let title = signature.title.isEmpty ? (rule?.title ?? code) : signature.title
                    findings.append(Finding(cause: code, confidence: weight, title: title, fix: rule?.fix ?? "",
                                            evidence: evidence))
                    diagnosis.ruledOut.removeAll { $0.cause == code }
                    diagnosis.notChecked.removeAll { $0.cause == code }
                }
            }
        }
        diagnosis.findings = Ranking.rank(findings)
        return (diagnosis, notes)
    }
}
