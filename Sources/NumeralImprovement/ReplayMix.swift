import NumeralEngine
import NumeralRecognition
import NumeralVision

/// The fine-tune's training set: the user's feedback repeated up to a target count, plus as many
/// MNIST training images drawn at random, so a shuffled batch is about half each. The MNIST half is
/// what keeps the model from forgetting the digits it already reads well.
enum ReplayMix {
    static func make(feedback: LabeledImages, feedbackImages: Int, mnistTrain: MNISTDataset, seed: UInt64) -> LabeledImages {
        let repeats = max(1, (feedbackImages + feedback.count - 1) / max(feedback.count, 1))
        var mix = LabeledImages()
        let replayCount = min(repeats * feedback.count, mnistTrain.count)
        mix.pixels.reserveCapacity((repeats * feedback.count + replayCount) * LabeledImages.pixelsPerImage)
        for _ in 0..<repeats { mix.append(contentsOf: feedback) }
        var generator = SeededGenerator(seed: seed)
        var chosen = Array(0..<mnistTrain.count)
        // A partial Fisher-Yates shuffle: only the first `replayCount` places are needed.
        for i in 0..<replayCount {
            chosen.swapAt(i, Int.random(in: i..<chosen.count, using: &generator))
        }
        let pixels = LabeledImages.pixelsPerImage
        mnistTrain.images.withUnsafeBufferPointer { bytes in
            for index in chosen.prefix(replayCount) {
                let start = index * pixels
                mix.pixels += bytes[start..<start + pixels].lazy.map { Float($0) / 255 }
                mix.labels.append(mnistTrain.labels[index])
            }
        }
        return mix
    }
}
