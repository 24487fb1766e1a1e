import Foundation
import NumeralImprovement
import NumeralRecognition
import NumeralStore
import XCTest

final class ModelRegistryTests: XCTestCase {
    /// A tiny untrained model saved as if it were the shipped one: the registry only moves files.
    func makeShippedModel(id: String = "shipped-base") throws -> String {
        let directory = try makeDataDirectory(self)
        let model = DigitModel(card: ModelCard(id: id, architecture: DigitArchitecture(stages: [[4], [4]]),
                                               metrics: ["mnist_test_accuracy": 0.99]))
        let path = (directory as NSString).appendingPathComponent("Models/\(ModelLocator.shippedFileName)")
        try model.save(weightsPath: path)
        return path
    }

    func makeRegistry(shipped: String?) throws -> ModelRegistry {
        try ModelRegistry(dataDirectory: try makeDataDirectory(self),
                          shippedModelLocator: ModelLocator(explicitPath: shipped ?? "/nonexistent/\(UUID().uuidString).safetensors"))
    }

    /// A model derived from `parent`, as `Improver` would make it.
    func derive(_ parent: DigitModel, id: String) -> DigitModel {
        let child = parent.copy()
        child.card.id = id
        child.card.parentID = parent.id
        return child
    }

    func testFirstUseRegistersTheShippedModelAsTheActiveBaseVersion() throws {
        let shipped = try makeShippedModel()
        let registry = try makeRegistry(shipped: shipped)
        XCTAssertNil(try registry.activeModelID(), "nothing is registered before first use")

        let path = try registry.activeModelPath()

        XCTAssertEqual(path, registry.weightsPath(forID: "shipped-base"))
        XCTAssertTrue(path.hasPrefix(registry.dataDirectory), "the base version is copied into the data directory")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), try Data(contentsOf: URL(fileURLWithPath: shipped)))
        XCTAssertEqual(try registry.activeModelID(), "shipped-base")
        let listed = try registry.list()
        XCTAssertEqual(listed.map(\.id), ["shipped-base"])
        XCTAssertEqual(listed.first?.origin, .shipped)
        XCTAssertEqual(listed.first?.isActive, true)
        XCTAssertEqual(listed.first?.version.metrics["mnist_test_accuracy"], 0.99)
        XCTAssertEqual(listed.first?.card?.id, "shipped-base")
        // Preparing again changes nothing.
        XCTAssertEqual(try registry.activeModelPath(), path)
        XCTAssertEqual(try registry.list().count, 1)
    }

    /// `improve` killed right after "Saving…" must leave no report saying "adopted" for a
    /// model that was never registered.
    func testAPendingReportIsPutInPlaceOnlyForARegisteredModel() throws {
        let registry = try makeRegistry(shipped: try makeShippedModel())
        let base = try registry.loadActiveModel()
        let orphan = derive(base, id: "tuned-orphan")
        try orphan.save(weightsPath: registry.weightsPath(forID: orphan.id))
        let registered = derive(base, id: "tuned-kept")
        try registry.register(registered, activate: false, metrics: [:])
        let old = Date(timeIntervalSinceNow: -3600)
        for id in [orphan.id, registered.id] {
            let pending = registry.reportPath(forID: id) + ".pending"
            try Data("{\"decision\":\"adopted\"}".utf8).write(to: URL(fileURLWithPath: pending))
            try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: pending)
        }
        let fresh = registry.reportPath(forID: "tuned-running") + ".pending"
        try Data("{}".utf8).write(to: URL(fileURLWithPath: fresh))

        _ = try registry.activeModelPath()  // any use of the registry settles what a killed run left

        let exists = { FileManager.default.fileExists(atPath: $0) }
        XCTAssertFalse(exists(registry.reportPath(forID: orphan.id)))
        XCTAssertFalse(exists(registry.reportPath(forID: orphan.id) + ".pending"))
        XCTAssertFalse(exists(registry.weightsPath(forID: orphan.id)), "unregistered weights go too")
        XCTAssertTrue(exists(registry.reportPath(forID: registered.id)), "a registered model's report is put in place")
        XCTAssertTrue(exists(fresh), "a run in progress elsewhere keeps its files")
        XCTAssertEqual(try registry.list().map(\.id).contains(orphan.id), false)
    }

    /// A fleet on one shared log: a version made active on one machine is loaded on another,
    /// whose data directory never had its file (the weights travel through the database).
    func testAVersionMadeOnOneMachineLoadsOnAnotherThroughTheSharedLog() throws {
        guard let base = ProcessInfo.processInfo.environment["NUMERAL_TEST_POSTGRES"], !base.isEmpty else {
            if FileManager.default.fileExists(atPath: "/usr/lib/postgresql") { XCTFail("run the suite with scripts/run-tests.sh, which starts PostgreSQL") }
            throw XCTSkip("PostgreSQL server binaries are missing")
        }
        let name = "numeral_r_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        func psql(_ sql: String) throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["psql", base, "-qtAc", sql]
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0, sql)
        }
        try psql("CREATE DATABASE \(name)")
        addTeardownBlock { try? psql("DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }
        var components = try XCTUnwrap(URLComponents(string: base))
        components.path = "/" + name
        let url = try PostgresURL(try XCTUnwrap(components.string))

        let machineA = try ModelRegistry(dataDirectory: try makeDataDirectory(self), store: try PredictionStore(location: .postgres(url)),
                                         shippedModelLocator: ModelLocator(explicitPath: try makeShippedModel()))
        let tuned = derive(try machineA.loadActiveModel(), id: "tuned-fleet")
        try machineA.register(tuned, activate: true, metrics: [:])
        // Machine B is another computer: machine A's files are not on its disk.
        try FileManager.default.removeItem(atPath: machineA.modelsDirectory)

        let directoryB = try makeDataDirectory(self)
        let machineB = try ModelRegistry(dataDirectory: directoryB, store: try PredictionStore(location: .postgres(url)),
                                         shippedModelLocator: ModelLocator(explicitPath: "/nonexistent/\(UUID().uuidString).safetensors"))
        XCTAssertEqual(try machineB.activeModelID(), "tuned-fleet")
        let path = try machineB.activeModelPath()
        XCTAssertTrue(path.hasPrefix(directoryB), "fetched into machine B's own models folder: \(path)")
        XCTAssertEqual(try DigitModel.load(weightsPath: path).id, "tuned-fleet")
    }

    func testUseRollbackAndListKeepTheWholeHistory() throws {
        let registry = try makeRegistry(shipped: try makeShippedModel())
        let base = try registry.loadActiveModel()
        let first = derive(base, id: "tuned-1")
        try registry.register(first, activate: true, metrics: [ImprovementReport.MetricKey.adopted: 1])
        let second = derive(first, id: "tuned-2")
        try registry.register(second, activate: true, metrics: [ImprovementReport.MetricKey.adopted: 1])
        let aside = derive(second, id: "tuned-3")
        try registry.register(aside, activate: false, metrics: [ImprovementReport.MetricKey.adopted: 0])
        XCTAssertEqual(try registry.activeModelID(), "tuned-2")
        XCTAssertEqual(try registry.list().map(\.origin), [.shipped, .adopted, .adopted, .rejected])

        let back = try registry.rollback()
        XCTAssertEqual(back.from.id, "tuned-2")
        XCTAssertEqual(back.to.id, "tuned-1")
        XCTAssertEqual(try registry.activeModelID(), "tuned-1")
        XCTAssertEqual(try registry.activeModelPath(), registry.weightsPath(forID: "tuned-1"))
        XCTAssertEqual(try registry.rollback().to.id, "shipped-base")
        XCTAssertThrowsError(try registry.rollback()) {
            XCTAssertEqual($0 as? ImprovementError, .nothingToRollBack(activeID: "shipped-base"))
        }

        // Nothing was deleted: any version can be chosen again, even the one kept aside (with --force).
        XCTAssertEqual(try registry.list().map(\.id), ["shipped-base", "tuned-1", "tuned-2", "tuned-3"])
        XCTAssertThrowsError(try registry.use(id: "tuned-3"))
        XCTAssertEqual(try registry.use(id: "tuned-3", force: true).id, "tuned-3")
        XCTAssertEqual(try registry.list().filter(\.isActive).map(\.id), ["tuned-3"])
        XCTAssertEqual(try registry.loadActiveModel().card.parentID, "tuned-2")
        XCTAssertEqual(try registry.rollback().to.id, "tuned-2")
    }

    func testTheActiveIDIsACheapChangeSignalForAnotherProcess() throws {
        let registry = try makeRegistry(shipped: try makeShippedModel())
        let base = try registry.loadActiveModel()
        // The app holds its own registry (its own connection) on the same data directory.
        let app = try ModelRegistry(dataDirectory: registry.dataDirectory, shippedModelLocator: registry.shippedModelLocator)
        let seen = try app.activeModelID()
        XCTAssertEqual(seen, base.id)
        try registry.register(derive(base, id: "tuned-1"), activate: true, metrics: [:])
        XCTAssertNotEqual(try app.activeModelID(), seen)
        XCTAssertEqual(try app.activeModelPath(), registry.weightsPath(forID: "tuned-1"))
    }

    func testBadChoicesAreRefusedAndLeaveTheActiveModelAlone() throws {
        let registry = try makeRegistry(shipped: try makeShippedModel())
        let base = try registry.loadActiveModel()
        XCTAssertThrowsError(try registry.use(id: "nope")) {
            XCTAssertEqual($0 as? ImprovementError, .unknownModel(id: "nope", known: ["shipped-base"]))
        }

        try registry.register(derive(base, id: "tuned-gone"), activate: false, metrics: [:])
        let gone = registry.weightsPath(forID: "tuned-gone")
        try FileManager.default.removeItem(atPath: gone)
        XCTAssertThrowsError(try registry.use(id: "tuned-gone")) {
            XCTAssertEqual($0 as? ImprovementError, .modelFileMissing(id: "tuned-gone", path: gone))
        }

        try registry.register(derive(base, id: "tuned-damaged"), activate: false, metrics: [:])
        try Data("not safetensors".utf8).write(to: URL(fileURLWithPath: registry.weightsPath(forID: "tuned-damaged")))
        XCTAssertThrowsError(try registry.use(id: "tuned-damaged"))

        XCTAssertThrowsError(try registry.register(derive(base, id: "../escape"), activate: true, metrics: [:])) {
            XCTAssertEqual($0 as? ImprovementError, .unsafeModelID("../escape"))
        }
        XCTAssertEqual(try registry.activeModelID(), "shipped-base")
    }

    func testTheActiveModelsDeletedFileIsReportedNotCrashed() throws {
        let registry = try makeRegistry(shipped: try makeShippedModel())
        let base = try registry.loadActiveModel()
        try registry.register(derive(base, id: "tuned-1"), activate: true, metrics: [:])
        try FileManager.default.removeItem(atPath: registry.weightsPath(forID: "tuned-1"))
        XCTAssertThrowsError(try registry.activeModelPath()) {
            XCTAssertEqual($0 as? ImprovementError, .modelFileMissing(id: "tuned-1", path: registry.weightsPath(forID: "tuned-1")))
            XCTAssertTrue("\($0)".contains("numeral model use"), "\($0)")
        }
        // The way out the message suggests works.
        XCTAssertEqual(try registry.rollback().to.id, "shipped-base")
    }

    func testWithoutAnyModelTheErrorSaysWhatToDo() throws {
        let registry = try makeRegistry(shipped: nil)
        XCTAssertNil(try registry.activeModelID())
        XCTAssertThrowsError(try registry.activeModelPath()) {
            guard case .noModelAvailable? = $0 as? ImprovementError else { return XCTFail("\($0)") }
            XCTAssertTrue("\($0)".contains("numeral train"), "\($0)")
        }
    }

    func testANewlyShippedModelIsListedButDoesNotReplaceTheUsersChoice() throws {
        let registry = try makeRegistry(shipped: try makeShippedModel(id: "shipped-v1"))
        XCTAssertEqual(try registry.prepare().id, "shipped-v1")
        let upgraded = try ModelRegistry(dataDirectory: registry.dataDirectory, store: registry.store,
                                         shippedModelLocator: ModelLocator(explicitPath: try makeShippedModel(id: "shipped-v2")))
        XCTAssertEqual(try upgraded.prepare().id, "shipped-v1")
        XCTAssertEqual(try upgraded.list().map(\.id), ["shipped-v1", "shipped-v2"])
        XCTAssertEqual(try upgraded.use(id: "shipped-v2").id, "shipped-v2")
    }

    func testAMovedDataDirectoryStillFindsItsModels() throws {
        let registry = try makeRegistry(shipped: try makeShippedModel())
        let base = try registry.loadActiveModel()
        try registry.register(derive(base, id: "tuned-1"), activate: true, metrics: [:])
        let moved = registry.dataDirectory + "-moved"
        try FileManager.default.moveItem(atPath: registry.dataDirectory, toPath: moved)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: moved) }

        let reopened = try ModelRegistry(dataDirectory: moved, shippedModelLocator: registry.shippedModelLocator)
        XCTAssertEqual(try reopened.activeModelPath(), reopened.weightsPath(forID: "tuned-1"))
        XCTAssertEqual(try reopened.rollback().to.id, "shipped-base")
    }

    /// Issue 29: `model use` activated a rejected model without a word.
    func testUsingAModelImproveKeptAsideNeedsForceAndSaysWhy() throws {
        let registry = try makeRegistry(shipped: try makeShippedModel())
        let base = try registry.loadActiveModel()
        try registry.register(derive(base, id: "tuned-aside"), activate: false, metrics: [ImprovementReport.MetricKey.adopted: 0])

        XCTAssertThrowsError(try registry.use(id: "tuned-aside")) { error in
            guard case let .activationRefused(id, reasons)? = error as? ImprovementError else { return XCTFail("\(error)") }
            XCTAssertEqual(id, "tuned-aside")
            XCTAssertEqual(reasons, ["`numeral improve` kept it aside"])
            XCTAssertTrue("\(error)".contains("`numeral model use tuned-aside --force` activates it anyway"), "\(error)")
        }
        XCTAssertEqual(try registry.activeModelID(), "shipped-base", "refused: the active model stays")

        XCTAssertEqual(try registry.use(id: "tuned-aside", force: true).id, "tuned-aside")
        XCTAssertEqual(try registry.activeModelID(), "tuned-aside")
        // Choosing the active one again, or rolling back to a parent, is never refused.
        XCTAssertEqual(try registry.use(id: "tuned-aside").id, "tuned-aside")
        XCTAssertEqual(try registry.rollback().to.id, "shipped-base")
    }

    /// The same floor as improve's: a version whose recorded MNIST accuracy is more than 0.1 point
    /// below the shipped model's (99 % here) needs --force, whichever lineage it comes from.
    func testUsingAModelBelowTheShippedMNISTFloorNeedsForce() throws {
        let registry = try makeRegistry(shipped: try makeShippedModel())
        let base = try registry.loadActiveModel()
        let key = ImprovementReport.MetricKey.mnistTestAccuracy
        // Made by `numeral train` (no parent): judged against the shipped model all the same.
        let trained = derive(base, id: "trained-quick")
        trained.card.parentID = nil
        try registry.register(trained, activate: false, metrics: [key: 0.974])
        try registry.register(derive(base, id: "tuned-at-floor"), activate: false, metrics: [key: 0.989, ImprovementReport.MetricKey.adopted: 1])
        try registry.register(derive(base, id: "tuned-below"), activate: false, metrics: [key: 0.9889])
        XCTAssertEqual(try registry.shippedBaseline(for: "trained-quick")?.id, "shipped-base")
        XCTAssertEqual(try registry.shippedBaseline(for: "tuned-below")?.id, "shipped-base")

        XCTAssertThrowsError(try registry.use(id: "trained-quick")) { error in
            XCTAssertEqual(error as? ImprovementError, .activationRefused(
                id: "trained-quick", reasons: ["its MNIST test accuracy 97.40% is below the shipped model shipped-base's 99.00% minus 0.10 pp"]))
        }
        XCTAssertThrowsError(try registry.use(id: "tuned-below"))
        XCTAssertEqual(try registry.activeModelID(), "shipped-base")
        XCTAssertEqual(try registry.activationConcerns(id: "tuned-at-floor"), [], "exactly the floor is allowed")
        XCTAssertEqual(try registry.use(id: "tuned-at-floor").id, "tuned-at-floor")
        XCTAssertEqual(try registry.use(id: "trained-quick", force: true).id, "trained-quick")
    }
}
