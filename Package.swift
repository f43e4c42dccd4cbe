// swift-tools-version: 6.0
// Support tooling for Bentley desktop-license "trial mode" problems:
// `logcollect` gathers a support bundle, `loganalyze` explains it.
// Dependencies point one way: C module → its one Swift wrapper → model → parsers →
// diagnosis/reporting → collect/analyze frontends → thin executables.
import PackageDescription

let package = Package(
    name: "TrialModeSupport",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "logcollect", targets: ["logcollect"]),
        .executable(name: "loganalyze", targets: ["loganalyze"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // MARK: - C libraries (module map + shim header, nothing else)
        .systemLibrary(
            name: "CArchive", pkgConfig: "libarchive",
            providers: [.apt(["libarchive-dev"]), .brew(["libarchive"])]),
        .systemLibrary(
            name: "CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        .systemLibrary(
            name: "CDeflate", pkgConfig: "libdeflate",
            providers: [.apt(["libdeflate-dev"]), .brew(["libdeflate"])]),
        .systemLibrary(
            name: "CLibXML2", pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]),
        .systemLibrary(
            name: "CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]),

        // MARK: - Platform: every POSIX-only call, with its Windows branch (docs/windows.md)
        .target(name: "Platform"),

        // MARK: - ArchiveKit: the only importer of CArchive, CZlib and CDeflate
        .target(name: "ArchiveKit", dependencies: ["CArchive", "CZlib", "CDeflate", "Platform"]),

        // MARK: - XMLKit: the only importer of CLibXML2
        .target(name: "XMLKit", dependencies: ["CLibXML2"]),

        // MARK: - SQLiteKit: the only importer of CSQLite
        .target(name: "SQLiteKit", dependencies: ["CSQLite"]),

        // MARK: - LicensingModel: pure value types of the client machine
        .target(name: "LicensingModel"),

        // MARK: - LicensingParsers: bytes → model values (the licensing store's one reader too)
        .target(name: "LicensingParsers", dependencies: ["LicensingModel", "XMLKit", "SQLiteKit"]),

        // MARK: - Diagnosis: facts → findings, one rule per file
        .target(name: "Diagnosis", dependencies: ["LicensingModel"]),

        // MARK: - Reporting: findings → text / JSON / Markdown / HTML
        .target(name: "Reporting", dependencies: ["Diagnosis", "LicensingModel"]),

        // MARK: - Signatures: known-issue signatures (YAML) matched on log lines (docs/signatures.md)
        .target(
            name: "Signatures",
            dependencies: ["Diagnosis", .product(name: "Yams", package: "Yams")],
            exclude: ["signatures.yaml"]),

        // MARK: - CollectKit: what `logcollect` does
        .target(
            name: "CollectKit",
            dependencies: [
                "ArchiveKit", "XMLKit", "SQLiteKit", "LicensingModel", "LicensingParsers", "Platform",
                .product(name: "Crypto", package: "swift-crypto"),
            ]),

        // MARK: - AnalyzeKit: what `loganalyze` does
        .target(
            name: "AnalyzeKit",
            dependencies: [
                "ArchiveKit", "LicensingModel", "LicensingParsers", "Diagnosis", "Platform", "Signatures",
                "Reporting", .product(name: "Crypto", package: "swift-crypto"),
            ]),

        // MARK: - BatchKit: what `loganalyze batch`, `merge` and `query` do
        .target(
            name: "BatchKit",
            dependencies: [
                "AnalyzeKit", "Reporting", "SQLiteKit", "Diagnosis", "LicensingModel", "Platform", "Signatures",
                .product(name: "Crypto", package: "swift-crypto"),
            ]),

        // MARK: - Executables: argument parsing and one call
        .executableTarget(
            name: "logcollect",
            dependencies: [
                "CollectKit", "LicensingModel", "Platform", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(
            name: "loganalyze",
            dependencies: [
                "AnalyzeKit", "BatchKit", "Diagnosis", "LicensingModel", "Reporting", "Platform", "Signatures",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // MARK: - Fuzzing and adversarial input (docs/security.md)
        // One libFuzzer target per parser of untrusted bytes; `Scripts/fuzz` builds them with
        // `-sanitize=fuzzer,address -DFUZZING`. In a normal build they replay files instead.
        .target(name: "FuzzSupport"),
        .executableTarget(name: "FuzzPolicy", dependencies: ["FuzzSupport", "LicensingParsers"]),
        .executableTarget(name: "FuzzBelic", dependencies: ["FuzzSupport", "LicensingParsers"]),
        .executableTarget(name: "FuzzRegistry", dependencies: ["FuzzSupport", "LicensingParsers"]),
        .executableTarget(name: "FuzzLog", dependencies: ["FuzzSupport", "LicensingParsers", "LicensingModel"]),
        .executableTarget(name: "FuzzEvents", dependencies: ["FuzzSupport", "LicensingParsers"]),
        .executableTarget(name: "FuzzArchive", dependencies: ["FuzzSupport", "ArchiveKit"]),
        .executableTarget(name: "FuzzStore", dependencies: ["FuzzSupport", "LicensingParsers"]),
        .executableTarget(name: "FuzzSignatures", dependencies: ["FuzzSupport", "Signatures"]),
        .testTarget(
            name: "AdversarialTests",
            dependencies: [
                "AnalyzeKit", "CollectKit", "ArchiveKit", "XMLKit", "SQLiteKit", "LicensingParsers",
                "LicensingModel", "TestSupport",
            ]),

        // MARK: - Tests
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "ArchiveKitTests", dependencies: ["ArchiveKit", "TestSupport"]),
        .testTarget(name: "XMLKitTests", dependencies: ["XMLKit", "TestSupport"]),
        .testTarget(name: "SQLiteKitTests", dependencies: ["SQLiteKit", "TestSupport"]),
        .testTarget(name: "DiagnosisTests", dependencies: ["Diagnosis", "LicensingModel", "TestSupport"]),
        .testTarget(
            name: "CollectKitTests", dependencies: ["CollectKit", "AnalyzeKit", "ArchiveKit", "XMLKit", "Platform", "TestSupport"]),
        .testTarget(
            name: "AnalyzeKitTests", dependencies: ["AnalyzeKit", "CollectKit", "ArchiveKit", "Reporting", "TestSupport"]),
        .testTarget(name: "LicensingParsersTests", dependencies: ["LicensingParsers", "LicensingModel", "TestSupport"]),
        .testTarget(
            name: "BatchKitTests",
            dependencies: [
                "BatchKit", "AnalyzeKit", "ArchiveKit", "CollectKit", "Reporting", "SQLiteKit", "TestSupport",
            ]),
        .testTarget(
            name: "SignaturesTests",
            dependencies: ["Signatures", "AnalyzeKit", "BatchKit", "Reporting", "Diagnosis", "TestSupport"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting", "Diagnosis", "LicensingModel", "TestSupport"]),
    ]
)
