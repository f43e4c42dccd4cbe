/// FuzzBelic: a checked-out license (`.belic`: the policy JWT, then the quoted certificate).
import Foundation
import FuzzSupport
import LicensingParsers

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = try? PolicyDecoder.checkout(from: FuzzDriver.data(bytes, size), file: "fuzz.belic")
    return 0
}

@main
enum FuzzBelicMain {
    static func main() { FuzzDriver.main(fuzz) }
}
