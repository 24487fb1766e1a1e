import Foundation
import NumeralRecognition
import NumeralVision
import XCTest

/// The picture model: a second image model, tuned on box-stretched scans, averaged with the image
/// model for pictures and photos only. Drawings never see it.
final class PictureModelTests: XCTestCase {
    private var shippedPicturePath: String {
        TestData.repoRoot.appendingPathComponent("Models/\(ModelLocator.pictureModelFileName)").path
    }

    private func seven() -> Drawing {
        Drawing(strokes: [Stroke(points: [(30.0, 40.0), (170, 40), (90, 240)].map { StrokePoint(x: $0.0, y: $0.1) })])
    }

    func testPicturesAverageBothModelsAndDrawingsUseTheImageModelAlone() throws {
        let image = try TestData.shippedModel()
        let picture = try DigitModel.load(weightsPath: shippedPicturePath)
        XCTAssertNotEqual(picture.id, image.id, "the picture model is its own version")
        let plain = Recognizer(model: image)
        let both = Recognizer(model: try TestData.shippedModel(), pictureModel: picture)
        // A picture: the mean of the two models' probabilities for its digit.
        let ink = try DrawingNormalizer(targetBox: 60, size: 84).normalize(seven())
        let scan = StretchedScan.picture(ink)
        let read = try both.recognize(picture: scan).digits[0]
        let a = image.predict(read.input.pixels), b = picture.predict(read.input.pixels)
        for i in 0..<10 { XCTAssertEqual(read.probabilities[i], (a[i] + b[i]) / 2, accuracy: 1e-6) }
        XCTAssertEqual(read.probabilities.reduce(0, +), 1, accuracy: 1e-4)
        XCTAssertNotEqual(read.probabilities, try plain.recognize(picture: scan).digits[0].probabilities)
        // A drawing: the image model alone, exactly as without a picture model.
        XCTAssertEqual(try both.recognize(seven()).digits[0].probabilities, try plain.recognize(seven()).digits[0].probabilities)
    }

    func testTheLocatorFindsThePictureModelOrNone() throws {
        // Beside the shipped image model, as $NUMERAL_PICTURE_MODEL, or none ("off").
        XCTAssertEqual(ModelLocator(environment: [:]).picturePath(besideImageModel: TestData.shippedWeightsPath), shippedPicturePath)
        XCTAssertNil(ModelLocator(environment: ["NUMERAL_PICTURE_MODEL": "off"]).picturePath(besideImageModel: TestData.shippedWeightsPath))
        XCTAssertNil(try Recognizer.load(weightsPath: TestData.shippedWeightsPath,
                                         locator: ModelLocator(environment: ["NUMERAL_PICTURE_MODEL": "off"])).pictureModel)
        XCTAssertNotNil(try Recognizer.load(weightsPath: TestData.shippedWeightsPath, locator: ModelLocator(environment: [:])).pictureModel)
        // A picture model that is present but broken is an error, never silently skipped.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("picture-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let broken = dir.appendingPathComponent(ModelLocator.pictureModelFileName).path
        try Data("not a model".utf8).write(to: URL(fileURLWithPath: broken))
        XCTAssertThrowsError(try Recognizer.load(weightsPath: TestData.shippedWeightsPath,
                                                 locator: ModelLocator(environment: ["NUMERAL_PICTURE_MODEL": broken])))
    }
}
