/// FuzzRegistry: the `reg export` parser (any encoding, continuation lines, hex values).
import Foundation
import FuzzSupport
import LicensingParsers

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    if let parsed = try? RegistryExportParser.parse(FuzzDriver.data(bytes, size), file: "fuzz.reg") {
        // Every key can be found again by its own path.
        for key in parsed.value.keys.prefix(16) {
            precondition(parsed.value.key(key.path) != nil, "key \(key.path) cannot be looked up")
        }
    }
    return 0
}

@main
enum FuzzRegistryMain {
    static func main() { FuzzDriver.main(fuzz) }
}
