/// FuzzPolicy: the policy decoder (raw JSON, JWT, `.belic`) on arbitrary bytes.
///
/// Besides "never crash", it checks what a collector relies on: the readable snapshot of a
/// policy never keeps a secret key (`AccessKey`, any `…Signature`).
import Foundation
import FuzzSupport
import LicensingParsers

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ bytes: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let data = FuzzDriver.data(bytes, size)
    _ = try? PolicyDecoder.policy(from: data, file: "fuzz.json")
    if let snapshot = try? PolicyDecoder.readableJSON(data, file: "fuzz.json"),
       let object = try? JSONSerialization.jsonObject(with: snapshot) {
        precondition(!containsSecretKey(object), "readableJSON kept a secret key")
    }
    return 0
}

/// Whether any key at any depth names a secret.
private func containsSecretKey(_ value: Any) -> Bool {
    if let dictionary = value as? [String: Any] {
        return dictionary.contains { PolicyDecoder.isSecretKey($0.key) || containsSecretKey($0.value) }
    }
    if let array = value as? [Any] { return array.contains(where: containsSecretKey) }
    return false
}

@main
enum FuzzPolicyMain {
    static func main() { FuzzDriver.main(fuzz) }
}
