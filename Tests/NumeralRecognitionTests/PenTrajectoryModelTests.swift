import Foundation
import NumeralRecognition
import NumeralVision
import XCTest

/// The pen-trajectory model: its features, its fusion with the image model for drawings only,
/// and loading that trusts neither its card nor its weights.
final class PenTrajectoryModelTests: XCTestCase {
    private var dir: URL!
    override func setUpWithError() throws { dir = try TestData.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    private func line(_ points: [(Double, Double)]) -> Stroke { Stroke(points: points.map { StrokePoint(x: $0.0, y: $0.1) }) }

    private var small: TrajectoryArchitecture { TrajectoryArchitecture(points: 16, hidden: [32], dropout: 0.1) }

    private func savedModel(_ name: String = "pen", fusionWeight: Double = 0.5) throws -> (String, PenTrajectoryModel) {
        let model = PenTrajectoryModel(card: TrajectoryModelCard(id: "pen-test", architecture: small, fusionWeight: fusionWeight),
                                       network: small.build(seed: 7))
        let path = dir.appendingPathComponent("\(name).safetensors").path
        try model.save(weightsPath: path)
        return (path, model)
    }

    private func loadError(_ path: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try PenTrajectoryModel.load(weightsPath: path)
            XCTFail("\(path) was accepted", file: file, line: line)
            return ""
        } catch { return "\(error)" }
    }

    /// Rewrites the saved card's JSON.
    private func editCard(_ path: String, _ change: (inout [String: Any]) -> Void) throws {
        let cardURL = URL(fileURLWithPath: PenTrajectoryModel.cardPath(forWeights: path))
        var card = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: cardURL)) as? [String: Any])
        change(&card)
        try JSONSerialization.data(withJSONObject: card).write(to: cardURL)
    }

    func testFeaturesFollowThePenAndIgnoreItsSpeed() throws {
        let encoder = TrajectoryEncoder(points: 8)
        // A "+" drawn as two strokes: the jump between them is pen-up.
        let plus = Drawing(strokes: [line([(0, 50), (100, 50)]), line([(50, 0), (50, 100)])])
        let f = try encoder.encode(plus)
        XCTAssertEqual(f.count, 40)
        let penUp = stride(from: 4, to: 40, by: 5).map { f[$0] }
        XCTAssertEqual(penUp.first, 0)
        XCTAssertTrue(penUp.contains(1), "the jump between the strokes is marked pen-up")
        XCTAssertEqual(f[0], -1, accuracy: 1e-6, "starts at the box's left edge")
        XCTAssertEqual(f[2], 1, accuracy: 1e-6, "moving right")
        // The same line sampled at 2 or 200 points gives the same features.
        let sparse = Drawing(strokes: [line([(0, 0), (30, 90)])])
        let dense = Drawing(strokes: [line((0...200).map { (Double($0) * 0.15, Double($0) * 0.45) })])
        for (a, b) in zip(try encoder.encode(sparse), try encoder.encode(dense)) { XCTAssertEqual(a, b, accuracy: 1e-4) }
        // A dot is finite; nothing drawn is an error as on the image path.
        XCTAssertTrue(try encoder.encode(Drawing(strokes: [line([(3, 3)])])).allSatisfy(\.isFinite))
        XCTAssertThrowsError(try encoder.encode(Drawing(strokes: [])))
    }

    func testAspectFloorWidensOnlyVeryNarrowDrawings() throws {
        // A loop 40 wide and 400 tall (ratio 0.1): without the floor its x features span ±0.1;
        // with a floor of 0.5 the width is stretched by sqrt(0.5 / 0.1), to about ±0.22.
        let loop = Drawing(strokes: [line((0...36).map { i in
            let a = Double(i) / 36 * 2 * .pi
            return (20 * cos(a), 200 * sin(a))
        })])
        func xSpan(_ encoder: TrajectoryEncoder, _ drawing: Drawing) throws -> Float {
            let f = try encoder.encode(drawing)
            let xs = stride(from: 0, to: f.count, by: 5).map { f[$0] }
            return (xs.max() ?? 0) - (xs.min() ?? 0)
        }
        XCTAssertEqual(try xSpan(TrajectoryEncoder(points: 32), loop), 0.2, accuracy: 0.02)
        XCTAssertEqual(try xSpan(TrajectoryEncoder(points: 32, aspectFloor: 0.5), loop), 0.2 * Float(5.0.squareRoot()), accuracy: 0.03)
        // A square keeps its shape, and a floor out of range is clamped.
        let square = Drawing(strokes: [line([(0, 0), (100, 0), (100, 100), (0, 100), (0, 0)])])
        XCTAssertEqual(try TrajectoryEncoder(points: 16, aspectFloor: 0.5).encode(square), try TrajectoryEncoder(points: 16).encode(square))
        XCTAssertEqual(TrajectoryEncoder(aspectFloor: .nan).aspectFloor, 0)
        XCTAssertEqual(TrajectoryEncoder(aspectFloor: 3).aspectFloor, 1)
        // Cards written before the floor existed read it as 0 (the aspect kept).
        let old = try JSONDecoder().decode(TrajectoryArchitecture.self,
                                           from: Data(#"{"points": 32, "hidden": [256, 256], "dropout": 0.2, "classes": 10}"#.utf8))
        XCTAssertNil(old.aspectFloor)
        XCTAssertEqual(old.encoder.aspectFloor, 0)
        var hostile = TrajectoryArchitecture.standard
        hostile.aspectFloor = -1
        XCTAssertThrowsError(try hostile.validate())
    }

    func testAugmentationIsDeterministicAndKeepsTheStrokes() {
        let drawing = Drawing(strokes: [line((0..<40).map { (Double($0), Double($0 * $0) / 10) }), line([(0, 0), (40, 0)])])
        var a = SplitMix64(seed: 5), b = SplitMix64(seed: 5)
        let first = DrawingAugmenter().augment(drawing, using: &a)
        XCTAssertEqual(first, DrawingAugmenter().augment(drawing, using: &b))
        XCTAssertEqual(first.strokes.count, 2)
        XCTAssertNotEqual(first, drawing)
    }

    func testSavedModelLoadsWithTheSamePredictions() throws {
        let (path, model) = try savedModel()
        let loaded = try PenTrajectoryModel.load(weightsPath: path)
        let drawing = Drawing(strokes: [line([(10, 10), (60, 10), (20, 90)])])
        XCTAssertEqual(try loaded.predict(drawing), try model.predict(drawing))
        XCTAssertEqual(try loaded.predict(drawing).reduce(0, +), 1, accuracy: 1e-5)
    }

    func testHostileCardsAreRefusedBeforeBuilding() throws {
        let cases: [(String, (inout [String: Any]) -> Void, String)] = [
            ("kind", { $0["kind"] = "image" }, "not a pen-trajectory model's card"),
            ("classes", { var a = $0["architecture"] as! [String: Any]; a["classes"] = 4_611_686_018_427_387_904; $0["architecture"] = a }, "classes"),
            ("points", { var a = $0["architecture"] as! [String: Any]; a["points"] = 100_000; $0["architecture"] = a }, "points"),
            ("hidden", { var a = $0["architecture"] as! [String: Any]; a["hidden"] = [2048, 2048, 2048, 2048]; $0["architecture"] = a }, "parameters"),
            ("units", { var a = $0["architecture"] as! [String: Any]; a["hidden"] = [-1]; $0["architecture"] = a }, "hidden layer"),
            ("fusion", { $0["fusionWeight"] = 2 }, "fusionWeight"),
            ("dropout", { var a = $0["architecture"] as! [String: Any]; a["dropout"] = 1; $0["architecture"] = a }, "dropout"),
        ]
        for (name, change, expected) in cases {
            let (path, _) = try savedModel(name)
            try editCard(path, change)
            let message = loadError(path)
            XCTAssertTrue(message.contains(expected), "\(name): \(message)")
            XCTAssertTrue(message.contains(PenTrajectoryModel.cardPath(forWeights: path)), "\(name) names the card: \(message)")
        }
    }

    func testWeightsThatDoNotMatchTheCardOrAreNotFiniteAreRefused() throws {
        // A card asking for wider layers than the weights hold.
        let (wider, _) = try savedModel("wider")
        try editCard(wider) { var a = $0["architecture"] as! [String: Any]; a["hidden"] = [64]; $0["architecture"] = a }
        XCTAssertTrue(loadError(wider).contains("shape"), loadError(wider))
        // A card with one layer more than the weights hold.
        let (deeper, _) = try savedModel("deeper")
        try editCard(deeper) { var a = $0["architecture"] as! [String: Any]; a["hidden"] = [32, 32]; $0["architecture"] = a }
        XCTAssertFalse(loadError(deeper).isEmpty)
        // NaN in a weight.
        let (nan, model) = try savedModel("nan")
        model.network.namedTensors[0].1.data[3] = .nan
        try model.save(weightsPath: nan)
        XCTAssertTrue(loadError(nan).contains("NaN") || loadError(nan).lowercased().contains("finite"), loadError(nan))
        // Truncated weights.
        let (cut, _) = try savedModel("cut")
        let data = try Data(contentsOf: URL(fileURLWithPath: cut))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: cut))
        XCTAssertTrue(loadError(cut).contains(cut), loadError(cut))
        // Weights without a card.
        let (alone, _) = try savedModel("alone")
        try FileManager.default.removeItem(atPath: PenTrajectoryModel.cardPath(forWeights: alone))
        XCTAssertFalse(loadError(alone).isEmpty)
    }

    func testFusionIsAWeightedProductOfExperts() {
        let image: [Float] = [0.6, 0.4, 0, 0, 0, 0, 0, 0, 0, 0]
        let trajectory: [Float] = [0.1, 0.9, 0, 0, 0, 0, 0, 0, 0, 0]
        XCTAssertEqual(PenTrajectoryModel.fuse(image: image, trajectory: trajectory, weight: 0), image)
        let fused = PenTrajectoryModel.fuse(image: image, trajectory: trajectory, weight: 0.5)
        XCTAssertEqual(fused.reduce(0, +), 1, accuracy: 1e-5)
        XCTAssertGreaterThan(fused[1], fused[0], "sqrt(0.4*0.9) > sqrt(0.6*0.1)")
    }

    func testRecognizerFusesDrawingsButNotPictures() throws {
        let (path, model) = try savedModel(fusionWeight: 1)
        let imageOnly = Recognizer(model: try TestData.shippedModel())
        let fused = Recognizer(model: try TestData.shippedModel(), trajectoryModel: model)
        let seven = Drawing(strokes: [line([(30, 40), (170, 40), (90, 240)])])
        // With weight 1 a drawing gets exactly the trajectory model's answer.
        for (a, b) in zip(try fused.recognize(seven).digits[0].probabilities, try model.predict(seven)) {
            XCTAssertEqual(a, b, accuracy: 1e-5)
        }
        // A picture is read by the image model alone.
        let ink = try DrawingNormalizer(targetBox: 60, size: 84).normalize(seven)
        let picture = StretchedScan.picture(ink)
        XCTAssertEqual(try fused.recognize(picture: picture).digits[0].probabilities,
                       try imageOnly.recognize(picture: picture).digits[0].probabilities)
        // The locator finds a trajectory model beside the image model, or as $NUMERAL_TRAJECTORY_MODEL, or none ("off").
        let locator = ModelLocator(environment: [:])
        _ = path
        XCTAssertNil(ModelLocator(environment: ["NUMERAL_TRAJECTORY_MODEL": "off"]).trajectoryPath(besideImageModel: path))
        XCTAssertEqual(ModelLocator(environment: ["NUMERAL_TRAJECTORY_MODEL": path]).trajectoryPath(besideImageModel: nil), path)
        let beside = dir.appendingPathComponent(PenTrajectoryModel.shippedFileName).path
        try model.save(weightsPath: beside)
        XCTAssertEqual(locator.trajectoryPath(besideImageModel: dir.appendingPathComponent("x.safetensors").path), beside)
        XCTAssertNotNil(try Recognizer.load(weightsPath: TestData.shippedWeightsPath, locator: ModelLocator(environment: ["NUMERAL_TRAJECTORY_MODEL": beside])).trajectoryModel)
        // A broken trajectory model is an error, not silently ignored.
        try Data("not a model".utf8).write(to: URL(fileURLWithPath: beside))
        XCTAssertThrowsError(try Recognizer.load(weightsPath: TestData.shippedWeightsPath, locator: ModelLocator(environment: ["NUMERAL_TRAJECTORY_MODEL": beside])))
    }
}

extension TestData {
    static var shippedWeightsPath: String { repoRoot.appendingPathComponent("Models/\(ModelLocator.shippedFileName)").path }
}
