import Foundation
import NumeralRecognition
import NumeralVision
import XCTest

/// The photo path's accuracy on synthetic photos of digits on paper, made here from MNIST *test*
/// digits and the held-out pen writers (26–30) with the reporting seed. The reader's parameters
/// were chosen on other photos (MNIST training digits, writers 1–25, seed 2024: `numeral eval
/// --photos N --photo-split validation`), never on these.
final class PhotoAccuracyTests: XCTestCase {
    func testSyntheticPhotosMeetTheTargets() throws {
        let recognizer = Recognizer(model: try TestData.shippedModel())
        let mnist = try MNISTDataset.load(directory: try TestData.mnistDirectory(), split: .test)
        let pens = try PenDigits.load(path: try TestData.penDigitsPath()).filter { (26...30).contains($0.writer) }
        var boxesChecked = 0, boxesMatched = 0
        let result = try PhotoEvaluation.run(recognizer: recognizer, source: .init(mnist: mnist, pens: pens),
                                             count: 360, seed: 1313) { _, photo, reading in
            guard reading.text == photo.label, let number = reading.numbers.first else { return }
            for (box, truth) in zip(number.boxes, photo.boxes) {
                boxesChecked += 1
                if box.overlap(truth) > 0.5 { boxesMatched += 1 }
            }
        }
        print(result.table)
        XCTAssertEqual(result.singles.total, 180)
        XCTAssertGreaterThanOrEqual(result.singles.accuracy, 0.97, "single digits\n\(result.table)\n\(result.failures)")
        XCTAssertGreaterThanOrEqual(result.numbers.accuracy, 0.93, "2–4 digit numbers\n\(result.table)\n\(result.failures)")
        XCTAssertGreaterThan(boxesChecked, 200)
        XCTAssertGreaterThanOrEqual(Double(boxesMatched) / Double(boxesChecked), 0.97, "digit boxes where the digits are")
    }

    func testAPictureWithoutDigitsSaysSo() throws {
        let recognizer = Recognizer(model: try TestData.shippedModel())
        var rgba = [UInt8](repeating: 128, count: 640 * 480 * 4)
        for i in 0..<(640 * 480) { rgba[4 * i + 3] = 255 }
        let gray = try DecodedImage(width: 640, height: 480, rgba: rgba)
        XCTAssertTrue(recognizer.read(photo: gray).isEmpty)
        for route in PictureRoute.allCases {
            XCTAssertTrue(try recognizer.read(picture: gray, route: route).isEmpty, "\(route)")
            XCTAssertThrowsError(try recognizer.recognize(picture: gray, multiDigit: true, route: route)) { error in
                XCTAssertEqual(error as? PictureError, .noInk(width: 640, height: 480), "\(route)")
            }
        }
    }
}
