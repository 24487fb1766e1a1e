import Foundation
import NumeralEngine
@testable import NumeralRecognition
import NumeralVision
import XCTest

/// A model card and weights file come from outside: every field is checked against hard limits
/// before anything is built, and weights that would give NaN are refused.
final class ModelFileSafetyTests: XCTestCase {
    private var dir: URL!
    override func setUpWithError() throws { dir = try TestData.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    private var shippedWeights: String { TestData.repoRoot.appendingPathComponent("Models/mnist-cnn.safetensors").path }

    /// The shipped card with `change` applied to its JSON architecture, beside a copy of the shipped weights.
    private func model(named name: String, architecture change: (inout [String: Any]) -> Void) throws -> String {
        let cardData = try Data(contentsOf: URL(fileURLWithPath: DigitModel.cardPath(forWeights: shippedWeights)))
        var card = try XCTUnwrap(JSONSerialization.jsonObject(with: cardData) as? [String: Any])
        var architecture = try XCTUnwrap(card["architecture"] as? [String: Any])
        change(&architecture)
        card["architecture"] = architecture
        let weights = dir.appendingPathComponent("\(name).safetensors").path
        try JSONSerialization.data(withJSONObject: card).write(to: URL(fileURLWithPath: DigitModel.cardPath(forWeights: weights)))
        try FileManager.default.copyItem(atPath: shippedWeights, toPath: weights)
        return weights
    }

    private func loadError(_ weights: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try DigitModel.load(weightsPath: weights)
            XCTFail("\(weights) was accepted", file: file, line: line)
            return ""
        } catch {
            return "\(error)"
        }
    }

    func testClassesOfNoCharacterSetAreRefusedBeforeBuilding() throws {
        // -1 and 2^62 crashed with a write out of bounds, 2^31 aborted allocating 1 TiB; 1, 3, 12 were accepted.
        for classes in [-1, 0, 1, 3, 9, 11, 12, 1 << 31, 1 << 62] {
            let weights = try model(named: "classes\(classes)") { $0["classes"] = classes }
            let message = loadError(weights)
            XCTAssertTrue(message.contains("\"classes\" is \(classes), but a model reads the 10 digits, the 52 letters or the 62 of both"), message)
            XCTAssertTrue(message.contains(DigitModel.cardPath(forWeights: weights)), "names the card: \(message)")
        }
    }

    func testHugeArchitecturesAreRefusedFromTheCardAlone() throws {
        let cases: [(String, (inout [String: Any]) -> Void, String)] = [
            ("forty", { $0["stages"] = [[Int](repeating: 1024, count: 40)] }, "has 40 convolutions; at most 16"),
            ("wide", { $0["stages"] = [[2048]] }, "has 2048 filters; each needs 1...512"),
            ("zero", { $0["stages"] = [[32, 0]] }, "has 0 filters"),
            ("empty", { $0["stages"] = [[Int]]() }, "needs at least one stage"),
            ("emptyStage", { $0["stages"] = [[32], []] }, "needs at least one stage"),
            ("deep", { $0["stages"] = [[8], [8], [8], [8], [8], [8]] }, "has 6 stages"),
            ("parameters", { $0["stages"] = [[32], [512, 512, 512], [512, 512]] }, "parameters; at most 5000000"),
            ("work", { $0["stages"] = [[512, 512], [16]] }, "multiply-adds per digit"),
            ("memory", { $0["stages"] = [[512, 1]]; $0["kernelSize"] = 7 }, "MB of working memory per digit; at most 32 MB"),
            ("kernel", { $0["kernelSize"] = 9 }, "\"kernelSize\" must be odd and between 1 and 7, got 9"),
            ("input", { $0["inputSize"] = 1 << 40 }, "\"inputSize\" is 1099511627776"),
            ("dropout", { $0["dropout"] = 1.5 }, "\"dropout\" must be in [0, 1)"),
        ]
        for (name, change, expected) in cases {
            let message = loadError(try model(named: name, architecture: change))
            XCTAssertTrue(message.contains(expected), "\(name): \(message)")
        }
    }

    func testStringsWhereNumbersBelongAreExplainedWithoutSwiftTypeNames() throws {
        let message = loadError(try model(named: "text") { $0["stages"] = "32,64" })
        XCTAssertTrue(message.contains("\"architecture.stages\" should be a list [...], not text"), message)
        XCTAssertFalse(message.contains("Array<"), message)
        XCTAssertFalse(message.contains("DecodingError"), message)
    }

    func testTensorShapesMatchTheBuiltNetworkWithoutBuildingIt() throws {
        var wide = DigitArchitecture(stages: [[8, 8, 8], [16], [4], [4]], kernelSize: 5)
        wide.dropout = 0.1
        for architecture in [DigitArchitecture.standard, .baseline, .quick, .small, wide] {
            XCTAssertNoThrow(try architecture.validate())
            let built = architecture.build().namedTensors.map { "\($0.0) \($0.1.shape)" }.sorted()
            XCTAssertEqual(architecture.tensorShapes.map { "\($0.name) \($0.shape)" }.sorted(), built)
            XCTAssertEqual(architecture.parameterCount, architecture.build().namedTensors.reduce(0) { $0 + $1.1.count })
        }
        XCTAssertEqual(DigitArchitecture.standard.parameterCount, 141_418)
        XCTAssertEqual(DigitArchitecture.standard.activationBytesPerImage, 2_738_792)
    }

    /// Writes the shipped model with one tensor changed.
    private func shippedModel(with change: (String, Tensor) -> Void, named name: String) throws -> String {
        let model = try TestData.shippedModel()
        for (name, tensor) in model.network.namedTensors { change(name, tensor) }
        let path = dir.appendingPathComponent("\(name).safetensors").path
        try model.save(weightsPath: path)
        return path
    }

    func testNegativeBatchNormVariancesAreRefused() throws {
        let path = try shippedModel(with: { name, tensor in if name == "4.running_var" { tensor[5] = -0.25 } }, named: "negvar")
        XCTAssertThrowsError(try DigitModel.load(weightsPath: path)) { error in
            XCTAssertEqual(error as? ModelFileError, .negativeVariance(path: path, tensor: "4.running_var", index: 5, value: -0.25))
            XCTAssertTrue("\(error)".contains("variances cannot be negative"), "\(error)")
        }
    }

    func testWeightsWhoseOutputsOverflowAreRefusedByTheProbe() throws {
        let path = try shippedModel(with: { name, tensor in
            if name == "19.weight" { for i in 0..<tensor.count { tensor[i] = i % 2 == 0 ? 3e38 : -3e38 } }
        }, named: "overflow")
        XCTAssertThrowsError(try DigitModel.load(weightsPath: path)) { error in
            XCTAssertEqual(error as? ModelFileError, .nonFiniteOutput(path: path))
        }
    }

    /// Weights that pass the three probe inputs but could overflow on another drawing (found by the
    /// fuzz harness: a mutated file whose probes were finite gave NaN on uniform gray) are refused
    /// by the activation bound; the shipped model's bound is far below the limit.
    func testWeightsThatCouldOverflowOnSomeInputAreRefusedByTheBound() throws {
        let path = try shippedModel(with: { name, tensor in
            if name == "19.weight" { for i in 0..<tensor.count { tensor[i] = i % 2 == 0 ? 1e29 : -1e29 } }
        }, named: "huge")
        XCTAssertThrowsError(try DigitModel.load(weightsPath: path)) { error in
            guard case .unboundedActivations(path, let bound)? = error as? ModelFileError else { return XCTFail("\(error)") }
            XCTAssertGreaterThan(bound, 1e30)
            XCTAssertTrue("\(error)".contains("could overflow"), "\(error)")
        }
        let shipped = try TestData.shippedModel()
        let bound = try XCTUnwrap(ActivationBound.of(shipped.network, input: 1))
        XCTAssertLessThan(bound, 1e12, "the shipped model's activation bound")
    }

    func testWeightsWithTheWrongDTypeAreRefusedFromTheHeader() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: shippedWeights))
        let length = Int(data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        var header = String(decoding: data[8..<8 + length], as: UTF8.self)
        header = header.replacingOccurrences(of: "\"F32\"", with: "\"F16\"")
        let path = dir.appendingPathComponent("f16.safetensors").path
        try (data.prefix(8) + Data(header.utf8) + data.suffix(from: 8 + length)).write(to: URL(fileURLWithPath: path))
        try FileManager.default.copyItem(atPath: DigitModel.cardPath(forWeights: shippedWeights), toPath: DigitModel.cardPath(forWeights: path))
        XCTAssertThrowsError(try DigitModel.load(weightsPath: path)) { error in
            guard case .unsupportedDType(path, _, "F16")? = error as? ModelFileError else { return XCTFail("\(error)") }
        }
    }

    func testAFolderInsteadOfAModelIsAReadableError() throws {
        let folder = dir.appendingPathComponent("model.safetensors")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let message = loadError(folder.path)
        XCTAssertEqual(message, "Cannot read model file \(folder.path): it is a folder, not a file; pass the .safetensors file inside it.")
    }

    func testTheShippedModelStillLoads() throws {
        let model = try TestData.shippedModel()
        XCTAssertEqual(model.card.architecture, .standard)
    }
}

/// Even a model that passed loading never reports a NaN confidence as an answer.
final class NonFiniteResultTests: XCTestCase {
    func testARecognitionWithNaNProbabilitiesIsAnError() throws {
        let recognizer = Recognizer(model: try TestData.shippedModel())
        let image = GrayImage(width: 28, height: 28, pixels: [Float](repeating: 0, count: 784))
        var probabilities = [Float](repeating: 0.1, count: 10)
        XCTAssertNoThrow(try recognizer.checked(Recognition(digits: [DigitPrediction(probabilities: probabilities, input: image)],
                                                            latencyMs: 1, modelID: "m")))
        probabilities[3] = .nan
        XCTAssertThrowsError(try recognizer.checked(Recognition(digits: [DigitPrediction(probabilities: probabilities, input: image)],
                                                                latencyMs: 1, modelID: "m"))) {
            XCTAssertEqual($0 as? RecognitionError, .nonFiniteOutput(modelID: recognizer.model.id))
            XCTAssertTrue("\($0)".contains("gave NaN or infinite probabilities"), "\($0)")
        }
    }
}
