import ArgumentParser
import Foundation
import Signatures

/// `--signatures FILE`, shared by the commands that analyse bundles.
struct SignatureOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A YAML file of known-issue signatures, matched on log lines besides the built-in ones (see docs/signatures.md).",
                               valueName: "file"))
    var signatures: String?

    /// The built-in signatures and the file's; a file that cannot be used is `FILE:LINE: reason`
    /// on standard error and exit status 64, before any bundle is read.
    func load() throws -> SignatureSet {
        do {
            return try SignatureSet.load(path: signatures)
        } catch {
            ErrorLines.print("\(error)")
            throw ExitCode(64)
        }
    }
}

/// `loganalyze signatures`: test and list known-issue signature files.
struct SignatureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "signatures",
        abstract: "Test or list known-issue signature files (see docs/signatures.md).",
        subcommands: [SignatureTest.self, SignatureList.self])
}

/// `loganalyze signatures test FILE`: every example of every signature.
struct SignatureTest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run every signature's examples: `match` lines must match, `noMatch` lines must not.",
        discussion: """
            Without FILE, tests the built-in signatures. Each example is one line: PASS or FAIL, \
            the signature and its line in the file, and the example.

            Examples:
              loganalyze signatures test site-signatures.yaml
              loganalyze signatures test

            Exit status: 0 every example passes; 1 some example fails; 64 the file cannot be \
            used (FILE:LINE: reason on standard error).
            """)

    @Argument(help: "The signature file (default: the built-in one).")
    var file: String?

    func run() throws {
        let results: [SignatureExamples.Result]
        let name: String
        do {
            let signatureFile = try file.map(SignatureFile.load(path:)) ?? BuiltinSignatures.file()
            name = signatureFile.name
            results = try SignatureExamples.run(signatureFile)
        } catch {
            ErrorLines.print("\(error)")
            throw ExitCode(64)
        }
        for result in results {
            let verdict = result.passed ? "PASS" : "FAIL"
            let should = result.shouldMatch ? "match" : "noMatch"
            print("\(verdict) \(result.signature) (\(name):\(result.line)) \(should): \(result.example)")
        }
        let failed = results.filter { !$0.passed }.count
        let signatures = Set(results.map(\.signature)).count
        print("\(results.count - failed) passed, \(failed) failed (\(results.count) examples of \(signatures) signatures)")
        if failed > 0 { throw ExitCode(1) }
    }
}

/// `loganalyze signatures list`: what analysis would match.
struct SignatureList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the signatures analysis uses: the built-in ones, then a --signatures file's.",
        discussion: """
            One signature a line: id, what it supports, literal or regex, the files it is \
            limited to. A regex with no literal text of 4 bytes or more that every match must \
            hold is marked "tried on every line": it makes analysis slower.

            Examples:
              loganalyze signatures list
              loganalyze signatures list --signatures site-signatures.yaml

            Exit status: 0; 64 the file cannot be used.
            """)

    @OptionGroup var options: SignatureOptions

    func run() throws {
        let set = try options.load()
        for file in set.files {
            print("\(file.name): \(file.signatures.count) signature\(file.signatures.count == 1 ? "" : "s")")
            for signature in file.signatures {
                var line = "  \(signature.id)  \(signature.supportDescription)  "
                switch signature.pattern {
                case .literal(let text): line += "literal \"\(text)\""
                case .regex(let pattern):
                    line += "regex /\(pattern)/"
                    if RegexLiteral.required(in: pattern, ignoringCase: signature.ignoreCase) == nil { line += " (tried on every line)" }
                }
                if signature.ignoreCase { line += " ignoring case" }
                if !signature.files.isEmpty { line += " in \(signature.files.joined(separator: ", "))" }
                print(line)
            }
        }
    }
}
