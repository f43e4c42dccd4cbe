import Foundation
import LicensingModel
import LicensingParsers

/// What the Licensing Tool shows on its two tabs, as XML dumps validated by the XSDs in
/// `docs/schemas/`: **Entitlements** (one row per securable of the current policy) and
/// **Product Status** (one row per requested or used product, with the status the client's
/// decision procedure gives at collection time).
public struct LicensingToolSource: CollectorSource {
    public let name = "licensing-tool"

    public init() {}

    public func collect(_ context: CollectionContext) throws -> SourceResult {
        let found = try StoreSnapshot.locate(context)
        guard !found.isEmpty else {
            return .missing("no licensing store: the Licensing Tool has nothing to show")
        }
        var result = SourceResult()
        let folder = context.scratch.appendingPathComponent("tool-stores", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var stores: [LicensingStore] = []
        for file in found {
            do { stores.append(try StoreSnapshot.take(file, into: folder).read()) }
            catch { result.notes.append("\(file.path): cannot be read (\(error))") }
        }
        guard let store = LicensingStore.inUse(stores) else { throw MachineError(path: found[0].path, message: "no licensing store could be read") }
        let state = ToolState(currentPolicy: store.currentPolicy, checkouts: store.checkouts + belicCheckouts(context),
                              offlineGraceStart: store.offlineGraceStart, usedProducts: store.usedProducts)
        let machineName = computerName(context)
        let answer = connectClient(context)
        result.notes += store.problems
        let stamp = LicensingDate.format(context.now)
        result.entries.append(PlannedEntry(
            path: "licensing/entitlements.xml", content: .data(LicensingToolDump.entitlements(state.currentPolicy, collectedAt: context.now)),
            format: .text, source: name))
        let online = state.offlineGraceStart == nil && answer?.isLoggedIn != false
        result.entries.append(PlannedEntry(
            path: "licensing/product-status.xml",
            content: .data(productStatus(state, answer: answer, machineName: machineName, online: online, context: context)),
            format: .text, source: name,
            note: "statuses decided as the client does (CLIENT-MODEL §2) at \(stamp), \(online ? "online" : "offline")"))
        return result
    }

    /// What the tool's tabs are decided from.
    private struct ToolState {
        var currentPolicy: Policy?
        var checkouts: [Checkout]
        var offlineGraceStart: Date?
        var usedProducts: [(productId: Int, featureString: String)]
    }

    private func productStatus(_ state: ToolState, answer: ConnectClientState?, machineName: String?,
                               online: Bool, context: CollectionContext) -> Data {
        var requested: [(Int, String)] = []
        func add(_ id: Int?, _ feature: String) {
            guard let id, !requested.contains(where: { $0.0 == id && $0.1 == feature }) else { return }
            requested.append((id, feature))
        }
        for item in state.currentPolicy?.requestData?.requestedSecurables ?? [] { add(item.productId, item.featureString) }
        // A used product is listed only when nothing requested it (as the analysis reads usage).
        for item in state.usedProducts where !requested.contains(where: { $0.0 == item.productId }) {
            add(item.productId, item.featureString)
        }
        for item in answer?.licenseService?.products ?? [] { add(item.productId, item.featureString) }
        let rows = requested.map { productId, feature in
            let decision = DecisionProcedure.status(
                product: productId, featureString: feature, policy: state.currentPolicy, checkouts: state.checkouts,
                machineName: machineName, online: online, offlineGraceStart: state.offlineGraceStart, now: context.now)
            let name = (state.currentPolicy?.securables(forProduct: productId).first?.productName)
                ?? state.checkouts.lazy.compactMap { $0.policy.securables(forProduct: productId).first?.productName }.first
            return LicensingToolDump.ProductRow(productId: productId, featureString: feature, name: name, status: decision.status,
                                                reason: decision.reason, daysRemaining: decision.daysRemaining)
        }
        return LicensingToolDump.productStatus(rows, collectedAt: context.now, online: online, offlineSince: state.offlineGraceStart)
    }

    private func belicCheckouts(_ context: CollectionContext) -> [Checkout] {
        context.checkoutFolders.flatMap { folder in
            ((try? context.machine.files(under: folder, recursive: false).files) ?? [])
                .filter { $0.path.lowercased().hasSuffix(".belic") && $0.size < 16 << 20 }
                .compactMap { file in (try? file.contents()).flatMap { try? PolicyDecoder.checkout(from: $0, file: file.path) } }
        }
    }

    private func computerName(_ context: CollectionContext) -> String? {
        guard let file = try? context.machine.registryExport(.localMachine),
              let data = try? file.contents(),
              let export = try? RegistryExportParser.parse(data, file: file.path).value else { return nil }
        return export.value(key: #"HKEY_LOCAL_MACHINE\SYSTEM\CurrentControlSet\Control\ComputerName\ComputerName"#,
                            name: "ComputerName")?.text
    }

    private func connectClient(_ context: CollectionContext) -> ConnectClientState? {
        guard let file = try? context.machine.connectClientAnswer(), let data = try? file.contents() else { return nil }
        return try? ConnectClientParser.parse(data, file: file.path)
    }
}
