import Foundation

/// A row of the store's `Policy` table (the policy itself is decoded into `Facts.policies`).
public struct StoredPolicyRow: Sendable, Equatable, Codable {
    public var policyId: String?
    public var userId: String?
    public var expirationDate: Date?
    public var lastUpdateTime: Date?
    /// The `ProjectId` column, in client versions that have it.
    public var projectId: String?
    public var source: SourceRef

    public init(policyId: String?, userId: String?, expirationDate: Date?, lastUpdateTime: Date?, projectId: String? = nil,
                source: SourceRef) {
        self.policyId = policyId
        self.userId = userId
        self.expirationDate = expirationDate
        self.lastUpdateTime = lastUpdateTime
        self.projectId = projectId
        self.source = source
    }
}

