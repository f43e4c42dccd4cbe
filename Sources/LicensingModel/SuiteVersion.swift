/// The version of logcollect, loganalyze and the library under them: the one place it is
/// written. Manifests (`tool`), reports (`tool`) and the batch index's rules version carry it;
/// bump it with every change to what the tools collect or conclude.
public enum SuiteVersion {
    public static let current = "0.2.0"
}
