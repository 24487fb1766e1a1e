import ArgumentParser
import Foundation
import NumeralRecognition
import NumeralReport
import NumeralVision

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show why the model answered: evidence maps for the winner and the runner-up, feature maps, top 3.",
        discussion: """
        INPUT is a drawing (.json, canvas strokes) or a PNG picture. Each digit of a number is explained on its own. \
        The maps are gradient × input of each class's log-probability from the engine's backward pass on the model \
        exactly as it predicts: positive (red) ink speaks for the class, negative (blue) against it.
        """)

    @OptionGroup var model: ModelOptions
    @Argument(help: "A drawing (.json) or a picture (.png).") var input: String
    @Option(help: "Write the input, the maps, the feature maps and the top 3 as one PNG picture.") var png: String?
    @Flag(help: "One JSON object on stdout with the maps as arrays (28×28 row by row).") var json = false
    @Flag(help: "Treat the input as a single digit (no splitting into several).") var singleDigit = false
    @Flag(help: "Also find, for each digit, the smallest change of its pixels (L∞, found with PGD-20 by bisection) that changes the reading, and what it then reads as.")
    var attack = false

    func run() throws {
        do {
            try explain()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw failWithMessage(error)
        }
    }

    private func explain() throws {
        let recognizer = try Recognizer(locator: model.locator())
        let explainer = try Explainer(model: recognizer.model)
        let recognition: Recognition
        if input.lowercased().hasSuffix(".json") || input.lowercased().hasSuffix(".jsonl") {
            let drawings = try DrawingFile.read(path: input)
            guard drawings.count == 1 else {
                throw ValidationError("\(input) holds \(drawings.count) drawings; explain takes one (split the file or use a .json with one drawing)")
            }
            recognition = try recognizer.recognize(try drawings[0].get(), multiDigit: !singleDigit)
        } else {
            recognition = try recognizer.recognize(pngAt: input, multiDigit: !singleDigit)
        }
        let digits = try explainer.explain(recognition)
        let flips: [SmallestFlip?] = attack
            ? try digits.map { try SmallestFlip.find(model: recognizer.model, pixels: $0.prediction.input.pixels) } : []
        if let png {
            try ExplanationPicture().write(digits, modelID: explainer.modelID, to: png)
        }
        if json {
            print(Self.json(digits, source: input, modelID: explainer.modelID, flips: attack ? flips : nil))
        } else {
            for (i, d) in digits.enumerated() {
                let top = d.prediction.top3.map { String(format: "%d %.1f%%", $0.digit, $0.probability * 100) }.joined(separator: ", ")
                let which = digits.count > 1 ? "digit \(i + 1): " : ""
                print("\(input): \(which)\(d.winner), runner-up \(d.runnerUp)  (top 3: \(top))")
                if attack { print("  " + Self.flipText(flips[i])) }
            }
            if let png { print("wrote \(png)") }
        }
    }

    /// "a change of at most 0.083 per pixel (L∞) makes it read 3 (71%)".
    static func flipText(_ flip: SmallestFlip?) -> String {
        guard let flip else { return "no change of up to 0.5 per pixel (L∞, PGD-20) changes this reading" }
        return String(format: "smallest change found that flips it: %.3f per pixel (L∞, PGD-%d) makes it read %d (%.0f%%)",
                      Double(flip.epsilon), flip.attack.steps, flip.becomes, Double(flip.confidence) * 100)
    }

    static func json(_ digits: [DigitExplanation], source: String, modelID: String, flips: [SmallestFlip?]? = nil) -> String {
        func rounded(_ values: some Sequence<Float>) -> [Double] { values.map { (Double($0) * 1e4).rounded() / 1e4 } }
        let object: [String: Any] = [
            "source": source,
            "model": modelID,
            "number": digits.map { String($0.winner) }.joined(),
            "map_kind": "gradient x input of log p(class); positive = evidence for the class; scaled to max |value| = 1",
            "digits": digits.enumerated().map { i, d -> [String: Any] in
                var entry: [String: Any] = [
                    "digit": d.winner,
                    "runner_up": d.runnerUp,
                    "top3": d.prediction.top3.map { ["digit": $0.digit, "probability": Double($0.probability)] },
                    "width": 28, "height": 28,
                    "input": rounded(d.prediction.input.pixels),
                    "winner_map": rounded(d.winnerMap),
                    "runner_up_map": rounded(d.runnerUpMap),
                    "feature_maps": d.featureMaps.enumerated().map { k, m -> [String: Any] in
                        ["convolution": k + 1, "channels": m.channels, "height": m.height, "width": m.width,
                         "values": rounded(m.values)]
                    },
                ]
                if let flips {
                    entry["smallest_flip"] = flips[i].map { f -> [String: Any] in
                        ["epsilon": Double(f.epsilon), "norm": f.attack.norm.rawValue, "becomes": f.becomes,
                         "confidence": Double(f.confidence), "attack": "PGD-\(f.attack.steps), bisection on epsilon",
                         "input": rounded(f.perturbed)]
                    } ?? NSNull()
                }
                return entry
            },
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
