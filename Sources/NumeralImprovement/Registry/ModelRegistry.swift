import Foundation
import NumeralRecognition
import NumeralStore

/// The model versions of one data directory: weights and cards in `<data-dir>/models/<id>.safetensors`
/// and `<id>.json`, each registered in the prediction log's models table, exactly one of them active.
///
/// On first use the shipped model (found by `shippedModelLocator`) is copied in and registered as the
/// base version, so later rebuilds of the shipped file cannot change what an id refers to. Switching
/// never deletes anything: every candidate stays listed and can be made active again.
public final class ModelRegistry {
    public enum MetricKey {
        /// 1 on the version copied from the shipped model.
        public static let shipped = "shipped"
    }

    public let dataDirectory: String
    public let store: PredictionStore
    public let shippedModelLocator: ModelLocator

    /// - Parameters:
    ///   - store: the log to register versions in; opened read-write under `dataDirectory` when nil.
    public init(dataDirectory: String, store: PredictionStore? = nil, shippedModelLocator: ModelLocator = ModelLocator()) throws {
        self.dataDirectory = dataDirectory
        self.store = try store ?? PredictionStore(directory: dataDirectory)
        self.shippedModelLocator = shippedModelLocator
    }

    public var modelsDirectory: String { (dataDirectory as NSString).appendingPathComponent("models") }

    public func weightsPath(forID id: String) -> String {
        (modelsDirectory as NSString).appendingPathComponent("\(id).safetensors")
    }

    /// The id of the model the app should use, or nil before any is registered. One single-row read:
    /// cheap enough for the app to poll and reload its recognizer when the answer changes.
    public func activeModelID() throws -> String? {
        try store.activeModel()?.id
    }

    /// Weights of the active model, registering the shipped model first if need be. The app passes
    /// this as `ModelLocator(activeModelPath:)`.
    public func activeModelPath() throws -> String {
        let active = try prepare()
        let path = resolvedWeightsPath(active)
        guard FileManager.default.fileExists(atPath: path) else { throw ImprovementError.modelFileMissing(id: active.id, path: path) }
        return path
    }

    /// Loads the active model.
    public func loadActiveModel() throws -> DigitModel {
        try DigitModel.load(weightsPath: try activeModelPath())
    }

    /// Makes sure a model is active and returns it: registers the shipped model as the base version
    /// when nothing is active yet, and records a newly shipped model (inactive) when one is already.
    @discardableResult
    public func prepare() throws -> ModelVersion {
        settlePendingReports()
        let active = try store.activeModel()
        // Why the shipped model could not be used, for the error if nothing else can be either.
        var shippedProblem: String
        do {
            let shipped = try shippedModelLocator.locate()
            let card = try ModelCard.read(path: DigitModel.cardPath(forWeights: shipped))
            if try store.models().contains(where: { $0.id == card.id }) {
                if active == nil { try store.setActiveModel(id: card.id) }
            } else {
                try registerShipped(path: shipped, card: card, activate: active == nil)
            }
            shippedProblem = ""
        } catch let error as RecognitionError {
            shippedProblem = error.description
        }
        if let now = try store.activeModel() { return now }
        // Nothing active and no usable shipped model: fall back to the newest version whose weights exist.
        if let usable = try store.models().reversed().first(where: { FileManager.default.fileExists(atPath: resolvedWeightsPath($0)) }) {
            try store.setActiveModel(id: usable.id)
            return try store.activeModel() ?? usable
        }
        throw ImprovementError.noModelAvailable(reason: "no version is registered in \(dataDirectory) and the shipped model "
            + "cannot be used (\(shippedProblem.hasSuffix(".") ? String(shippedProblem.dropLast()) : shippedProblem))")
    }

    /// Every registered version, oldest first, with its card.
    public func list() throws -> [RegisteredModel] {
        try store.models().map { version in
            let path = resolvedWeightsPath(version)
            return RegisteredModel(version: version, card: try? ModelCard.read(path: DigitModel.cardPath(forWeights: path)),
                                   weightsPath: path, weightsExist: FileManager.default.fileExists(atPath: path))
        }
    }

    /// Makes `id` the active model after checking its weights load. Without `force`, a version the
    /// adoption guard advises against (see `activationConcerns`) is refused with
    /// `ImprovementError.activationRefused`, saying why.
    @discardableResult
    public func use(id: String, force: Bool = false) throws -> ModelVersion {
        try prepare()
        let versions = try store.models()
        guard let version = versions.first(where: { $0.id == id }) else {
            throw ImprovementError.unknownModel(id: id, known: versions.map(\.id))
        }
        let path = resolvedWeightsPath(version)
        guard FileManager.default.fileExists(atPath: path) else { throw ImprovementError.modelFileMissing(id: id, path: path) }
        if !force, !version.isActive {
            let concerns = try activationConcerns(id: id)
            guard concerns.isEmpty else { throw ImprovementError.activationRefused(id: id, reasons: concerns) }
        }
        _ = try DigitModel.load(weightsPath: path)  // a damaged file is refused here, not at the app's next start
        try store.setActiveModel(id: id)
        return try store.activeModel() ?? version
    }

    /// Goes back from the active model to the one it was fine-tuned from. The version rolled back
    /// from stays registered (and can be chosen again with `use`).
    @discardableResult
    public func rollback() throws -> (from: ModelVersion, to: ModelVersion) {
        let active = try prepare()
        guard let parentID = active.parentID else { throw ImprovementError.nothingToRollBack(activeID: active.id) }
        // Back to the model that was active before: asked for by name, so never refused.
        let to = try use(id: parentID, force: true)
        return (active, to)
    }

    /// Why making `id` active is advised against, empty when nothing is: `numeral improve` kept it
    /// aside, or its recorded MNIST test accuracy (full test set) is below its shipped baseline's
    /// (see `shippedBaseline(for:)`) minus `maximumMNISTDrop`, the same floor `improve` applies.
    public func activationConcerns(id: String, maximumMNISTDrop: Double = ImprovementSettings().maximumMNISTDrop) throws -> [String] {
        let versions = try store.models()
        guard let version = versions.first(where: { $0.id == id }) else {
            throw ImprovementError.unknownModel(id: id, known: versions.map(\.id))
        }
        var concerns: [String] = []
        if version.metrics[ImprovementReport.MetricKey.adopted] == 0 {
            let report = improvementReport(forID: id)
            if let adoption = report?.adoption {
                concerns.append("`numeral improve` kept it aside (\(adoption.summary.replacingOccurrences(of: "; ", with: ", ")))")
            } else if let reason = report?.reason {
                concerns.append("`numeral improve` kept it aside (\(reason.hasSuffix(".") ? String(reason.dropLast()) : reason))")
            } else {
                concerns.append("`numeral improve` kept it aside")
            }
        }
        let key = ImprovementReport.MetricKey.mnistTestAccuracy
        if let accuracy = version.metrics[key],
           let shipped = Self.shippedBaseline(for: id, in: versions, shippedNow: shippedModelID()), shipped.id != id,
           let shippedAccuracy = shipped.metrics[key], accuracy < shippedAccuracy - maximumMNISTDrop - 1e-9 {
            concerns.append(String(format: "its MNIST test accuracy %.2f%% is below the shipped model %@'s %.2f%% minus %.2f pp",
                                   accuracy * 100, shipped.id, shippedAccuracy * 100, maximumMNISTDrop * 100))
        }
        return concerns
    }

    /// The shipped model `id` is judged against (`improve`'s MNIST floor, `model use`'s check): the
    /// root of its lineage, following parent ids through the registered versions, when that root is
    /// a shipped version; for a lineage that starts elsewhere (a model `numeral train` made), the
    /// shipped version installed now, else the newest shipped one registered; the lineage root when
    /// no shipped version is registered at all. Nil for an unknown id.
    public func shippedBaseline(for id: String) throws -> ModelVersion? {
        Self.shippedBaseline(for: id, in: try store.models(), shippedNow: shippedModelID())
    }

    static func shippedBaseline(for id: String, in versions: [ModelVersion], shippedNow: String?) -> ModelVersion? {
        let byID = Dictionary(versions.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        func isShipped(_ version: ModelVersion) -> Bool { version.metrics[MetricKey.shipped] == 1 }
        guard var root = byID[id] else { return nil }
        var seen: Set<String> = [root.id]
        while !isShipped(root), let parentID = root.parentID, let parent = byID[parentID], seen.insert(parentID).inserted {
            root = parent
        }
        if isShipped(root) { return root }
        let shipped = versions.filter(isShipped)
        return shipped.first { $0.id == shippedNow } ?? shipped.last ?? root
    }

    /// The id of the model the installation ships now, nil when there is none or it cannot be read.
    private func shippedModelID() -> String? {
        guard let path = try? shippedModelLocator.locate() else { return nil }
        return (try? ModelCard.read(path: DigitModel.cardPath(forWeights: path)))?.id
    }

    /// Loads a registered version's weights (fetched from a shared log if need be).
    public func loadModel(_ version: ModelVersion) throws -> DigitModel {
        let path = resolvedWeightsPath(version)
        guard FileManager.default.fileExists(atPath: path) else { throw ImprovementError.modelFileMissing(id: version.id, path: path) }
        return try DigitModel.load(weightsPath: path)
    }

    /// Saves `model` as a new version and registers it, active or not. Its card's parent should be
    /// the model it was derived from.
    @discardableResult
    public func register(_ model: DigitModel, activate: Bool, metrics: [String: Double]) throws -> ModelVersion {
        try Self.checkSafe(id: model.id)
        let path = weightsPath(forID: model.id)
        do {
            try FileManager.default.createDirectory(atPath: modelsDirectory, withIntermediateDirectories: true)
            try model.save(weightsPath: path)
        } catch {
            throw ImprovementError.cannotStoreModel(path: path, reason: "\(error)")
        }
        let version = ModelVersion(id: model.id, created: model.card.created, path: path, parentID: model.card.parentID,
                                   metrics: metrics.filter { $0.value.isFinite }, isActive: activate)
        try store.registerModel(version)
        try shareFiles(id: model.id, weightsPath: path)
        return version
    }

    /// Where the full report of the improvement that made `id` is kept, beside its weights.
    public func reportPath(forID id: String) -> String {
        (modelsDirectory as NSString).appendingPathComponent("\(id).report.json")
    }

    /// The report of the improvement run that produced `id`, or nil for a version that no
    /// improvement made (the shipped model) or whose report file is gone or unreadable.
    public func improvementReport(forID id: String) -> ImprovementReport? {
        guard let data = FileManager.default.contents(atPath: reportPath(forID: id)) else { return nil }
        return try? ImprovementReport.decode(data)
    }

    /// Writes the report under its pending name; `commitReport` puts it in place once its
    /// model is registered.
    func saveReport(_ report: ImprovementReport) throws {
        let path = pendingReportPath(forID: report.candidateID)
        do {
            try FileManager.default.createDirectory(atPath: modelsDirectory, withIntermediateDirectories: true)
            try report.jsonData().write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ImprovementError.cannotStoreModel(path: path, reason: "writing the improvement report failed (\(error.localizedDescription))")
        }
    }

    private func pendingReportPath(forID id: String) -> String { reportPath(forID: id) + ".pending" }

    /// Puts the pending report of `id` in place (its model is registered).
    func commitReport(forID id: String) throws {
        guard rename(pendingReportPath(forID: id), reportPath(forID: id)) == 0 else {
            throw ImprovementError.cannotStoreModel(path: reportPath(forID: id),
                                                    reason: "the improvement report could not be put in place (\(String(cString: strerror(errno))))")
        }
    }

    /// After an improve run was killed: a pending report whose model got registered is put in
    /// place, one whose model never was is removed with the unregistered weights. Only files
    /// older than `age` seconds: a run in another process goes from pending to registered in
    /// milliseconds, and must not lose its files to this clean-up.
    func settlePendingReports(olderThan age: TimeInterval = 60) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: modelsDirectory),
              names.contains(where: { $0.hasSuffix(".report.json.pending") }),
              let registered = try? Set(store.models().map(\.id)) else { return }
        for name in names where name.hasSuffix(".report.json.pending") {
            let path = (modelsDirectory as NSString).appendingPathComponent(name)
            guard let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
                  Date().timeIntervalSince(modified) >= age else { continue }
            let id = String(name.dropLast(".report.json.pending".count))
            if registered.contains(id) {
                try? commitReport(forID: id)
            } else {
                try? FileManager.default.removeItem(atPath: pendingReportPath(forID: id))
                try? FileManager.default.removeItem(atPath: weightsPath(forID: id))
                try? FileManager.default.removeItem(atPath: DigitModel.cardPath(forWeights: weightsPath(forID: id)))
            }
        }
    }

    /// The stored path if the file is there; otherwise where the models directory keeps it, so a
    /// data directory that was moved or restored elsewhere keeps working. On a shared log a
    /// version made on another machine is fetched from the database into the models directory.
    func resolvedWeightsPath(_ version: ModelVersion) -> String {
        if !version.path.isEmpty, FileManager.default.fileExists(atPath: version.path) { return version.path }
        let local = weightsPath(forID: version.id)
        if !FileManager.default.fileExists(atPath: local), store.isShared,
           (try? Self.checkSafe(id: version.id)) != nil,
           let files = try? store.modelFiles(id: version.id) {
            do {
                try FileManager.default.createDirectory(atPath: modelsDirectory, withIntermediateDirectories: true)
                // The card first: a weights file is only ever found with its card beside it.
                try files.card.write(to: URL(fileURLWithPath: DigitModel.cardPath(forWeights: local)), options: .atomic)
                try files.weights.write(to: URL(fileURLWithPath: local), options: .atomic)
            } catch {
                try? FileManager.default.removeItem(atPath: local)
            }
        }
        return local
    }

    /// On a shared log, puts the version's weights and card in the database for the fleet.
    private func shareFiles(id: String, weightsPath path: String) throws {
        guard store.isShared else { return }
        do {
            let weights = try Data(contentsOf: URL(fileURLWithPath: path))
            let card = try Data(contentsOf: URL(fileURLWithPath: DigitModel.cardPath(forWeights: path)))
            try store.storeModelFiles(id: id, weights: weights, card: card)
        } catch let error as StoreError {
            throw error
        } catch {
            throw ImprovementError.cannotStoreModel(path: path, reason: "it could not be read to share it with the fleet (\(error.localizedDescription))")
        }
    }

    private func registerShipped(path: String, card: ModelCard, activate: Bool) throws {
        try Self.checkSafe(id: card.id)
        let target = weightsPath(forID: card.id)
        let fm = FileManager.default
        do {
            try fm.createDirectory(atPath: modelsDirectory, withIntermediateDirectories: true)
            for (from, to) in [(path, target), (DigitModel.cardPath(forWeights: path), DigitModel.cardPath(forWeights: target))]
            where !fm.fileExists(atPath: to) {
                // Copy then rename, so a crash never leaves a half-written file under the final name.
                let partial = to + ".partial"
                try? fm.removeItem(atPath: partial)
                try fm.copyItem(atPath: from, toPath: partial)
                try fm.moveItem(atPath: partial, toPath: to)
            }
        } catch {
            throw ImprovementError.cannotStoreModel(path: target, reason: "copying the shipped model failed (\(error.localizedDescription))")
        }
        var metrics = card.metrics.filter { $0.value.isFinite }
        metrics[MetricKey.shipped] = 1
        do {
            try store.registerModel(ModelVersion(id: card.id, created: card.created, path: target, parentID: card.parentID,
                                                 metrics: metrics, isActive: activate))
            try shareFiles(id: card.id, weightsPath: target)
        } catch StoreError.duplicateModel {
            // Another process (the app and a command started together) registered it first.
            if activate, try store.activeModel() == nil { try store.setActiveModel(id: card.id) }
        }
    }

    static func checkSafe(id: String) throws {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
        guard !id.isEmpty, id.count <= 200, id.allSatisfy(allowed.contains), !id.hasPrefix(".") else {
            throw ImprovementError.unsafeModelID(id)
        }
    }
}
