import Foundation
import LicensingModel

/// The licensing story of one bundle as one list, oldest first.
public enum Timeline {
    /// Merges log observations, system events, policy creation and expiry, the offline grace
    /// start, checkout expiries, usage records and the collection time; sorted by time (ties keep
    /// that order).
    public static func build(_ facts: Facts) -> [TimelineEvent] {
        var events: [TimelineEvent] = []
        for observation in facts.logObservations {
            guard let time = observation.entry.time else { continue }
            events.append(TimelineEvent(time: time, kind: "log",
                                        summary: "\(observation.entry.component): \(observation.entry.message)".clipped,
                                        source: observation.entry.source))
        }
        for event in facts.events {
            guard let time = event.timeCreated else { continue }
            let detail = event.data.first.map { ": \($0)" } ?? ""
            events.append(TimelineEvent(time: time, kind: "event", summary: "\(event.provider) \(event.eventId)\(detail)".clipped,
                                        source: event.source))
        }
        for policy in facts.policies {
            let id = policy.policyId.map { " \($0)" } ?? ""
            if let created = policy.createdOn {
                events.append(TimelineEvent(time: created, kind: "policy", summary: "Policy\(id) created", source: policy.source))
            }
            if let expires = policy.expiresOn {
                events.append(TimelineEvent(time: expires, kind: "policy", summary: "Policy\(id) expires", source: policy.source))
            }
        }
        if let start = facts.offlineGraceStart {
            events.append(TimelineEvent(time: start, kind: "offline", summary: "Offline grace started",
                                        source: facts.offlineGraceSource))
        }
        for checkout in facts.checkouts {
            guard let end = checkout.expiresOn else { continue }
            let products = checkout.policy.securables.map { String($0.productId) }.joined(separator: ", ")
            let machine = checkout.machineName.map { " on \($0)" } ?? ""
            events.append(TimelineEvent(time: end, kind: "checkout", summary: "Checkout of \(products)\(machine) expires",
                                        source: checkout.source))
        }
        for record in facts.usageRecords {
            guard let time = record.startTimeUTC ?? record.entryDate else { continue }
            let details = [record.usageType, record.usageCountryISO].compactMap { $0 }.joined(separator: ", ")
            events.append(TimelineEvent(time: time, kind: "usage",
                                        summary: "Product \(record.productId.map(String.init) ?? "?") used (\(details))",
                                        source: record.source))
        }
        if let collected = facts.collectedAt {
            events.append(TimelineEvent(time: collected, kind: "collection",
                                        summary: "Bundle collected (time from \(facts.collectedAtSource.rawValue))", source: nil))
        }
        return events.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
    }
}

extension String {
    /// At most 160 characters (counting them only when the bytes could be more).
    fileprivate var clipped: String { utf8.count > 160 && count > 160 ? String(prefix(159)) + "…" : self }
}
