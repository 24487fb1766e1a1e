import Foundation
import NumeralVision
import XCTest

/// `numeral eval --attack` and `numeral train --adversarial` end to end.
final class RobustnessCommandTests: XCTestCase {
    func testEvalAttackPrintsCleanAndRobustAccuracyAndWritesTheSheet() throws {
        _ = try CLIRunner.requireMNIST()
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let sheet = dir.appendingPathComponent("attacked.png").path
        let out = try CLIRunner.run(["eval", "--attack", "pgd", "--epsilon", "0.3", "--steps", "5", "--count", "30",
                                     "--json", "--sheet", sheet])
        XCTAssertEqual(out.status, 0, out.stderr)
        let report = try CLIRunner.json(out.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        XCTAssertEqual(report["count"] as? Int, 30)
        let clean = report["clean_accuracy"] as? Double ?? 0, robust = report["robust_accuracy"] as? Double ?? 1
        XCTAssertGreaterThan(clean, 0.95)
        XCTAssertLessThan(robust, 0.5, "PGD at ε = 0.3 breaks the undefended shipped model")
        XCTAssertEqual(report["accuracy"] as? Double, robust)
        let attack = report["attack"] as? [String: Any]
        XCTAssertEqual(attack?["method"] as? String, "pgd")
        XCTAssertEqual(attack?["steps"] as? Int, 5)
        XCTAssertLessThanOrEqual(report["largest_perturbation"] as? Double ?? 1, 0.3 + 1e-6)
        let png = try PNGCodec.decode(path: sheet)
        XCTAssertGreaterThan(png.width, 28 * 3 * 10)
        XCTAssertGreaterThan(png.height, 28 * 3 * 5)

        let text = try CLIRunner.run(["eval", "--attack", "fgsm", "--epsilon", "0.1", "--count", "20"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertTrue(text.stdout.contains("Clean accuracy") && text.stdout.contains("Robust accuracy"), text.stdout)
        XCTAssertTrue(text.stdout.contains("FGSM L∞ ε=0.1"), text.stdout)
    }

    /// `explain --attack`: for each digit of "17", the smallest change found that flips it, what
    /// it then reads as, and the changed input, within that change of the model's input.
    func testExplainAttackGivesTheSmallestFlipOfEachDigit() throws {
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let drawing = dir.appendingPathComponent("17.json").path
        try #"{"width": 600, "height": 300, "strokes": [[[100, 50], [100, 250]], [[300, 60], [450, 60], [360, 250]]]}"#
            .write(toFile: drawing, atomically: true, encoding: .utf8)
        let run = try CLIRunner.run(["explain", drawing, "--attack", "--json"])
        XCTAssertEqual(run.status, 0, run.stderr)
        let digits = try XCTUnwrap(try CLIRunner.json(run.stdout)["digits"] as? [[String: Any]])
        XCTAssertEqual(digits.count, 2)
        for d in digits {
            let flip = try XCTUnwrap(d["smallest_flip"] as? [String: Any], "the undefended model flips within 0.5")
            let epsilon = try XCTUnwrap(flip["epsilon"] as? Double)
            XCTAssertTrue(epsilon > 0 && epsilon <= 0.5, "\(epsilon)")
            XCTAssertNotEqual(flip["becomes"] as? Int, d["digit"] as? Int)
            let input = try XCTUnwrap(d["input"] as? [Double]), changed = try XCTUnwrap(flip["input"] as? [Double])
            XCTAssertEqual(changed.count, 784)
            // Both are rounded to 4 decimals in the JSON.
            for (a, b) in zip(input, changed) { XCTAssertLessThanOrEqual(abs(a - b), epsilon + 2e-4) }
        }
        let text = try CLIRunner.run(["explain", drawing, "--attack"])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertEqual(text.stdout.components(separatedBy: "smallest change found that flips it").count, 3, text.stdout)
    }

    /// A version trained with --adversarial and added to the data directory shows its strongest
    /// recorded attack in `model list`, and its records in `model list --json`.
    func testModelListShowsRecordedRobustness() throws {
        _ = try CLIRunner.requireMNIST()
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let train = try CLIRunner.run(["train", "--preset", "quick", "--train-limit", "200", "--epochs", "1", "--no-pen-digits",
                                       "--filters", "8/16", "--adversarial", "pgd", "--adv-epsilon", "0.2", "--adv-steps", "2",
                                       "--adv-eval-count", "30", "--data-dir", dir.path])
        XCTAssertEqual(train.status, 0, train.stderr)
        let list = try CLIRunner.run(["model", "list", "--data-dir", dir.path])
        XCTAssertEqual(list.status, 0, list.stderr)
        XCTAssertTrue(list.lines.first?.hasSuffix("ROBUST") == true, list.stdout)
        XCTAssertTrue(list.stdout.contains("PGD-40 L∞ ε=0.2: "), list.stdout)
        let json = try CLIRunner.run(["model", "list", "--json", "--data-dir", dir.path])
        XCTAssertEqual(json.status, 0, json.stderr)
        let entries = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
        let trained = try XCTUnwrap(entries.first { ($0["robustness"] as? [Any])?.isEmpty == false }, json.stdout)
        XCTAssertEqual((trained["robustness"] as? [Any])?.count, 2)
    }

    func testEvalAttackRefusesMeaninglessCombinations() throws {
        for (args, expected) in [
            (["eval", "--attack", "pgd"], "--epsilon"),
            (["eval", "--epsilon", "0.1"], "go with --attack"),
            (["eval", "--attack", "fgsm", "--epsilon", "0.1", "--steps", "4"], "FGSM is one step"),
            (["eval", "--attack", "square", "--epsilon", "0.1", "--norm", "l2"], "--norm linf"),
            (["eval", "--attack", "pgd", "--epsilon", "2"], "at most 1"),
            (["eval", "--attack", "pgd", "--epsilon", "0.1", "--limit", "5"], "--count"),
        ] {
            let out = try CLIRunner.run(args)
            XCTAssertNotEqual(out.status, 0, args.joined(separator: " "))
            XCTAssertTrue(out.stderr.contains(expected), "\(args.joined(separator: " ")): \(out.stderr)")
        }
    }

    /// A tiny adversarial run records its settings and the measured robustness in the card, and
    /// the same seed gives the same weights.
    func testAdversarialTrainingRecordsItsSettingsAndRobustnessInTheCard() throws {
        _ = try CLIRunner.requireMNIST()
        let dir = try CLIRunner.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        var weights: [Data] = []
        for name in ["a", "b"] {
            let model = dir.appendingPathComponent("\(name).safetensors").path
            let out = try CLIRunner.run(["train", "--preset", "quick", "--train-limit", "300", "--epochs", "1", "--no-pen-digits",
                                         "--filters", "8/16", "--adversarial", "fgsm-rs", "--adv-epsilon", "0.3",
                                         "--adv-eval-count", "50", "-o", model])
            XCTAssertEqual(out.status, 0, out.stderr)
            XCTAssertTrue(out.stdout.contains("Robust accuracy: PGD-40 L∞ ε=0.3"), out.stdout)
            let card = try CLIRunner.json(String(decoding: try Data(contentsOf: dir.appendingPathComponent("\(name).json")), as: UTF8.self))
            let training = card["training"] as? [String: Any]
            let adversarial = training?["adversarial"] as? [String: Any]
            XCTAssertEqual(adversarial?["method"] as? String, "fgsm-rs")
            XCTAssertEqual(adversarial?["epsilon"] as? Double ?? 0, 0.3, accuracy: 1e-6)
            XCTAssertEqual(adversarial?["stepSize"] as? Double ?? 0, 0.375, accuracy: 1e-6)
            let robustness = card["robustness"] as? [[String: Any]] ?? []
            XCTAssertEqual(robustness.count, 2, "FGSM and PGD-40")
            let methods = robustness.compactMap { ($0["attack"] as? [String: Any])?["method"] as? String }
            XCTAssertEqual(Set(methods), ["fgsm", "pgd"])
            for r in robustness {
                XCTAssertEqual(r["count"] as? Int, 50)
                let acc = r["robustAccuracy"] as? Double ?? -1
                XCTAssertTrue(acc >= 0 && acc <= (r["cleanAccuracy"] as? Double ?? 0), "\(r)")
            }
            let metrics = card["metrics"] as? [String: Any]
            XCTAssertNotNil(metrics?["robust_pgd40_linf_0.3"])
            weights.append(try Data(contentsOf: URL(fileURLWithPath: model)))
        }
        // The header names the model id, which differs; the tensors after it must not.
        func tensors(_ d: Data) -> Data {
            let n = d.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
            return d.dropFirst(8 + Int(n))
        }
        XCTAssertEqual(tensors(weights[0]), tensors(weights[1]), "same seed, same weights")
    }
}
