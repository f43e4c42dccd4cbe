import Foundation
import LicensingParsers

/// Command-line dates: ISO 8601 times (`2026-11-20T10:00:00Z`) or plain days (`2026-11-06`, UTC).
public enum Dates {
    /// The date, or nil when the text is neither form.
    public static func parse(_ text: String) -> Date? {
        if let date = LicensingDate.parse(text) { return date }
        return LicensingDate.parse(text + "T00:00:00Z")
    }
}
