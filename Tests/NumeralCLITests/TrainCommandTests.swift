import Foundation
import NumeralVision
import XCTest

final class TrainCommandTests: XCTestCase {
    /// Training needs the real MNIST files (`$NUMERAL_MNIST`, else ../shared/data/mnist).
    private func skipUnlessMNISTIsPresent() throws {
        let mnist = ProcessInfo.processInfo.environment["NUMERAL_MNIST"]
            ?? CLIRunner.repoRoot.deletingLastPathComponent().appendingPathComponent("shared/data/mnist").path
        guard FileManager.default.fileExists(atPath: mnist + "/train-images-idx3-ubyte.gz") else {
            throw XCTSkip("MNIST is not at \(mnist); set NUMERAL_MNIST to train")
        }
    }

    /// A short real training run: the model, its card, the CSV and the curves picture all land
    /// beside each other, named after the model file.
    /// Issue 29: away from the checkout, `train` went on with 0 pen digits without a word. It
    /// now stops before any work, saying where it looked and which flag to use.
    func testTrainWithoutPenDigitsSaysWhereItLookedBeforeStarting() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = try CLIRunner.run(["train", "--preset", "quick", "-o", dir.appendingPathComponent("m.safetensors").path],
                                    environment: ["NUMERAL_PENDIGITS": "/nonexistent/pens.json"], directory: dir)
        XCTAssertNotEqual(out.status, 0)
        XCTAssertTrue(out.stderr.contains("No pen digits found"), out.stderr)
        XCTAssertTrue(out.stderr.contains("/nonexistent/pens.json") && out.stderr.contains("--no-pen-digits"), out.stderr)
        XCTAssertFalse(out.stderr.contains("Loading MNIST"), "refused before loading anything: \(out.stderr)")
        let missing = try CLIRunner.run(["train", "--preset", "quick", "--pen-digits", "/nonexistent/p.json"], directory: dir)
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("/nonexistent/p.json"), missing.stderr)
    }

    func testTrainWritesTheCurvesPNGBesideTheModel() throws {
        try skipUnlessMNISTIsPresent()
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("m.safetensors").path
        let out = try CLIRunner.run(["train", "--preset", "quick", "--train-limit", "2000", "--epochs", "2",
                                     "--no-pen-digits", "-o", model])
        XCTAssertEqual(out.status, 0, out.stderr)

        let curves = dir.appendingPathComponent("m-curves.png").path
        for file in [model, dir.appendingPathComponent("m.json").path, dir.appendingPathComponent("m-curves.csv").path, curves] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: file), "missing \(file); stderr: \(out.stderr)")
        }
        XCTAssertTrue(out.lines.contains { $0.hasPrefix("Wrote") && $0.contains(curves) }, out.stdout)

        let png = try PNGCodec.decode(path: curves)
        XCTAssertEqual(png.width, 960)
        XCTAssertEqual(png.height, 360)
        // The light theme's train (accent) and validation colors: both series were drawn.
        var colors = Set<UInt32>()
        for i in stride(from: 0, to: png.rgba.count, by: 4) {
            let r = UInt32(png.rgba[i]), g = UInt32(png.rgba[i + 1]), b = UInt32(png.rgba[i + 2])
            colors.insert(r << 16 | g << 8 | b)
        }
        XCTAssertTrue(colors.contains(0x2F6FED), "no train line in the picture")
        XCTAssertTrue(colors.contains(0xE8590C), "no validation line in the picture")
    }

    /// A run with a fine-tune phase trains both phases on one model and records them as one history.
    func testFineTunePhaseFollowsTheMainScheduleInOneRun() throws {
        try skipUnlessMNISTIsPresent()
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("m.safetensors").path
        let out = try CLIRunner.run(["train", "--preset", "quick", "--filters", "8/16", "--train-limit", "1000", "--epochs", "1",
                                     "--fine-tune-epochs", "1", "--fine-tune-learning-rate", "0.0005", "--no-pen-digits", "-o", model])
        XCTAssertEqual(out.status, 0, out.stderr)
        XCTAssertTrue(out.stderr.contains("Fine-tuning: 1 epochs, light augmentation"), out.stderr)
        let card = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("m.json"))) as! [String: Any]
        let epochs = card["epochs"] as! [[String: Any]]
        XCTAssertEqual(epochs.map { $0["epoch"] as! Int }, [1, 2])
        XCTAssertEqual(epochs[1]["learningRate"] as! Double, 0, accuracy: 1e-5, "the fine-tune ends its cosine decay near zero")
        let fineTune = (card["training"] as! [String: Any])["fineTune"] as! [String: Any]
        XCTAssertEqual(fineTune["epochs"] as? Int, 1)
        XCTAssertEqual(fineTune["learningRate"] as! Double, 0.0005, accuracy: 1e-9)
        let csv = try String(contentsOfFile: dir.appendingPathComponent("m-curves.csv").path, encoding: .utf8)
        XCTAssertEqual(csv.split(separator: "\n").count, 3, "a header and one row per epoch of both phases")

        let refused = try CLIRunner.run(["train", "--preset", "quick", "--fine-tune-learning-rate", "0.001", "-o", model])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("add --fine-tune-epochs"), refused.stderr)
    }

    /// Run from the repository root, `numeral train` once overwrote the shipped model. Now it
    /// adds an inactive version to the data directory, and refuses to overwrite a file unasked.
    func testTrainNeverOverwritesAndByDefaultAddsAVersionToTheDataDirectory() throws {
        try skipUnlessMNISTIsPresent()
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let existing = dir.appendingPathComponent("keep.safetensors")
        try Data("precious".utf8).write(to: existing)
        let refused = try CLIRunner.run(["train", "--preset", "quick", "--filters", "4/8", "--epochs", "1", "-o", existing.path])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("already exists") && refused.stderr.contains("--force"), refused.stderr)
        XCTAssertFalse(refused.stderr.contains("Loading MNIST"), "refused before any work")
        XCTAssertEqual(try Data(contentsOf: existing), Data("precious".utf8))

        let data = dir.appendingPathComponent("data").path
        let out = try CLIRunner.run(["train", "--preset", "quick", "--filters", "4/8", "--train-limit", "500", "--epochs", "1",
                                     "--no-pen-digits", "--data-dir", data])
        XCTAssertEqual(out.status, 0, out.stderr)
        let added = try XCTUnwrap(out.lines.first { $0.hasPrefix("Added model version") }, out.stdout)
        let id = String(added.split(separator: " ")[3])
        XCTAssertTrue(FileManager.default.fileExists(atPath: "\(data)/models/\(id).safetensors"))
        let list = try CLIRunner.run(["model", "list", "--data-dir", data])
        XCTAssertEqual(list.status, 0, list.stderr)
        let row = try XCTUnwrap(list.lines.first { $0.contains(id) }, list.stdout)
        XCTAssertFalse(row.contains("shipped"), row)
    }
}
