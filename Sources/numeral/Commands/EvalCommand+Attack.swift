import ArgumentParser
import Foundation
import NumeralEngine
import NumeralRecognition
import NumeralVision

extension EvalCommand {
    /// `--attack`: clean and robust accuracy on the first `--count` MNIST test digits, with the
    /// model attacked exactly as it predicts.
    func evaluateUnderAttack() throws {
        guard let settings = attack.settings else { throw ValidationError("--attack needs --epsilon") }
        let path = try model.locate()
        let digitModel = try DigitModel.load(weightsPath: path)
        var test = try MNISTDataset.load(directory: mnist.resolved, split: .test)
        if attack.count > 0 { test = test.prefix(attack.count) }
        let images = TrainingData.mnist(test)
        let dataset = attack.count > 0 && attack.count < 10000 ? "mnist-test, first \(images.count)" : "mnist-test"
        let (result, record) = try RobustnessEvaluation.measure(digitModel, on: images, attack: settings, dataset: dataset)
        if let sheet = attack.sheet { try writeAttackSheet(result, images: images, to: sheet) }
        if attack.record {
            var card = digitModel.card
            card.record(record)
            try card.write(path: DigitModel.cardPath(forWeights: path))
        }
        if json {
            let object: [String: Any] = [
                "dataset": dataset, "model": digitModel.id, "count": result.count,
                "accuracy": result.robustAccuracy, "robust_accuracy": result.robustAccuracy, "clean_accuracy": result.cleanAccuracy,
                "correct": result.robustCorrect, "clean_correct": result.cleanCorrect,
                "attack": [
                    "method": settings.method.rawValue, "norm": settings.norm.rawValue, "epsilon": Double(settings.epsilon),
                    "steps": settings.steps, "step_size": Double(settings.stepSize), "restarts": settings.restarts,
                    "random_start": settings.randomStart, "seed": settings.seed, "summary": settings.summary,
                ] as [String: Any],
                "largest_perturbation": Double(result.largestPerturbation), "model_evaluations": result.sampleEvaluations,
                "seconds": record.seconds,
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
            return
        }
        var lines = [
            "\(dataset) — model \(digitModel.id)",
            "Attack: \(settings.summary)",
            String(format: "Clean accuracy   %6.2f%% (%d of %d)", result.cleanAccuracy * 100, result.cleanCorrect, result.count),
            String(format: "Robust accuracy  %6.2f%% (%d of %d)", result.robustAccuracy * 100, result.robustCorrect, result.count),
            String(format: "Largest perturbation %.4g (%@); %d digit evaluations in %.1f s", Double(result.largestPerturbation),
                   settings.norm.rawValue, result.sampleEvaluations, record.seconds),
        ]
        if let sheet = attack.sheet { lines.append("Attacked digits: \(sheet)") }
        if attack.record { lines.append("Recorded in \(DigitModel.cardPath(forWeights: path)) as \(record.metricKey)") }
        print(lines.joined(separator: "\n"))
    }

    /// The first 25 digits as pairs: clean (label, reading, confidence) and attacked (label>reading).
    private func writeAttackSheet(_ result: AttackResult, images: LabeledImages, to path: String) throws {
        var cells: [ContactSheet.Cell] = []
        for k in 0..<min(25, result.count) {
            let label = result.labels[k]
            cells.append(ContactSheet.Cell(image: GrayImage(width: 28, height: 28, pixels: Array(images.image(k))),
                                           caption: "\(label)>\(result.cleanPredictions[k]) \(Int((result.cleanConfidences[k] * 100).rounded()))%"))
            cells.append(ContactSheet.Cell(image: GrayImage(width: 28, height: 28, pixels: Array(result.adversarialSample(k))),
                                           caption: "\(label)>\(result.predictions[k]) \(Int((result.confidences[k] * 100).rounded()))%"))
        }
        try writeSheet(cells, to: path)
    }
}
