/// FuzzPolicy: the policy decoder (raw JSON, JWT, `.belic`) on arbitrary bytes.
///
/// Besides "never crash", it checks what a collector relies on: the readable snapshot of a
/// policy never keeps a secret's value (`AccessKey`, any `…Signature`): such a key may stay only
/// to say it was set (`[REDACTED]`) or not (null, empty).
import Foundation
import FuzzSupport
import LicensingParsers

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let data = FuzzDriver.data(bytes, size)
    _ = try? PolicyDecoder.policy(from: data, file: "fuzz.json")
    if let snapshot = try? PolicyDecoder.readableJSON(data, file: "fuzz.json"),
       let object = try? JSONSerialization.jsonObject(with: snapshot) {
        precondition(!containsSecretValue(object), "readableJSON kept a secret's value")
    }
    return 0
}

/// Whether a key at any depth names a secret and holds anything but the marker, null or "".
private func containsSecretValue(_ value: Any) -> Bool {
    if let dictionary = value as? [String: Any] {
        return dictionary.contains { key, item in
            if PolicyDecoder.isSecretKey(key) {
                if item is NSNull { return false }
                guard let text = item as? String else { return true }
                return !(text.isEmpty || text == SecretScrubber.redacted)
            }
            return containsSecretValue(item)
        }
    }
    if let array = value as? [Any] { return array.contains(where: containsSecretValue) }
    return false
}

@main
enum FuzzPolicyMain {
    static func main() { FuzzDriver.main(fuzz) }
}
