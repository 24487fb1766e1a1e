import Foundation
import NumeralRecognition
import NumeralVision
import XCTest

/// Character sets: what a model reads is in its card, checked against its outputs, and a model
/// is only ever used for the set it was trained on.
final class CharacterSetTests: XCTestCase {
    private var dir: URL!
    override func setUpWithError() throws { dir = try TestData.temporaryDirectory() }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    private func saveImageModel(_ name: String, classes: CharacterClasses, recorded: CharacterClasses?) throws -> String {
        var architecture = DigitArchitecture.small
        architecture.classes = classes.count
        var card = ModelCard(id: "\(name)-test", architecture: architecture)
        card.characters = recorded
        let model = DigitModel(card: card, network: architecture.build(seed: 3))
        let path = dir.appendingPathComponent("\(name).safetensors").path
        try model.save(weightsPath: path)
        return path
    }

    private func saveTrajectoryModel(_ name: String, classes: CharacterClasses) throws -> String {
        let architecture = TrajectoryArchitecture(points: 16, hidden: [32], dropout: 0.1, classes: classes.count)
        var card = TrajectoryModelCard(id: "\(name)-test", architecture: architecture, fusionWeight: 0.5)
        card.characters = classes
        let path = dir.appendingPathComponent("\(name).safetensors").path
        try PenTrajectoryModel(card: card, network: architecture.build(seed: 5)).save(weightsPath: path)
        return path
    }

    func testSetsListTheirSymbolsInTheModelsOrder() {
        XCTAssertEqual(CharacterClasses.digits.symbols, Array("0123456789"))
        XCTAssertEqual(CharacterClasses.letters.count, 52)
        XCTAssertEqual(CharacterClasses.letters.symbol(0), "a")
        XCTAssertEqual(CharacterClasses.letters.symbol(26), "A")
        XCTAssertEqual(CharacterClasses.alphanumeric.symbol(10), "a")
        XCTAssertEqual(CharacterClasses.alphanumeric.symbol(61), "Z")
        XCTAssertEqual(CharacterClasses.alphanumeric.index(of: "7"), 7)
        XCTAssertNil(CharacterClasses.letters.index(of: "7"))
        XCTAssertEqual(CharacterClasses.letters.symbol(52), "?")
        for set in CharacterClasses.allCases {
            XCTAssertEqual(set.symbols.count, set.count)
            XCTAssertEqual(Set(set.symbols).count, set.count, "\(set) repeats a symbol")
            XCTAssertEqual(CharacterClasses.withCount(set.count), set)
        }
        XCTAssertNil(CharacterClasses.withCount(11))
    }

    func testALetterReadingIsTextAndACorrectionReplacesOneCharacter() {
        func prediction(_ winner: Int, of classes: CharacterClasses) -> DigitPrediction {
            var p = [Float](repeating: 0.001, count: classes.count)
            p[winner] = 0.9
            return DigitPrediction(probabilities: p, input: GrayImage(width: 28, height: 28, pixels: [Float](repeating: 0, count: 784)))
        }
        let word = Recognition(digits: [prediction(26 + 0, of: .letters), prediction(3, of: .letters), prediction(0, of: .letters)],
                               latencyMs: 1, modelID: "m")
        XCTAssertEqual(word.text, "Ada")
        XCTAssertEqual(word.number, "Ada")
        XCTAssertEqual(word.classes, .letters)
        XCTAssertEqual(word.digits[0].top3Symbols.first?.symbol, "A")
        XCTAssertEqual(word.number(replacingDigitAt: 2, with: 26 + 4), "AdE")
        XCTAssertEqual(word.number(replacingDigitAt: 9, with: 1), "b")
        let number = Recognition(digits: [prediction(4, of: .digits), prediction(2, of: .digits)], latencyMs: 1, modelID: "m")
        XCTAssertEqual(number.text, "42")
        XCTAssertEqual(number.number(replacingDigitAt: 0, with: 7), "72")
        XCTAssertEqual(Recognition(digits: [prediction(35, of: .alphanumeric)], latencyMs: 1, modelID: "m").text, "z")
    }

    func testACardSaysWhatItReadsAndMustAgreeWithItsNetwork() throws {
        let letters = try saveImageModel("letters", classes: .letters, recorded: .letters)
        XCTAssertEqual(try DigitModel.load(weightsPath: letters).classes, .letters)
        XCTAssertEqual(try DigitModel.load(weightsPath: letters).predict([Float](repeating: 0, count: 784)).count, 52)
        // 52 outputs on a card that says nothing (the digits): refused, with both numbers named.
        let unlabelled = try saveImageModel("unlabelled", classes: .letters, recorded: nil)
        XCTAssertThrowsError(try DigitModel.load(weightsPath: unlabelled)) { error in
            XCTAssertTrue("\(error)".contains("52 outputs"), "\(error)")
            XCTAssertTrue("\(error)".contains("digits (10 classes)"), "\(error)")
        }
        let wrong = try saveImageModel("wrong", classes: .digits, recorded: .alphanumeric)
        XCTAssertThrowsError(try DigitModel.load(weightsPath: wrong)) { XCTAssertTrue("\($0)".contains("alphanumeric (62 classes)"), "\($0)") }
        var odd = DigitArchitecture.small
        odd.classes = 11
        XCTAssertThrowsError(try odd.validate()) { XCTAssertTrue("\($0)".contains("10 digits, the 52 letters or the 62"), "\($0)") }
        let pen = try saveTrajectoryModel("letters-pen", classes: .letters)
        XCTAssertEqual(try PenTrajectoryModel.load(weightsPath: pen).classes, .letters)
    }

    func testTheLoaderRefusesAModelForASetItWasNotTrainedOn() throws {
        let letters = try saveImageModel("letters-cnn", classes: .letters, recorded: .letters)
        var digits = ModelLocator(explicitPath: letters, environment: [:])
        XCTAssertThrowsError(try Recognizer(locator: digits)) { error in
            XCTAssertEqual(error as? RecognitionError, .characterSetMismatch(path: letters, reads: .letters, wanted: .digits))
            XCTAssertTrue("\(error)".contains("reads letters, not digits"), "\(error)")
            XCTAssertTrue("\(error)".contains("--classes letters"), "\(error)")
        }
        digits.classes = .letters
        let recognizer = try Recognizer(locator: digits)
        XCTAssertEqual(recognizer.classes, .letters)
        XCTAssertNil(recognizer.pictureModel, "the picture model reads digits: letters have none")
        // A pen model of another set beside it is refused too, never silently mixed in.
        _ = try saveTrajectoryModel("letters-pen", classes: .alphanumeric)
        XCTAssertThrowsError(try Recognizer(locator: digits)) { error in
            XCTAssertTrue("\(error)".contains("letters-pen.safetensors reads alphanumeric, not letters"), "\(error)")
        }
        _ = try saveTrajectoryModel("letters-pen", classes: .letters)
        let fused = try Recognizer(locator: digits)
        XCTAssertEqual(fused.trajectoryModel?.classes, .letters)
        let drawing = Drawing(strokes: [Stroke(points: [StrokePoint(x: 0, y: 0), StrokePoint(x: 30, y: 90)])])
        let reading = try fused.recognize(drawing)
        XCTAssertEqual(reading.digits[0].probabilities.count, 52)
        XCTAssertTrue(reading.text.allSatisfy(\.isLetter), reading.text)
    }

    func testTheLocatorNamesEachSetsShippedFiles() {
        XCTAssertEqual(ModelLocator.shippedFileName(for: .digits), "mnist-cnn.safetensors")
        XCTAssertEqual(ModelLocator.shippedFileName(for: .letters), "letters-cnn.safetensors")
        XCTAssertEqual(ModelLocator.trajectoryFileName(for: .alphanumeric), "alphanumeric-pen.safetensors")
        var locator = ModelLocator(environment: ["NUMERAL_MODEL": "/elsewhere/digits.safetensors"], executablePath: "/opt/numeral/bin/numeral",
                                   currentDirectory: "/work", activeModelPath: "/data/active.safetensors")
        XCTAssertEqual(locator.candidates.first, "/elsewhere/digits.safetensors")
        locator.classes = .letters
        XCTAssertFalse(locator.candidates.contains("/elsewhere/digits.safetensors"), "$NUMERAL_MODEL is the digit model")
        XCTAssertFalse(locator.candidates.contains("/data/active.safetensors"), "the active model is a digit model")
        XCTAssertTrue(locator.candidates.contains("/opt/numeral/share/numeral/Models/letters-cnn.safetensors"), "\(locator.candidates)")
    }

    func testCaseOfSharedShapeLettersFollowsTheLine() {
        func prediction(_ symbol: Character) -> DigitPrediction {
            var p = [Float](repeating: 0.001, count: 52)
            p[CharacterClasses.letters.index(of: symbol)!] = 0.9
            return DigitPrediction(probabilities: p, input: GrayImage(width: 28, height: 28, pixels: [Float](repeating: 0, count: 784)))
        }
        // "Hop" written with a capital H (cap line 0, baseline 100): o and p start at x-height.
        var word = [prediction("H"), prediction("O"), prediction("P")]
        var changed = LetterCaseByLine.apply(to: &word, tops: [0, 50, 48], bottoms: [100, 100, 140])
        XCTAssertEqual(String(word.map(\.symbol)), "Hop")
        XCTAssertEqual(changed, [1, 2])
        // "HOP": every letter reaches the cap line.
        word = [prediction("H"), prediction("o"), prediction("p")]
        LetterCaseByLine.apply(to: &word, tops: [0, 3, 2], bottoms: [100, 100, 100])
        XCTAssertEqual(String(word.map(\.symbol)), "HOP")
        // With an x-height letter to measure by: "Ban" + "c"/"C".
        word = [prediction("B"), prediction("a"), prediction("n"), prediction("C")]
        LetterCaseByLine.apply(to: &word, tops: [0, 45, 40, 42], bottoms: [100, 100, 100, 100])
        XCTAssertEqual(String(word.map(\.symbol)), "Banc")
        // No character says where the cap line is: the model's guess stands.
        word = [prediction("o"), prediction("X")]
        changed = LetterCaseByLine.apply(to: &word, tops: [0, 50], bottoms: [100, 100])
        XCTAssertEqual(String(word.map(\.symbol)), "oX")
        XCTAssertEqual(changed, [])
        // A single character, and digits, are never changed.
        word = [prediction("O")]
        XCTAssertEqual(LetterCaseByLine.apply(to: &word, tops: [50], bottoms: [100]), [])
    }

    func testCharacterEvaluationCountsCaseAndConfusions() {
        var e = CharacterEvaluation(classes: .letters)
        let o = CharacterClasses.letters.index(of: "o")!, O = CharacterClasses.letters.index(of: "O")!
        let q = CharacterClasses.letters.index(of: "q")!, g = CharacterClasses.letters.index(of: "g")!
        e.record(label: o, read: o)
        e.record(label: o, read: O)
        e.record(label: o, read: O)
        e.record(label: q, read: g)
        e.recordUnreadable()
        XCTAssertEqual(e.count, 5)
        XCTAssertEqual(e.exactAccuracy, 0.2, accuracy: 1e-9)
        XCTAssertEqual(e.caseFoldedAccuracy, 0.6, accuracy: 1e-9)
        XCTAssertEqual(e.mostConfused(5).map { "\($0.expected)\($0.read)\($0.count)" }, ["oO2", "qg1"])
        XCTAssertEqual(e.mostConfused(5, ignoringCase: true).map { "\($0.expected)\($0.read)" }, ["qg"])
    }

    /// The shipped letter models on the DigiLeTs writers training held out (skipped without the data).
    func testShippedLetterModelsReadHeldOutWriters() throws {
        let path = try TestData.digiLeTsDirectory()
        let models = TestData.repoRoot.appendingPathComponent("Models/letters-cnn.safetensors").path
        guard FileManager.default.fileExists(atPath: models) else { throw XCTSkip("no shipped letters model in Models/") }
        var locator = ModelLocator(explicitPath: models, environment: [:])
        locator.classes = .letters
        let recognizer = try Recognizer(locator: locator)
        let all = DigiLeTs.samples(try DigiLeTs.load(path: path), reading: .letters)
        let held = TrainingData.heldOutDigiLeTsWriters(among: all.map(\.writer))
        XCTAssertEqual(held.count, 15)
        var e = CharacterEvaluation(classes: .letters)
        for sample in all where held.contains(sample.writer) {
            guard let d = try? recognizer.recognize(sample.drawing, multiDigit: false).digits.first else { e.recordUnreadable(); continue }
            e.record(label: sample.label, read: d.digit)
        }
        XCTAssertEqual(e.count, 15 * 52 * 5)
        XCTAssertGreaterThanOrEqual(e.caseFoldedAccuracy, 0.95, "case-folded on held-out writers")
    }
}
