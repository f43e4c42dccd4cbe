import Foundation

/// A copy of the ZIP `data` in which entry `name` records a CRC-32 one bit off its true one —
/// in the central directory, its local header and its data descriptor alike, as a bit flipped
/// before the archive was written would leave it. Nil when there is no such entry.
public func zipWithWrongChecksum(_ data: Data, entry name: String) -> Data? {
    var bytes = [UInt8](data)
    func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
    func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
    guard let end = stride(from: bytes.count - 22, through: 0, by: -1).first(where: { u32($0) == 0x0605_4B50 }) else {
        return nil
    }
    var at = u32(end + 16)
    for _ in 0..<u16(end + 10) {
        guard u32(at) == 0x0201_4B50 else { return nil }
        let nameLength = u16(at + 28)
        let next = at + 46 + nameLength + u16(at + 30) + u16(at + 32)
        guard String(decoding: bytes[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self) == name else {
            at = next
            continue
        }
        let local = u32(at + 42)
        bytes[at + 16] ^= 1
        bytes[local + 14] ^= 1
        if u16(at + 8) & 0x8 != 0 {  // a data descriptor after the data, its signature optional
            let descriptor = local + 30 + u16(local + 26) + u16(local + 28) + u32(at + 20)
            bytes[descriptor + (u32(descriptor) == 0x0807_4B50 ? 4 : 0)] ^= 1
        }
        return Data(bytes)
    }
    return nil
}
