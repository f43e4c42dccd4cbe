/// FuzzStore: the licensing-store reader (`LicensingStore`) on arbitrary bytes taken as an
/// SQLite file, as `loganalyze` reads a bundle's store.
///
/// Besides "never crash", it checks what the report relies on: every policy, checkout and usage
/// record read names its store row (table and key), never an invented line.
import Foundation
import FuzzSupport
import LicensingParsers

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let data = FuzzDriver.data(bytes, size)
    guard let store = try? LicensingStore(data: data, file: "licensing/LicensingStore.db") else { return 0 }
    let sources = store.policies.map(\.source) + store.checkouts.map(\.source) + store.usage.map(\.source)
    precondition(sources.allSatisfy { $0.row != nil && $0.line == nil }, "a store value without its row")
    precondition(store.usage.count <= LicensingStore.usageRowLimit, "more usage rows than the limit")
    _ = store.unknownTables
    _ = store.unknownColumns
    _ = store.usedProducts
    return 0
}

@main
enum FuzzStoreMain {
    static func main() { FuzzDriver.main(fuzz) }
}
