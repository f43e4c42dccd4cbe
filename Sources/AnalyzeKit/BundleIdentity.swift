/// Whose bundle it is: the machine, the user and the support case its manifest names.
///
/// `loganalyze compare` refuses two bundles of different machines or users, and the batch index
/// groups bundles by it; a bundle without a manifest (another collector's) has none.
struct BundleIdentity: Sendable, Equatable {
    /// The client's computer name (a pseudonym in a redacted bundle).
    var host: String?
    /// The user whose profile was collected.
    var user: String?
    /// The support case number given to `logcollect --case`.
    var caseNumber: String?
}
