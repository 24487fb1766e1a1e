import Foundation
import NumeralEngine

/// Attacks a digit model exactly as it predicts (batch norm folded, no dropout: `InputGradient`'s
/// inference copy) on labelled 28×28 images, pixel values in [0, 1] — the model's own input space,
/// so ε is a change of pixel value with no normalization in between.
public enum RobustnessEvaluation {
    public static func measure(_ model: DigitModel, on images: LabeledImages, attack: AttackSettings, dataset: String,
                               batchSize: Int = 100) throws -> (result: AttackResult, record: RobustnessRecord) {
        let started = Date()
        let target = try InputGradient(model.network)
        let result = try attack.run(on: target, images: images.pixels, labels: images.labels.map(Int.init),
                                    sampleShape: [1, 28, 28], classes: model.card.architecture.classes, batchSize: batchSize)
        let record = RobustnessRecord(attack: attack, dataset: dataset, count: result.count, cleanAccuracy: result.cleanAccuracy,
                                      robustAccuracy: result.robustAccuracy, seconds: Date().timeIntervalSince(started))
        return (result, record)
    }
}
