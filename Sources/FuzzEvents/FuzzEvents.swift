/// FuzzEvents: the event-log export reader (`wevtutil qe /f:xml`, no root element) and, through
/// it, XMLKit's pull reader over libxml2.
import Foundation
import FuzzSupport
import LicensingParsers

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = try? EventExportParser.parse(FuzzDriver.data(bytes, size), file: "fuzz.xml")
    return 0
}

@main
enum FuzzEventsMain {
    static func main() { FuzzDriver.main(fuzz) }
}
