import ArgumentParser
import Foundation
import NumeralRecognition
import NumeralReport
import NumeralSession
import NumeralUI

/// `numeral model curves`: a model's training-curves picture, redrawn from its card.
struct ModelCurvesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "curves",
        abstract: "Draw a model's training and validation loss and accuracy per epoch (from its card) as a PNG.")
    @Argument(help: "The model's weights (MODEL.safetensors) or its card (MODEL.json).") var model: String
    @Option(name: .shortAndLong, help: "The PNG to write. Default: MODEL-curves.png beside the model.") var output: String?
    @Option(help: "light or dark.") var theme: String = "light"
    @Option(help: "Pixels per point (0.5 to 4); 2 gives 1920x720.") var scale: Double = 1

    func run() throws {
        try reportingFailures {
            guard let themeName = ThemeName(rawValue: theme) else {
                throw UserFacingError("--theme must be light or dark, not \(theme).")
            }
            let card = model.hasSuffix(".json") ? model : DigitModel.cardPath(forWeights: model)
            let base = card.hasSuffix(".json") ? String(card.dropLast(".json".count)) : card
            let path = output ?? base + "-curves.png"
            try TrainingCurvesPicture.write(to: path, model: ModelSummary(card: try ModelCard.read(path: card)),
                                            theme: themeName, pixelScale: scale)
            print("Wrote \(path).")
        }
    }
}
