import NumeralRecognition

/// Counts a model's correct answers on a labelled set in chunks, so a long evaluation (10,000
/// MNIST images) can report progress and be cancelled between chunks.
struct AccuracyEvaluator {
    var chunkSize = 1000

    func correctCount(of model: DigitModel, on images: LabeledImages, progress: (Double) -> Void = { _ in },
                      shouldCancel: () -> Bool = { false }) throws -> Int {
        var correct = 0
        var start = 0
        while start < images.count {
            if shouldCancel() { throw ImprovementError.cancelled }
            let end = min(start + chunkSize, images.count)
            let chunk = start == 0 && end == images.count ? images : images.subset(start..<end)
            for (offset, probabilities) in model.predictBatch(chunk).enumerated() {
                if Self.argmax(probabilities) == Int(images.labels[start + offset]) { correct += 1 }
            }
            start = end
            progress(Double(start) / Double(images.count))
        }
        return correct
    }

    static func argmax(_ values: [Float]) -> Int {
        var best = 0
        for i in values.indices where values[i] > values[best] { best = i }
        return best
    }
}
