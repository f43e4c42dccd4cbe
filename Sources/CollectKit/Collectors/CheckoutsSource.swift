import Foundation
import LicensingModel
import LicensingParsers

/// Checked-out licenses (`.belic`) from the user's Desktop, Downloads and the licensing
/// `Checkouts/` folder, decoded: machine, user, products, expiry, and the policy as JSON.
///
/// The `.belic` itself is not copied: it carries the JWT's signature, which never goes into a
/// bundle. Its SHA-256 is recorded so that support can match it with the user's file.
public struct CheckoutsSource: CollectorSource {
    public let name = "checkouts"
    public var isOptional: Bool { true }

    public init() {}

    public func collect(_ context: CollectionContext) throws -> SourceResult {
        var result = SourceResult()
        var files: [MachineFile] = []
        for folder in context.checkoutFolders {
            let (found, skipped) = try context.machine.files(under: folder, recursive: false)
            files += found.filter { $0.path.lowercased().hasSuffix(".belic") }
            result.problems += skipped.filter { $0.lowercased().contains(".belic") }
        }
        guard !files.isEmpty else { return .missing("no checked-out licenses (.belic)") }
        var usedNames: Set<String> = []
        for file in files {
            guard file.size <= 16 << 20 else {
                result.problems.append("\(file.path): \(file.size) bytes is too large for a checkout; left out")
                continue
            }
            do {
                let data = try file.contents()
                let checkout = try PolicyDecoder.checkout(from: data, file: file.path)
                let readable = try PolicyDecoder.readableJSON(data, file: file.path)
                if let machine = checkout.machineName { result.identities.hosts.insert(machine) }
                var fileName = (file.path as NSString).lastPathComponent
                if !usedNames.insert(fileName.lowercased()).inserted { fileName = "\(usedNames.count)-\(fileName)" }
                let summary = try CheckoutSummary(checkout, file: file.path, policy: readable)
                result.entries.append(PlannedEntry(
                    path: "licensing/checkouts/\(fileName).json", content: .data(try summary.encoded()), format: .text, source: name))
            } catch {
                result.problems.append("\(file.path): cannot be decoded (\(error)); left out")
            }
        }
        return result
    }
}
