import Foundation
import NumeralRecognition
import NumeralVision
import XCTest

final class LabelledPictureSetTests: XCTestCase {
    func testAManifestGivesPathsLabelsAndSources() throws {
        let dir = try TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let manifest = dir.appendingPathComponent("MANIFEST.tsv")
        try "file\tlabel\tkind\trepository\nalice/1.jpg\t7\tsingle\talice/photos\nbob/2.png\t0042\tnumber\tbob/scans\n"
            .write(to: manifest, atomically: true, encoding: .utf8)
        for set in [try LabelledPictureSet.load(path: manifest.path), try LabelledPictureSet.load(path: dir.path)] {
            XCTAssertEqual(set.items.map(\.label), ["7", "0042"], "leading zeros are kept")
            XCTAssertEqual(set.items.map(\.source), ["alice/photos", "bob/scans"])
            XCTAssertEqual(set.items[0].path, dir.appendingPathComponent("alice/1.jpg").path)
            XCTAssertEqual(set.items.map(\.isSingle), [true, false])
        }
    }

    func testAFolderWithoutManifestIsLabelledByFileNames() throws {
        let dir = try TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("webcam"), withIntermediateDirectories: true)
        for name in ["webcam/0001_1984.jpg", "3.png", "notes.txt", "holiday.jpg"] {
            try Data([1]).write(to: dir.appendingPathComponent(name))
        }
        let set = try LabelledPictureSet.load(path: dir.path)
        XCTAssertEqual(set.items.map(\.label), ["3", "1984"])
        XCTAssertEqual(set.items.map(\.source), [".", "webcam"])
    }

    func testBadManifestsAndEmptyFoldersSayWhatToDo() throws {
        let dir = try TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        XCTAssertThrowsError(try LabelledPictureSet.load(path: dir.path)) { error in
            XCTAssertTrue("\(error)".contains("MANIFEST.tsv"), "\(error)")
        }
        let manifest = dir.appendingPathComponent("MANIFEST.tsv")
        try "name\tdigit\na.jpg\t1\n".write(to: manifest, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try LabelledPictureSet.load(path: manifest.path)) { error in
            XCTAssertTrue("\(error)".contains("\"file\" and \"label\""), "\(error)")
        }
        try "file\tlabel\na.jpg\tseven\n".write(to: manifest, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try LabelledPictureSet.load(path: manifest.path)) { error in
            XCTAssertTrue("\(error)".contains("line 2"), "\(error)")
        }
        XCTAssertThrowsError(try LabelledPictureSet.load(path: dir.appendingPathComponent("none").path))
    }

    func testAMissingPictureIsAnErrorOutcomeNotACrash() throws {
        let recognizer = Recognizer(model: try TestData.shippedModel())
        let set = LabelledPictureSet(items: [.init(path: "/nonexistent/7.jpg", label: "7", source: "x")])
        let result = LabelledPictureEvaluation.run(recognizer: recognizer, set: set)
        XCTAssertEqual(result.outcomes.count, 1)
        XCTAssertNotNil(result.outcomes[0].error)
        XCTAssertEqual(result.singles.right, 0)
    }
}
